"""Names of data-tier objects and where the `local` data server is."""

from __future__ import annotations

import uuid

from pydantic import SecretStr

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.local_server import local_data_server
from paybill_control_plane.datatier.names import derived_prefix, tenant_names
from paybill_control_plane.models.enums import IsolationModel


def test_names_fit_postgres_and_never_collide_across_models_pools_or_instances() -> None:
    tenant, pool, other_pool = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    prefix = derived_prefix("paybill")
    assert prefix == derived_prefix("paybill") != derived_prefix("paybill_other")
    every = [
        tenant_names(prefix, IsolationModel.pooled, tenant, pool),
        tenant_names(prefix, IsolationModel.pooled, tenant, other_pool),
        tenant_names(prefix, IsolationModel.bridge, tenant, pool),
        tenant_names(prefix, IsolationModel.silo, tenant, None),
    ]
    roles = [r for n in every for r in (n.owner, *n.logins)]
    assert len(set(roles)) == len(roles) and max(map(len, roles)) <= 63
    assert all(r.startswith(prefix + "_") for r in roles)
    assert every[0].database == every[0].database and every[0].schema == f"t_{tenant.hex}"
    assert every[2].schema is None and every[2].database == every[2].owner


def test_the_data_server_defaults_to_the_control_planes_own() -> None:
    tcp = local_data_server(Settings(), "postgresql+psycopg://cp:pw@db.internal:6543/paybill")
    assert (tcp.host, tcp.port, tcp.prefix) == ("db.internal", 6543, derived_prefix("paybill"))
    assert tcp.admin_dsn == "postgresql://cp:pw@db.internal:6543/postgres"
    assert tcp.control_plane_database == "paybill" and tcp.control_plane_user == "cp"
    assert "pw" not in repr(tcp)
    embedded = local_data_server(Settings(), "postgresql+psycopg://postgres:@/paybill?host=/run/pg")
    assert (embedded.host, embedded.port) == ("/run/pg", 5432)


def test_a_configured_data_server_and_prefix() -> None:
    settings = Settings(
        local_data_url=SecretStr("postgresql://admin:s@data.internal/postgres"),
        data_name_prefix="acme",
    )
    server = local_data_server(settings, "postgresql+psycopg://cp@db.internal/paybill")
    assert (server.host, server.prefix, server.control_plane_database) == (
        "data.internal", "acme", None,
    )  # fmt: skip
