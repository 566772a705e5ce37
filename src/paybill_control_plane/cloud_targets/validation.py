"""POST /v1/cloud-targets/{id}/validate: ask the cloud who the stored credentials are, through
the egress guard, answering every failure to reach the cloud the same way."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.cloud_targets import repository as repo
from paybill_control_plane.cloud_targets._egress import (
    UNREACHABLE_DETAIL,
    CloudTargetUnreachable,
    InvalidCloudTarget,
    egress_policy,
    target_urls,
)
from paybill_control_plane.cloud_targets.schemas import Validation
from paybill_control_plane.cloud_targets.service import (
    CloudSdkMissing,
    CredentialsMissing,
    read_credentials,
    target_config,
)
from paybill_control_plane.clouds import (
    CloudConfigError,
    CloudError,
    MissingCredentialError,
    MissingExtraError,
    ValidationResult,
    get_adapter,
)
from paybill_control_plane.config import Settings
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.kit.net_guard import EgressRefused, check_url, guarded

log = logging.getLogger(__name__)

VALIDATION_TIMEOUT_SECONDS = 90.0


def _scrub(text: str, secrets: Mapping[str, str]) -> str:
    # The adapters promise secret-free messages; this is the second line of defence.
    for value in sorted(secrets.values(), key=len, reverse=True):
        if len(value) >= 6:
            text = text.replace(value, "***")
    return text


async def validate_target(
    session: AsyncSession, actor: Principal, target_id: uuid.UUID, settings: Settings
) -> Validation:
    """Ask the cloud who the stored credentials are; record and return its answer.

    With an admin-chosen URL (endpoint_url, URL settings) every failure is the one uniform
    502 `cloud-target-unreachable`, and so is any refused connection, timeout or unparseable
    answer on the SDK's own endpoints; only a cloud's own verdict (wrong key, wrong account)
    is reported in detail, as `ok: false`.
    """
    target = await repo.get(session, target_id)
    creds = read_credentials(target, settings)
    if not creds and target.cloud != "local":
        raise CredentialsMissing(
            f"Cloud target '{target.name}' has no credentials; store them with PATCH "
            f"/v1/cloud-targets/{target.id}."
        )
    adapter = get_adapter(target.cloud)
    config = target_config(target)
    policy = egress_policy(settings)
    aimed = bool(target_urls(target.endpoint_url, target.settings))

    def unreachable(reason: str) -> CloudTargetUnreachable:
        log.info("validation of cloud target %s failed: %s", target.id, _scrub(reason, creds))
        return CloudTargetUnreachable(UNREACHABLE_DETAIL)

    try:
        # The URLs are checked again here (DNS may answer differently than at creation) and
        # every connection the SDK makes is checked and pinned while it runs.
        for url in target_urls(target.endpoint_url, target.settings).values():
            check_url(url, policy)
    except EgressRefused as exc:
        raise unreachable(str(exc)) from None
    refusals: list[str] = []

    def probe() -> ValidationResult:
        with guarded(policy) as state:
            try:
                return adapter.validate_credentials(config, creds)
            finally:
                refusals.extend(state.refusals)

    try:
        result = await asyncio.wait_for(
            asyncio.to_thread(probe), timeout=VALIDATION_TIMEOUT_SECONDS
        )
    except TimeoutError:
        raise unreachable(f"no answer in {VALIDATION_TIMEOUT_SECONDS:g}s") from None
    except MissingExtraError as exc:
        raise CloudSdkMissing(exc.message, extra={"extra": target.cloud}) from None
    except MissingCredentialError as exc:
        raise CredentialsMissing(exc.message) from None
    except CloudConfigError as exc:
        raise InvalidCloudTarget(exc.message) from None
    except CloudError as exc:  # adapters answer ok=False for refusals; this is what is left
        raise unreachable(exc.message) from None
    except Exception as exc:  # e.g. botocore's ResponseParserError on a non-cloud answer
        raise unreachable(f"{type(exc).__name__}: {exc}") from None
    if refusals:
        raise unreachable("; ".join(refusals))
    if not result.ok and (aimed or _network_failure(result.details)):
        raise unreachable(str(result.details.get("error", "")))
    validation = Validation(
        ok=result.ok,
        identity=_scrub(result.identity, creds),
        details={k: _scrub(str(v), creds) for k, v in dict(result.details).items()},
        validated_at=utcnow(),
    )
    target.last_validation = validation.model_dump(mode="json")
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="cloud_target.validated",
        target_type="cloud_target",
        target_id=target.id,
        after=target.last_validation,
    )
    return validation


# What the adapters call failures of the network rather than the cloud's verdict: their own
# codes, and the exception classes botocore and azure-core name connection failures with.
_NETWORK_CODES = frozenset(
    {
        "unreachable",
        "timeout",
        "EndpointConnectionError",
        "ConnectTimeoutError",
        "ReadTimeoutError",
        "ConnectionClosedError",
        "ProxyConnectionError",
        "SSLError",
        "HTTPClientError",
        "ResponseParserError",
        "ServiceRequestError",
        "ServiceResponseError",
        "ServiceRequestTimeoutError",
        "ServiceResponseTimeoutError",
    }
)


def _network_failure(details: Mapping[str, Any]) -> bool:
    return str(details.get("code", "")) in _NETWORK_CODES
