"""The Ed25519 key that signs audit checkpoints: loading it, naming it, signing, verifying."""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class SigningKeyError(ValueError):
    """The configured key cannot be used; the message never contains the key."""


def load_private_key(material: str) -> Ed25519PrivateKey:
    """A PEM (PKCS#8) Ed25519 private key, or base64 of its 32 raw bytes or of its DER."""
    text = material.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            raw = base64.b64decode(text, validate=True)
            key = (
                Ed25519PrivateKey.from_private_bytes(raw)
                if len(raw) == 32
                else serialization.load_der_private_key(raw, password=None)
            )
    except (ValueError, TypeError, binascii.Error):
        raise SigningKeyError(
            "PAYBILL_AUDIT_SIGNING_KEY is not an Ed25519 private key (PEM, or base64)"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError("PAYBILL_AUDIT_SIGNING_KEY is not an Ed25519 key")
    return key


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError:
        raise SigningKeyError("not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError("not an Ed25519 public key")
    return key


def new_private_key_pem() -> str:
    """A fresh key as PKCS#8 PEM (what `paybill audit keygen` prints)."""
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


@dataclass(frozen=True)
class PublicKeyInfo:
    pem: str
    fingerprint: str  # SHA-256 of the raw 32-byte public key, hex
    key_id: str  # the fingerprint's first 16 hex digits, written into every checkpoint


def public_key_info(key: Ed25519PublicKey) -> PublicKeyInfo:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    fingerprint = hashlib.sha256(raw).hexdigest()
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    return PublicKeyInfo(pem=pem, fingerprint=fingerprint, key_id=fingerprint[:16])


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message)).decode()


def verify(key: Ed25519PublicKey, message: bytes, signature: str) -> bool:
    try:
        key.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True
