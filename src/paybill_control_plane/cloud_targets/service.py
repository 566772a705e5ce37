"""Cloud target rules: write-only encrypted credentials, validation through the cloud's SDK,
and which target a tenant uses."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.cloud_targets import repository as repo
from paybill_control_plane.cloud_targets._egress import InvalidCloudTarget, check_target_urls
from paybill_control_plane.cloud_targets.access import (
    CredentialsUnreadable as CredentialsUnreadable,
)
from paybill_control_plane.cloud_targets.access import (
    SecretKeyNotConfigured as SecretKeyNotConfigured,
)
from paybill_control_plane.cloud_targets.access import (
    choose_for_tenant as choose_for_tenant,
)
from paybill_control_plane.cloud_targets.access import (
    read_credentials as read_credentials,
)
from paybill_control_plane.cloud_targets.access import (
    secret_key as secret_key,
)
from paybill_control_plane.cloud_targets.access import (
    target_config as target_config,
)
from paybill_control_plane.cloud_targets.schemas import (
    CloudTargetCreate,
    CloudTargetOut,
    CloudTargetUpdate,
    Validation,
    check_for_cloud,
)
from paybill_control_plane.clouds.credentials import (
    encrypt_credentials,
    redact,
)
from paybill_control_plane.config import Settings
from paybill_control_plane.db.conflicts import add_unique
from paybill_control_plane.errors import (
    AlreadyExists,
    Conflict,
    InUse,
)
from paybill_control_plane.kit.etag import check_if_match
from paybill_control_plane.models.cloud_target import CloudTarget


class CredentialsMissing(Conflict):
    type_slug = "credentials-missing"
    title = "The cloud target has no usable credentials"


class CloudSdkMissing(Conflict):
    type_slug = "cloud-sdk-missing"
    title = "The cloud's SDK is not installed"


# -- credentials ------------------------------------------------------------------------------


def _plain(credentials: Mapping[str, SecretStr]) -> dict[str, str]:
    return {key: value.get_secret_value() for key, value in credentials.items()}


def _store_credentials(
    target: CloudTarget, credentials: Mapping[str, SecretStr] | None, settings: Settings
) -> None:
    if not credentials:
        target.credentials_encrypted = None
        target.credential_keys = []
        return
    plain = _plain(credentials)
    target.credentials_encrypted = encrypt_credentials(secret_key(settings), str(target.id), plain)
    target.credential_keys = sorted(plain)


# -- views ------------------------------------------------------------------------------------


def target_out(target: CloudTarget, tenants: int = 0) -> CloudTargetOut:
    return CloudTargetOut.from_row(
        target,
        state_backend=dict(target.state_backend) or {"kind": "pg", "config": {}},
        has_credentials=target.credentials_encrypted is not None,
        last_validation=(
            Validation.model_validate(target.last_validation) if target.last_validation else None
        ),
        tenants=tenants,
    )


def snapshot(target: CloudTarget) -> dict[str, Any]:
    """The audit view: no credential value, ever (only `redact`ed key names)."""
    out = target_out(target).model_dump(mode="json", exclude={"tenants", "last_validation"})
    out["credentials"] = redact(dict.fromkeys(target.credential_keys, ""))
    return out


# -- commands ---------------------------------------------------------------------------------


async def create_target(
    session: AsyncSession, actor: Principal, data: CloudTargetCreate, settings: Settings
) -> CloudTarget:
    """Register a target; its credentials are encrypted under a key bound to its id."""
    check_target_urls(data.endpoint_url, data.settings, settings)
    target = CloudTarget(
        id=uuid.uuid4(),
        cloud=data.cloud.value,
        name=data.name,
        default_region=data.default_region,
        account_ref=data.account_ref,
        endpoint_url=data.endpoint_url,
        settings=dict(data.settings),
        state_backend=data.state_backend.model_dump(mode="json"),
        version=1,
        created_by=actor.actor,
    )
    _store_credentials(target, data.credentials, settings)
    taken = f"A {data.cloud.value} cloud target named '{data.name}' already exists."
    await add_unique(session, target, lambda: AlreadyExists(taken))
    await audit.record(
        session,
        actor=actor,
        action="cloud_target.created",
        target_type="cloud_target",
        target_id=target.id,
        after=snapshot(target),
    )
    return target


async def update_target(
    session: AsyncSession,
    actor: Principal,
    target_id: uuid.UUID,
    data: CloudTargetUpdate,
    expected_version: int | None,
    settings: Settings,
) -> CloudTarget:
    """Change the given fields; `credentials` replaces the stored set (null removes it)."""
    target = await repo.get(session, target_id, for_update=True)
    check_if_match(target.version, expected_version, noun="target")
    changes = data.model_dump(exclude_unset=True, exclude={"credentials", "state_backend"})
    try:
        check_for_cloud(
            target.cloud,
            data.credentials if "credentials" in data.model_fields_set else None,
            data.state_backend,
        )
    except ValueError as exc:
        raise InvalidCloudTarget(str(exc)) from None
    before = snapshot(target)
    for field in ("default_region", "account_ref", "settings"):
        if field in changes:
            if changes[field] is None:
                raise InvalidCloudTarget(f"{field} cannot be null.")
            setattr(target, field, changes[field])
    if "endpoint_url" in changes:
        target.endpoint_url = changes["endpoint_url"]
    if "endpoint_url" in changes or "settings" in changes:
        check_target_urls(target.endpoint_url, target.settings, settings)
    if data.state_backend is not None:
        target.state_backend = data.state_backend.model_dump(mode="json")
    credentials_changed = "credentials" in data.model_fields_set
    if credentials_changed:
        _store_credentials(target, data.credentials, settings)
        target.last_validation = None  # a verdict on the old credentials says nothing now
    after = snapshot(target)
    if after == before and not credentials_changed:
        return target
    target.version += 1
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="cloud_target.updated",
        target_type="cloud_target",
        target_id=target.id,
        before=before,
        after={**snapshot(target), "credentials_replaced": credentials_changed},
    )
    return target


async def delete_target(
    session: AsyncSession, actor: Principal, target_id: uuid.UUID, expected_version: int | None
) -> None:
    """Remove a target no tenant and no live pool uses."""
    target = await repo.get(session, target_id, for_update=True)
    check_if_match(target.version, expected_version, noun="target")
    tenants, pools = await repo.usage(session, target_id)
    if tenants or pools:
        raise InUse(
            f"Cloud target '{target.name}' is used by {tenants} tenant(s) and {pools} pool(s).",
            extra={"tenants": tenants, "pools": pools},
        )
    before = snapshot(target)
    await repo.detach(session, target_id)
    await session.delete(target)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="cloud_target.deleted",
        target_type="cloud_target",
        target_id=target_id,
        before=before,
    )


# -- which target a tenant uses ---------------------------------------------------------------
