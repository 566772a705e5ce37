"""SQL of the idempotency records, and the sealing of the response bodies they keep."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

MIN_SECRET_KEY_LENGTH = 32
_NONCE_LEN = 12

# One statement: purge a few expired records of any key (SKIP LOCKED, so purges never queue
# behind each other), then claim the key. A live record with the same key makes the upsert do
# nothing (after waiting for its transaction if it is still in flight); an expired one is taken
# over as a fresh claim.
_CLAIM = text(
    """
    WITH purged AS (
        DELETE FROM idempotency_records
        WHERE (key_id, idempotency_key) IN (
            SELECT key_id, idempotency_key FROM idempotency_records
            WHERE expires_at < now()
              AND NOT (key_id = :key_id AND idempotency_key = :idem_key)
            ORDER BY expires_at
            LIMIT 50
            FOR UPDATE SKIP LOCKED
        )
    )
    INSERT INTO idempotency_records AS r
        (key_id, idempotency_key, request_hash, method, path, headers, body_format, expires_at)
    VALUES (:key_id, :idem_key, :request_hash, :method, :path, '[]'::jsonb, 'plain',
            now() + CAST(:ttl AS double precision) * interval '1 second')
    ON CONFLICT (key_id, idempotency_key) DO UPDATE SET
        request_hash = EXCLUDED.request_hash,
        method = EXCLUDED.method,
        path = EXCLUDED.path,
        status_code = NULL,
        headers = '[]'::jsonb,
        body_format = 'plain',
        body = NULL,
        created_at = now(),
        expires_at = EXCLUDED.expires_at
    WHERE r.expires_at < now()
    RETURNING true
    """
)
_GET = text(
    """
    SELECT request_hash, method, path, status_code, headers, body_format, body
    FROM idempotency_records
    WHERE key_id = :key_id AND idempotency_key = :idem_key AND expires_at >= now()
    """
)
_COMPLETE = text(
    """
    UPDATE idempotency_records
    SET status_code = :status, headers = CAST(:headers AS jsonb), body_format = :body_format,
        body = :body
    WHERE key_id = :key_id AND idempotency_key = :idem_key
    """
)
_RELEASE = text(
    "DELETE FROM idempotency_records WHERE key_id = :key_id AND idempotency_key = :idem_key"
)


@dataclass(frozen=True)
class StoredResponse:
    request_hash: str
    method: str
    path: str
    status_code: int | None
    headers: list[list[str]]
    body_format: str
    body: bytes | None


async def claim(
    session: AsyncSession,
    key_id: uuid.UUID,
    idem_key: str,
    *,
    request_hash: str,
    method: str,
    path: str,
    ttl_seconds: float,
) -> bool:
    """Insert the in-flight record; False when a live record holds the key already."""
    result = await session.execute(
        _CLAIM,
        {
            "key_id": key_id,
            "idem_key": idem_key,
            "request_hash": request_hash,
            "method": method,
            "path": path,
            "ttl": ttl_seconds,
        },
    )
    return result.first() is not None


async def get(session: AsyncSession, key_id: uuid.UUID, idem_key: str) -> StoredResponse | None:
    row = (await session.execute(_GET, {"key_id": key_id, "idem_key": idem_key})).first()
    if row is None:
        return None
    return StoredResponse(
        request_hash=row.request_hash,
        method=row.method,
        path=row.path,
        status_code=row.status_code,
        headers=row.headers,
        body_format=row.body_format,
        body=row.body,
    )


async def complete(
    session: AsyncSession,
    key_id: uuid.UUID,
    idem_key: str,
    *,
    status: int,
    headers_json: str,
    body_format: str,
    body: bytes | None,
) -> None:
    await session.execute(
        _COMPLETE,
        {
            "key_id": key_id,
            "idem_key": idem_key,
            "status": status,
            "headers": headers_json,
            "body_format": body_format,
            "body": body,
        },
    )


async def release(session: AsyncSession, key_id: uuid.UUID, idem_key: str) -> None:
    """Drop the claim: the response is not one to replay, so a retry runs the request again."""
    await session.execute(_RELEASE, {"key_id": key_id, "idem_key": idem_key})


# -- sealing ----------------------------------------------------------------------------------


class UnsealError(Exception):
    """A sealed body does not open (PAYBILL_SECRET_KEY changed, or the row was edited)."""


def usable_secret_key(raw: str | None) -> str | None:
    return raw if raw and len(raw) >= MIN_SECRET_KEY_LENGTH else None


@lru_cache(maxsize=4)
def _aes(secret_key: str) -> AESGCM:
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"paybill-control-plane/idempotency",
        info=b"response-body/aes-256-gcm/v1",
    )
    return AESGCM(hkdf.derive(secret_key.encode()))


def _aad(key_id: uuid.UUID, idem_key: str) -> bytes:
    # Bound to its record: a sealed body copied onto another key's record does not open.
    return key_id.bytes + idem_key.encode()


def seal(secret_key: str, key_id: uuid.UUID, idem_key: str, body: bytes) -> bytes:
    nonce = secrets.token_bytes(_NONCE_LEN)
    return nonce + _aes(secret_key).encrypt(nonce, body, _aad(key_id, idem_key))


def unseal(secret_key: str, key_id: uuid.UUID, idem_key: str, blob: bytes) -> bytes:
    try:
        return _aes(secret_key).decrypt(
            blob[:_NONCE_LEN], blob[_NONCE_LEN:], _aad(key_id, idem_key)
        )
    except (InvalidTag, ValueError) as exc:
        raise UnsealError("the stored response does not decrypt under PAYBILL_SECRET_KEY") from exc
