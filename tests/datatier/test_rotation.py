"""Credential rotation on a server that checks passwords: the old password keeps working for
the grace period, then stops; the new one works; what is stored is sealed (or nothing)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from pydantic import SecretStr

from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.provision import DataTierContext
from paybill_control_plane.datatier.schemas import TenantDatabaseOut
from paybill_control_plane.datatier.secrets import unseal
from paybill_control_plane.datatier.service import Rotated, rotate_credentials
from paybill_control_plane.db.engine import transaction
from tests.datatier.helpers import call, connect_as, ensure, purge, tenant_in
from tests.datatier.scram_server import scram_server
from tests.live import Api

GRACE = 1.5


@pytest.fixture(scope="module")
def data_url() -> Iterator[str]:
    with scram_server() as url:
        yield url


def with_server(settings: Settings, data_url: str, **changes: Any) -> Settings:
    return settings.model_copy(
        update={"local_data_url": SecretStr(data_url), "credential_grace_seconds": GRACE} | changes
    )


def rotate(settings: Settings, url: str, tenant_id: str) -> tuple[dict[str, Any], Rotated]:
    async def go(ctx: DataTierContext) -> tuple[dict[str, Any], Rotated]:
        async with transaction(ctx.sessionmaker) as session:
            rotated = await rotate_credentials(session, CLI, uuid.UUID(tenant_id), settings)
            shown = TenantDatabaseOut.of(rotated.row).model_dump(by_alias=True)
            return shown, rotated

    return call(settings, url, go)


@pytest.mark.parametrize("model", ["pooled", "silo"])
def test_old_password_works_within_grace_then_fails(
    admin: Api, settings: Settings, database_url: str, data_url: str, model: str
) -> None:
    local = with_server(settings, data_url)
    tenant = tenant_in(admin, model)
    try:
        row = ensure(local, database_url, tenant)
        assert row.port == int(data_url.rsplit(":", 1)[1].split("/")[0])
        first, one = rotate(local, database_url, tenant["id"])
        second, two = rotate(local, database_url, tenant["id"])
        assert two.previous_username == first["username"] != second["username"]
        with connect_as(first, one.password) as conn:  # within the grace period
            conn.execute("CREATE TABLE kept (x int)")
        with connect_as(second, two.password) as conn:
            conn.execute("INSERT INTO kept VALUES (1)")
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            connect_as(second, one.password)
        assert two.previous_valid_until is not None
        time.sleep(max(0.0, (two.previous_valid_until - datetime.now(UTC)).total_seconds()) + 0.3)
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            connect_as(first, one.password)
        with connect_as(second, two.password) as conn:
            assert conn.execute("SELECT count(*) FROM kept").fetchone() == (1,)
        # Stored only sealed under PAYBILL_SECRET_KEY, bound to the row.
        blob = two.row.credentials_encrypted
        assert blob is not None and two.password.encode() not in blob
        assert unseal(local, two.row.id, blob) == {
            "username": second["username"],
            "password": two.password,
        }
    finally:
        purge(local, database_url)


def test_without_a_secret_key_nothing_is_stored(
    admin: Api, settings: Settings, database_url: str, data_url: str
) -> None:
    local = with_server(settings, data_url, secret_key=None)
    tenant = tenant_in(admin, "bridge")
    try:
        assert ensure(local, database_url, tenant).credentials_encrypted is None
        shown, rotated = rotate(local, database_url, tenant["id"])
        assert rotated.row.credentials_encrypted is None
        with connect_as(shown, rotated.password) as conn:
            assert conn.execute("SELECT current_user").fetchone() == (shown["username"][:-2],)
    finally:
        purge(local, database_url)
