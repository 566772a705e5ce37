"""API key secrets: generated with `secrets`, stored as SHA-256 (keys are high-entropy)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

TOKEN_PREFIX = "pbk_"  # noqa: S105 - a public marker, not a secret


@dataclass(frozen=True)
class NewToken:
    token: str
    prefix: str
    secret_hash: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> NewToken:
    body = secrets.token_urlsafe(32)
    token = f"{TOKEN_PREFIX}{body}"
    return NewToken(
        token=token, prefix=token[: len(TOKEN_PREFIX) + 6], secret_hash=hash_token(token)
    )
