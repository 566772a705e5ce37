"""The managed PostgreSQL servers the five clouds' modules create, as data servers.

A module that outputs ``database_admin_username`` and ``database_admin_secret`` (a reference to
the cloud's secret store, never the password itself) hands its server to the control plane:
the data tier then makes the tenant's roles, schema or database there with the same code as on
`local` (`provision.ensure_tenant_database` with a `DataServer`), rotates and suspends them, and
snapshots them. Without those outputs the database is only recorded (`unmanaged`).

Where the service connects: only to the ``database_host`` our own modules output after an apply
(never to an address a user typed: those go through kit/net_guard). Managed servers live on
private networks, so the egress guard's private-address rule cannot apply to them; TLS is
required (``sslmode=require``). ``PAYBILL_TEST_MANAGED_DATABASE_ADDRESS`` replaces the address
in tests only.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

from psycopg.conninfo import make_conninfo
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.cloud_targets import repository as targets_repo
from paybill_control_plane.cloud_targets.access import read_credentials, target_config
from paybill_control_plane.clouds import CloudError, CloudTargetConfig, get_adapter
from paybill_control_plane.clouds.managed_db import ManagedDatabaseOps, ManagedInstance, managed_ops
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.local_server import LocalDataServer
from paybill_control_plane.datatier.names import derived_prefix
from paybill_control_plane.errors import Conflict
from paybill_control_plane.models.cloud_target import CloudTarget
from paybill_control_plane.models.enums import IsolationModel
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_database import TenantDatabase

DEFAULT_PORT = 5432
DEFAULT_ADMIN_DATABASE = "postgres"


class ManagedServerUnavailable(Conflict):
    type_slug = "managed-database-unavailable"
    title = "The tenant's managed database server cannot be reached by the control plane"


@dataclass(frozen=True, slots=True)
class ManagedOutputs:
    """What a module's non-sensitive outputs say about its managed server."""

    host: str
    port: int
    admin_username: str
    admin_secret: str  # a secret-store reference, not the password
    admin_database: str
    instance_id: str | None

    @staticmethod
    def parse(outputs: dict[str, Any]) -> ManagedOutputs | None:
        """None when the module does not hand its server over (then: `unmanaged`)."""
        host, user, secret = (
            outputs.get("database_host"),
            outputs.get("database_admin_username"),
            outputs.get("database_admin_secret"),
        )
        if not (isinstance(host, str) and host and isinstance(user, str) and user):
            return None
        if not (isinstance(secret, str) and secret):
            return None
        try:
            port = int(outputs.get("database_port") or DEFAULT_PORT)
        except (TypeError, ValueError):
            port = DEFAULT_PORT
        instance = outputs.get("database_instance_id")
        return ManagedOutputs(
            host=host,
            port=port,
            admin_username=user,
            admin_secret=secret,
            admin_database=str(outputs.get("database_admin_database") or DEFAULT_ADMIN_DATABASE),
            instance_id=str(instance) if instance else None,
        )


@dataclass(frozen=True, slots=True)
class CloudAccess:
    """The cloud target a managed server belongs to, its credentials and the cloud's ops."""

    config: CloudTargetConfig
    creds: dict[str, str]
    ops: ManagedDatabaseOps

    def instance(self, outputs: ManagedOutputs) -> ManagedInstance | None:
        return (
            ManagedInstance(self.config.cloud, outputs.instance_id) if outputs.instance_id else None
        )


def instance_prefix(settings: Settings, control_plane_url: str) -> str:
    """The same name prefix as `local`'s (names carry ids, so servers never mix)."""
    return settings.data_name_prefix or derived_prefix(
        make_url(control_plane_url).database or "paybill"
    )


async def cloud_access(
    session: AsyncSession, settings: Settings, cloud: str, target_id: uuid.UUID | None
) -> CloudAccess:
    """The bound target (or the cloud's only one), decrypted credentials, the ops."""
    target: CloudTarget | None = None
    if target_id is not None:
        target = await session.get(CloudTarget, target_id)
    else:
        targets = await targets_repo.of_cloud(session, cloud)
        target = targets[0] if len(targets) == 1 else None
    if target is None:
        raise ManagedServerUnavailable(
            f"No cloud target of {cloud} is bound to this tenant or pool: register one with "
            "POST /v1/cloud-targets.",
            extra={"cloud": cloud},
        )
    return CloudAccess(
        target_config(target), read_credentials(target, settings), managed_ops(cloud)
    )


