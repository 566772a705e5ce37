"""Managed PostgreSQL servers the clouds' modules create: the instance-level operations.

The modules make the server (RDS, Azure Database for PostgreSQL flexible server, Cloud SQL,
OCI Database with PostgreSQL, IBM Cloud Databases for PostgreSQL); the control plane manages
what is *in* it over a PostgreSQL connection (datatier), and what only the cloud can do through
one `ManagedDatabaseOps` per cloud, over the SDK its adapter already uses:

* ``admin_password``: the server's admin password, read from the cloud's secret store at the
  reference the module outputs (``database_admin_secret``); never returned nor logged;
* ``create_snapshot`` / ``snapshot_status`` / ``delete_snapshot``: an on-demand instance-level
  snapshot, named by the caller so that a retried job finds the one it started;
* ``restore_to_new``: a new server from a snapshot (never in place), named by the caller;
* ``delete_instance``: a server made by ``restore_to_new`` (a module's own server goes with
  ``terraform destroy``).

Every method is idempotent and synchronous (the worker calls it in a thread).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable

from .base import CloudConfigError, CloudTargetConfig, Credentials


class SnapshotState(StrEnum):
    creating = "creating"
    available = "available"
    failed = "failed"


@dataclass(frozen=True, slots=True)
class ManagedInstance:
    """A managed server as the module's outputs name it (``database_instance_id``): the RDS
    identifier, the flexible server's ARM id, the Cloud SQL instance name, the OCI DB system
    OCID, the IBM deployment CRN."""

    cloud: str
    instance_id: str


@dataclass(frozen=True, slots=True)
class InstanceSnapshot:
    """One instance-level snapshot: the cloud's id for it, its state, what it knows of its size."""

    snapshot_id: str
    state: SnapshotState
    size_bytes: int | None = None
    created_at: datetime | None = None
    error: str | None = None


@runtime_checkable
class ManagedDatabaseOps(Protocol):
    """What the control plane asks a cloud about the managed servers its modules created."""

    cloud: str
    # False: the cloud has no on-demand, nameable instance snapshot; the data tier then takes
    # logical dumps (pg_dump) of the tenant's database instead.
    instance_snapshots: bool

    def admin_password(self, target: CloudTargetConfig, creds: Credentials, secret_ref: str) -> str:
        """The admin password stored at ``secret_ref`` in the cloud's secret store."""
        ...

    def create_snapshot(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> InstanceSnapshot:
        """Start an on-demand snapshot called ``name`` (or return the one already started)."""
        ...

    def snapshot_status(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> InstanceSnapshot | None:
        """The snapshot called ``name``; None when it does not exist."""
        ...

    def delete_snapshot(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> None:
        """Delete the snapshot; one already gone is fine."""
        ...

    def restore_to_new(
        self,
        target: CloudTargetConfig,
        creds: Credentials,
        instance: ManagedInstance,
        name: str,
        new_instance_id: str,
    ) -> str:
        """Start a new server ``new_instance_id`` from the snapshot; the new server's id."""
        ...

    def delete_instance(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance
    ) -> None:
        """Delete a server made by ``restore_to_new``; one already gone is fine."""
        ...


def managed_ops(cloud: str) -> ManagedDatabaseOps:
    """The cloud's managed-database operations (no SDK is imported until a method runs)."""
    from .aws_rds import AwsRdsOps
    from .azure_pg import AzurePgOps
    from .gcp_sql import GcpSqlOps
    from .ibm_pg import IbmPgOps
    from .oci_pg import OciPgOps

    factories: dict[str, type[ManagedDatabaseOps]] = {
        "aws": AwsRdsOps,
        "azure": AzurePgOps,
        "gcp": GcpSqlOps,
        "oci": OciPgOps,
        "ibm": IbmPgOps,
    }
    factory = factories.get(cloud)
    if factory is None:
        raise CloudConfigError(cloud, "no managed databases on this cloud")
    return factory()
