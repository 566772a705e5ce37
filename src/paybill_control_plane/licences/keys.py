"""Licence signing keys: Ed25519, generated on first use, private halves stored encrypted.

The private key is AES-256-GCM under PAYBILL_SECRET_KEY (clouds/credentials.py), bound to its
`kid`. Rotation makes a new key the signer; the retired one stays in the JWKS until every
licence it signed has expired (PAYBILL_LICENCE_TTL_HOURS).
"""

from __future__ import annotations

import base64
import secrets
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.clouds.credentials import (
    decrypt_credentials,
    encrypt_credentials,
)
from paybill_control_plane.config import Settings
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.errors import Conflict
from paybill_control_plane.kit.secret_key import required_secret_key
from paybill_control_plane.models.webhook import LicenceKey

_KEY_LOCK = text("SELECT pg_advisory_xact_lock(7311, 3)")


class LicenceKeyUnavailable(Conflict):
    type_slug = "secret-key-not-configured"
    title = "Licence signing keys cannot be stored or read"


def secret_key(settings: Settings) -> str:
    return required_secret_key(settings, LicenceKeyUnavailable, "licence signing keys")


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _aad(kid: str) -> str:
    return f"licence-key:{kid}"


async def current(session: AsyncSession) -> LicenceKey | None:
    """The signing key: the newest one not retired."""
    key: LicenceKey | None = await session.scalar(
        select(LicenceKey)
        .where(LicenceKey.retired_at.is_(None))
        .order_by(LicenceKey.created_at.desc())
        .limit(1)
    )
    return key


async def published(session: AsyncSession, settings: Settings) -> list[LicenceKey]:
    """Every key whose licences may still be valid, newest first."""
    horizon = utcnow() - timedelta(hours=settings.licence_ttl_hours)
    rows = await session.scalars(
        select(LicenceKey)
        .where(or_(LicenceKey.retired_at.is_(None), LicenceKey.retired_at > horizon))
        .order_by(LicenceKey.created_at.desc())
    )
    return list(rows)


async def create(
    session: AsyncSession, actor: Principal | str, settings: Settings, *, retire_current: bool
) -> LicenceKey:
    """Make a new signing key (serialised; without `retire_current`, only if none exists)."""
    await session.execute(_KEY_LOCK)
    existing = await current(session)
    if existing is not None and not retire_current:
        return existing
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    kid = f"lk_{secrets.token_hex(8)}"
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    now = utcnow()
    row = LicenceKey(
        kid=kid,
        private_key_encrypted=encrypt_credentials(
            secret_key(settings), _aad(kid), {"d": _b64url(raw)}
        ),
        public_jwk={"kty": "OKP", "crv": "Ed25519", "x": _b64url(public), "kid": kid,
                    "alg": "EdDSA", "use": "sig"},
        created_at=now,
        retired_at=None,
    )  # fmt: skip
    if existing is not None:
        existing.retired_at = now
    session.add(row)
    await session.flush()
    await audit.record(
        session, actor=actor, action="licence_key.created", target_type="licence_key",
        target_id=kid, after={"kid": kid, "retired": existing.kid if existing else None},
    )  # fmt: skip
    return row


def private_key(row: LicenceKey, settings: Settings) -> Ed25519PrivateKey:
    creds = decrypt_credentials(secret_key(settings), _aad(row.kid), row.private_key_encrypted)
    raw = base64.urlsafe_b64decode(creds["d"] + "=" * (-len(creds["d"]) % 4))
    return Ed25519PrivateKey.from_private_bytes(raw)


def jwks(rows: list[LicenceKey]) -> dict[str, Any]:
    return {"keys": [dict(row.public_jwk) for row in rows]}
