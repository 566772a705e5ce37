"""Sealing a tenant database's credential material with PAYBILL_SECRET_KEY.

The same AES-256-GCM format as cloud credentials (`clouds/credentials.py`), bound to the
`tenant_databases` row id. Without a usable secret key (the embedded default leaves it unset)
nothing is stored: the password then exists only as the server's SCRAM verifier and in the one
rotation response that showed it. The control plane never needs it back: it manages the roles
as the server's admin.
"""

from __future__ import annotations

import uuid

from paybill_control_plane.clouds.credentials import (
    MIN_SECRET_KEY_LENGTH,
    decrypt_credentials,
    encrypt_credentials,
)
from paybill_control_plane.config import Settings


def _key(settings: Settings) -> str | None:
    raw = settings.secret_key.get_secret_value() if settings.secret_key else ""
    return raw if len(raw) >= MIN_SECRET_KEY_LENGTH else None


def _bound_to(row_id: uuid.UUID) -> str:
    return f"tenant-database:{row_id}"


def seal(settings: Settings, row_id: uuid.UUID, username: str, password: str) -> bytes | None:
    """The encrypted credentials, or None when no secret key is configured (nothing stored)."""
    key = _key(settings)
    if key is None:
        return None
    return encrypt_credentials(key, _bound_to(row_id), {"username": username, "password": password})


def unseal(settings: Settings, row_id: uuid.UUID, blob: bytes | None) -> dict[str, str] | None:
    """The stored credentials (None: nothing stored, or no key to open them with)."""
    key = _key(settings)
    if key is None or blob is None:
        return None
    return decrypt_credentials(key, _bound_to(row_id), blob)
