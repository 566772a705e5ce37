"""API models of licences and their public keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class LicenceOut(BaseModel):
    licence: str = Field(description="A JWT signed with Ed25519 (`alg: EdDSA`, `kid` header).")
    expires_at: datetime
    claims: dict[str, Any] = Field(description="The token's claims, decoded for convenience.")


class Jwk(BaseModel):
    kty: str
    crv: str
    x: str
    kid: str
    alg: str
    use: str


class Jwks(BaseModel):
    keys: list[Jwk]


class LicenceKeyRotated(BaseModel):
    kid: str = Field(description="The new signing key; the previous stays published.")