async def in_boundary(access: CloudAccess, boundary: dict[str, Any] | None) -> CloudAccess:
    """The access inside a silo tenant's AWS member account (its server lives there): the role
    Organizations made in it, assumed after the target's own role if it has one — as the
    run's Terraform does (provisioning/cloud_runtime/environment.py)."""
    boundary = boundary or {}
    role = (boundary.get("attributes") or {}).get("role_arn")
    if boundary.get("kind") != "aws_account" or not role:
        return access
    creds = dict(access.creds)
    if creds.get("role_arn"):
        hop = await asyncio.to_thread(get_adapter("aws").terraform_env, access.config, creds)
        creds = {
            "access_key_id": hop["AWS_ACCESS_KEY_ID"],
            "secret_access_key": hop["AWS_SECRET_ACCESS_KEY"],
            "session_token": hop.get("AWS_SESSION_TOKEN", ""),
        }
    creds = {k: v for k, v in creds.items() if k != "external_id"} | {"role_arn": str(role)}
    return CloudAccess(access.config, creds, access.ops)


async def data_server(
    settings: Settings, control_plane_url: str, access: CloudAccess, outputs: ManagedOutputs
) -> LocalDataServer:
    """The managed server as a data server: admin connection with the password from the cloud's
    secret store (read now, held only in this value, which is never logged nor stored)."""
    try:
        password = await asyncio.to_thread(
            access.ops.admin_password, access.config, access.creds, outputs.admin_secret
        )
    except CloudError as error:  # its message is secret-free by construction
        raise ManagedServerUnavailable(
            f"The admin password of the {access.config.cloud} database server cannot be read "
            f"from the cloud's secret store: {error.message}",
            extra={"cloud": access.config.cloud, "code": error.code},
        ) from None
    host, port, sslmode = outputs.host, outputs.port, "require"
    if settings.test_managed_database_address:
        test_host, _, test_port = settings.test_managed_database_address.rpartition(":")
        host, port, sslmode = test_host, int(test_port), "prefer"
    dsn = make_conninfo(
        host=host, port=port, user=outputs.admin_username, password=password,
        dbname=outputs.admin_database, sslmode=sslmode, connect_timeout=15,
    )  # fmt: skip
    return LocalDataServer(
        admin_dsn=dsn,
        prefix=instance_prefix(settings, control_plane_url),
        host=outputs.host,
        port=outputs.port,
        control_plane_database=None,
        control_plane_user="",
        cloud=access.config.cloud,
    )


@dataclass(frozen=True, slots=True)
class ManagedHome:
    """Where a cloud tenant's row lives: the module outputs and the cloud access."""

    outputs: ManagedOutputs
    access: CloudAccess


async def home_of(session: AsyncSession, settings: Settings, row: TenantDatabase) -> ManagedHome:
    """The managed server of a cloud tenant's row, from its stack's recorded outputs."""
    model = IsolationModel(row.isolation_model)
    if model is IsolationModel.pooled:
        assert row.pool_id is not None
        stack = await session.scalar(
            select(Stack).where(Stack.pool_id == row.pool_id, Stack.kind == "pool")
        )
        owner: Tenant | Pool | None = await session.get(Pool, row.pool_id)
    else:
        kind = "silo" if model is IsolationModel.silo else "bridge-data"
        stack = await session.scalar(
            select(Stack).where(Stack.tenant_id == row.tenant_id, Stack.kind == kind)
        )
        owner = await session.get(Tenant, row.tenant_id)
    outputs = ManagedOutputs.parse(dict(stack.outputs or {})) if stack is not None else None
    if outputs is None or owner is None:
        raise ManagedServerUnavailable(
            f"Tenant {row.tenant_id}'s {row.cloud} module does not hand its database server to "
            "the control plane (outputs database_admin_username and database_admin_secret; see "
            "terraform-modules/README.md).",
            extra={"tenant_id": str(row.tenant_id), "cloud": row.cloud},
        )
    access = await cloud_access(session, settings, row.cloud, owner.cloud_target_id)
    assert stack is not None
    return ManagedHome(outputs, await in_boundary(access, stack.boundary))
