"""Fixtures for the cloud adapter tests: fake HTTP servers, throwaway keys, sample tenants."""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from paybill_control_plane.clouds.base import BoundaryRequest

from .fakeserver import FakeServer, serve

TENANT_ID = "3f1c2a9e-7b4d-4c1e-9a0f-5e6d7c8b9a01"
OTHER_TENANT_ID = "0b7e6d5c-4a3b-4c2d-8e1f-0a9b8c7d6e5f"


_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test here may reach a real cloud: refuse DNS lookups and connections off 127.0.0.1."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in _LOOPBACK:
            raise OSError(f"test tried to resolve {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in _LOOPBACK:
            raise OSError(f"test tried to connect to {address!r}")
        real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)


@dataclass(frozen=True)
class RsaKey:
    private_key: rsa.RSAPrivateKey
    pem: str

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self.private_key.public_key()

    @property
    def md5_fingerprint(self) -> str:
        """The OCI API-key fingerprint: MD5 of the DER public key, colon separated."""
        der = self.public_key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return ":".join(f"{b:02x}" for b in hashlib.md5(der).digest())


@pytest.fixture(scope="session")
def rsa_key() -> RsaKey:
    """A throwaway RSA key, made once per session (GCP service account, OCI API key)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return RsaKey(key, pem)


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    """A local HTTP server on 127.0.0.1; a test fails if the SDK called an unrouted path."""
    with serve() as server:
        yield server
        assert not server.unmatched, [f"{r.method} {r.raw_target}" for r in server.unmatched]


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL nothing listens on: the SDK's connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def silo_request() -> BoundaryRequest:
    return BoundaryRequest(
        tenant_id=TENANT_ID,
        tenant_slug="acme-corp",
        isolation_model="silo",
        region=None,
        labels={"cost-center": "cc-42", "paybill-tenant-id": "spoofed"},
    )
