"""Write-only storage of cloud credentials: AES-256-GCM, bound to the cloud target.

Blob layout (all of it authenticated)::

    version (1 byte, 0x01) | key id (4 bytes) | nonce (12 random bytes) | ciphertext + GCM tag

* The AES key is derived from ``PAYBILL_SECRET_KEY`` with HKDF-SHA256; the key id is a second,
  independent HKDF output, so it identifies the key without revealing anything about it.
* The associated data is the header plus the target id: a blob copied onto another target,
  or with an edited header, does not decrypt.
* Rotation: decrypt with ``previous_keys`` and re-encrypt with the new key when
  ``needs_reencrypt`` says so; the version byte leaves room for a future format (for
  example envelope encryption with a KMS-wrapped data key).

Credentials never leave this module except to the adapters; use ``redact`` for logs and
API responses.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT_VERSION = 1
MIN_SECRET_KEY_LENGTH = 32
REDACTED = "***"
_NONCE_LEN = 12
_KEY_ID_LEN = 4
_HEADER_LEN = 1 + _KEY_ID_LEN
_SALT = b"paybill-control-plane/cloud-credentials"


class CredentialDecryptError(Exception):
    """A stored credential blob cannot be decrypted (tampered, wrong key or wrong target)."""


def generate_secret_key() -> str:
    """A new random PAYBILL_SECRET_KEY (256 bits, URL-safe base64, 43 characters)."""
    return secrets.token_urlsafe(32)


def _derive(secret_key: str, info: bytes, length: int) -> bytes:
    if len(secret_key) < MIN_SECRET_KEY_LENGTH:
        raise ValueError(
            f"the secret key must be at least {MIN_SECRET_KEY_LENGTH} characters of random "
            "material; create one with generate_secret_key()"
        )
    hkdf = HKDF(algorithm=hashes.SHA256(), length=length, salt=_SALT, info=info)
    return hkdf.derive(secret_key.encode())


def _aes_key(secret_key: str) -> bytes:
    return _derive(secret_key, b"aes-256-gcm/v1", 32)


def key_id(secret_key: str) -> bytes:
    """The 4-byte identifier stored in blobs encrypted under this secret key."""
    return _derive(secret_key, b"key-id/v1", _KEY_ID_LEN)


def _aad(header: bytes, target_id: str) -> bytes:
    return header + b"\x00" + target_id.encode()


def encrypt_credentials(secret_key: str, target_id: str, creds: Mapping[str, str]) -> bytes:
    """Encrypt a credential mapping for one cloud target."""
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in creds.items()):
        raise TypeError("credential keys and values must be strings")
    header = bytes([FORMAT_VERSION]) + key_id(secret_key)
    nonce = secrets.token_bytes(_NONCE_LEN)
    plaintext = json.dumps(dict(creds), sort_keys=True, separators=(",", ":")).encode()
    ciphertext = AESGCM(_aes_key(secret_key)).encrypt(nonce, plaintext, _aad(header, target_id))
    return header + nonce + ciphertext


def decrypt_credentials(
    secret_key: str, target_id: str, blob: bytes, *, previous_keys: Sequence[str] = ()
) -> dict[str, str]:
    """Decrypt a blob made by encrypt_credentials for the same target.

    ``previous_keys`` are tried when the blob was encrypted under an older secret key.
    Raises CredentialDecryptError; its message never contains key or credential material.
    """
    if len(blob) < _HEADER_LEN + _NONCE_LEN + 16:
        raise CredentialDecryptError("credential blob is truncated")
    if blob[0] != FORMAT_VERSION:
        raise CredentialDecryptError(f"unsupported credential blob version {blob[0]}")
    header, stored_key_id = blob[:_HEADER_LEN], blob[1:_HEADER_LEN]
    candidates = [k for k in (secret_key, *previous_keys) if key_id(k) == stored_key_id]
    if not candidates:
        raise CredentialDecryptError(
            f"credential blob was encrypted under another secret key (key id "
            f"{stored_key_id.hex()}); pass the old key in previous_keys to rotate"
        )
    nonce = blob[_HEADER_LEN : _HEADER_LEN + _NONCE_LEN]
    ciphertext = blob[_HEADER_LEN + _NONCE_LEN :]
    for candidate in candidates:  # a 4-byte id can collide, so try every match
        try:
            plaintext = AESGCM(_aes_key(candidate)).decrypt(
                nonce, ciphertext, _aad(header, target_id)
            )
        except InvalidTag:
            continue
        data = json.loads(plaintext)
        if not isinstance(data, dict):
            raise CredentialDecryptError("credential blob does not hold a mapping")
        return {str(k): str(v) for k, v in data.items()}
    raise CredentialDecryptError(
        "credential blob failed authentication: it was modified or belongs to another target"
    )


def needs_reencrypt(secret_key: str, blob: bytes) -> bool:
    """True when the blob is not in the current format under the current key."""
    return blob[:_HEADER_LEN] != bytes([FORMAT_VERSION]) + key_id(secret_key)


def redact(creds: Mapping[str, str]) -> dict[str, str]:
    """The credential keys with every value replaced by ``***``, for logs and API answers."""
    return dict.fromkeys(creds, REDACTED)
