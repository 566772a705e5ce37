"""API key rules: creation (secret shown once), authentication, revocation."""

from __future__ import annotations

import hmac
import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth import repository as repo
from paybill_control_plane.auth.cache import KEY_CACHE
from paybill_control_plane.auth.principal import Principal, actor_name
from paybill_control_plane.auth.schemas import ApiKeyCreate, ApiKeyOut
from paybill_control_plane.auth.tokens import hash_token, new_token
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.errors import NotFound, Unauthenticated
from paybill_control_plane.models.api_key import ApiKey
from paybill_control_plane.models.enums import Role
from paybill_control_plane.tenants import repository as tenants_repo

_LAST_USED_RESOLUTION = timedelta(minutes=5)


class ApiKeyNotFound(NotFound):
    type_slug = "api-key-not-found"
    title = "API key not found"


def key_snapshot(key: ApiKey) -> dict[str, object]:
    return ApiKeyOut.model_validate(key).model_dump(mode="json", exclude={"last_used_at"})


async def create_key(
    session: AsyncSession, actor: Principal | str, data: ApiKeyCreate
) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the secret, which is never stored."""
    if data.tenant_id is not None:
        await tenants_repo.get(
            session, Principal(key_id=None, name="system", role=Role.admin), data.tenant_id
        )
    token = new_token()
    key = ApiKey(
        id=uuid.uuid4(),
        name=data.name,
        role=data.role.value,
        tenant_id=data.tenant_id,
        prefix=token.prefix,
        secret_hash=token.secret_hash,
        created_by=actor_name(actor),
    )
    session.add(key)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="api_key.created",
        target_type="api_key",
        target_id=key.id,
        tenant_id=key.tenant_id,
        after=key_snapshot(key),
    )
    return key, token.token


def cached_principal(token: str) -> Principal | None:
    """The principal of a key verified within its cache time, without touching the database."""
    return KEY_CACHE.get(hash_token(token))


async def authenticate(session: AsyncSession, token: str, *, cache_seconds: float = 0) -> Principal:
    """The principal behind a bearer token; 401 for unknown or revoked keys.

    With `cache_seconds`, a verified key is answered from `KEY_CACHE` for that long.
    """
    secret_hash = hash_token(token)
    cached = KEY_CACHE.get(secret_hash)
    if cached is not None:
        return cached
    key = await repo.auth_row(session, secret_hash)
    if key is None or not hmac.compare_digest(key.secret_hash, secret_hash):
        raise Unauthenticated("The API key is not valid.")
    if key.revoked_at is not None:
        raise Unauthenticated("The API key has been revoked.")
    now = utcnow()
    if key.last_used_at is None or now - key.last_used_at > _LAST_USED_RESOLUTION:
        await repo.touch(session, key.id, now)
    principal = Principal(
        key_id=key.id, name=key.name, role=Role(key.role), tenant_id=key.tenant_id
    )
    KEY_CACHE.put(secret_hash, principal, cache_seconds)
    return principal


async def get_key(session: AsyncSession, key_id: uuid.UUID) -> ApiKey:
    key = await repo.get(session, key_id)
    if key is None:
        raise ApiKeyNotFound(f"No API key with id '{key_id}'.")
    return key


async def revoke_key(session: AsyncSession, actor: Principal, key_id: uuid.UUID) -> ApiKey:
    """Revoke a key (idempotent); it stops working at once."""
    key = await get_key(session, key_id)
    if key.revoked_at is not None:
        return key
    before = key_snapshot(key)
    key.revoked_at = utcnow()
    await session.flush()
    KEY_CACHE.evict_key(key.id)
    await audit.record(
        session,
        actor=actor,
        action="api_key.revoked",
        target_type="api_key",
        target_id=key.id,
        tenant_id=key.tenant_id,
        before=before,
        after=key_snapshot(key),
    )
    return key
