"""Helpers shared by the adapters: credential checks, naming, tags, polling, error mapping."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TypeVar

from .base import (
    Boundary,
    BoundaryConflictError,
    BoundaryRequest,
    CloudError,
    CloudTargetConfig,
    Credentials,
    MissingCredentialError,
    MissingExtraError,
    ValidationResult,
)

T = TypeVar("T")

MANAGED_BY = "paybill-control-plane"
TAG_TENANT_ID = "paybill-tenant-id"
TAG_TENANT_SLUG = "paybill-tenant-slug"
TAG_ISOLATION_MODEL = "paybill-isolation-model"
TAG_MANAGED_BY = "paybill-managed-by"

# Credential values shorter than this are not scrubbed from messages: too likely to match
# ordinary text, and no real secret is that short.
_MIN_SCRUB_LEN = 6


def require_credentials(cloud: str, creds: Credentials, keys: Sequence[str]) -> None:
    """Raise MissingCredentialError naming every required key that is absent or empty."""
    missing = [key for key in keys if not creds.get(key)]
    if missing:
        raise MissingCredentialError(cloud, missing)


def scrub(text: str, creds: Credentials) -> str:
    """Replace every credential value (and each line of multi-line ones) found in text."""
    secrets: set[str] = set()
    for value in creds.values():
        if not isinstance(value, str):
            continue
        secrets.add(value.strip())
        secrets.update(line.strip() for line in value.splitlines())
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= _MIN_SCRUB_LEN:
            text = text.replace(secret, "***")
    return text


def short_hash(value: str, length: int = 6) -> str:
    """A stable lowercase hex digest prefix, used to keep derived names unique."""
    return hashlib.sha256(value.encode()).hexdigest()[:length]


def derive_name(prefix: str, slug: str, tenant_id: str, max_len: int) -> str:
    """``<prefix><slug>``, or ``<prefix><slug cut>-<hash6 of tenant_id>`` when too long."""
    name = f"{prefix}{slug}"
    if len(name) <= max_len:
        return name
    room = max_len - len(prefix) - 7
    return f"{prefix}{slug[:room].rstrip('-')}-{short_hash(tenant_id)}"


def boundary_tags(req: BoundaryRequest) -> dict[str, str]:
    """The tenant's labels plus the reserved ``paybill-*`` tags, which always win."""
    tags = {k: v for k, v in req.labels.items() if not k.startswith("paybill-")}
    tags.update(
        {
            TAG_TENANT_ID: req.tenant_id,
            TAG_TENANT_SLUG: req.tenant_slug,
            TAG_ISOLATION_MODEL: req.isolation_model,
            TAG_MANAGED_BY: MANAGED_BY,
        }
    )
    return tags


def check_owner(cloud: str, what: str, tags: Mapping[str, str] | None, tenant_id: str) -> None:
    """Refuse to adopt or delete something not tagged as this tenant's boundary."""
    owner = (tags or {}).get(TAG_TENANT_ID)
    if owner != tenant_id:
        found = f"tenant {owner}" if owner else "nothing managed by paybill"
        raise BoundaryConflictError(
            cloud, f"{what} exists but belongs to {found}, not tenant {tenant_id}"
        )


def boundary_tenant(cloud: str, boundary: Boundary, kind: str) -> str:
    """The tenant id a boundary of the adapter's `kind` was created for (every adapter records
    it); a boundary of another kind is not the adapter's to remove."""
    if boundary.kind != kind:
        raise CloudError(cloud, f"cannot remove a boundary of kind {boundary.kind!r}")
    tenant_id = boundary.attributes.get("tenant_id")
    if not tenant_id:
        raise CloudError(cloud, f"boundary {boundary.id} has no tenant_id attribute")
    return tenant_id


def region_of(target: CloudTargetConfig, req: BoundaryRequest) -> str:
    return req.region or target.default_region


def poll_until(
    cloud: str,
    what: str,
    fetch: Callable[[], T],
    done: Callable[[T], bool],
    *,
    timeout: float,
    interval: float,
) -> T:
    """Call fetch until done(result); a retryable CloudError when timeout elapses first."""
    deadline = time.monotonic() + timeout
    while True:
        result = fetch()
        if done(result):
            return result
        if time.monotonic() + interval > deadline:
            raise CloudError(
                cloud, f"timed out after {timeout:g}s waiting for {what}", retryable=True
            )
        time.sleep(interval)


class SdkFailure:
    """What an adapter extracts from one SDK exception: secret-free message, code, retryable."""

    __slots__ = ("code", "message", "retryable")

    def __init__(self, message: str, code: str | None = None, retryable: bool = False) -> None:
        self.message = message
        self.code = code
        self.retryable = retryable


@contextmanager
def sdk_errors(
    cloud: str,
    action: str,
    creds: Credentials,
    describe: Callable[[Exception], SdkFailure | None],
) -> Iterator[None]:
    """Turn the SDK exceptions ``describe`` recognises into CloudError.

    The original exception is not chained (``from None``): SDK exceptions may carry request
    details, and a CloudError must be safe to log and to show in the API.
    """
    try:
        yield
    except CloudError:
        raise
    except Exception as exc:
        failure = describe(exc)
        if failure is None:
            raise
        message = scrub(f"{action} failed: {failure.message}", creds)
        raise CloudError(cloud, message, code=failure.code, retryable=failure.retryable) from None


def run_validation(probe: Callable[[], ValidationResult]) -> ValidationResult:
    """Run a credential probe: a CloudError from the cloud becomes ``ok=False``.

    Missing credential keys and a missing SDK still raise: they are the caller's to fix, not
    a verdict on the credentials.
    """
    try:
        return probe()
    except (MissingCredentialError, MissingExtraError):
        raise
    except CloudError as error:
        details = {"error": error.message}
        if error.code:
            details["code"] = error.code
        return ValidationResult(ok=False, identity="", details=details)


def is_retryable_status(status: int | None) -> bool:
    return status is not None and (status == 429 or status >= 500)
