"""Oracle Cloud managed databases: OCI Database with PostgreSQL (``oci.psql``) and the admin
password from OCI Vault (``oci.secrets``), with the adapter's API-key signer (same ``oci`` SDK).

* snapshot = an on-demand backup of the DB system, its display name the caller's name;
* restore = a new DB system from the backup (``BackupSourceDetails``) with the source system's
  shape, storage and network;
* ``database_instance_id`` is the DB system's OCID; ``database_admin_secret`` a Vault secret OCID.

Target settings ``psql_endpoint`` / ``secrets_endpoint`` override the service URLs (checked by
the egress guard like ``endpoint_url``).
"""

from __future__ import annotations

import base64
from typing import Any

from ._common import require_credentials, sdk_errors
from .base import CloudError, CloudTargetConfig, Credentials
from .managed_db import InstanceSnapshot, ManagedInstance, SnapshotState
from .oci import CLOUD, REQUIRED_KEYS, _describe, _describe_load, _oci, client_settings

_STATES = {
    "ACTIVE": SnapshotState.available,
    "CREATING": SnapshotState.creating,
    "UPDATING": SnapshotState.creating,
    "FAILED": SnapshotState.failed,
}
_GONE = ("DELETING", "DELETED")
_NOT_FOUND = ("NotAuthorizedOrNotFound", "NotFound")


class OciPgOps:
    cloud = CLOUD
    instance_snapshots = True

    def _client(self, target: CloudTargetConfig, creds: Credentials, kind: str) -> Any:
        require_credentials(CLOUD, creds, REQUIRED_KEYS)
        oci = _oci()
        config, options = client_settings(
            oci, creds, target, region=target.default_region or creds["region"],
            endpoint=target.setting(f"{kind}_endpoint"),
        )  # fmt: skip
        with sdk_errors(CLOUD, "load credentials", creds, _describe_load):
            oci.config.validate_config(config)
            if kind == "secrets":
                return oci.secrets.SecretsClient(config, **options)
            return oci.psql.PostgresqlClient(config, **options)

    def admin_password(self, target: CloudTargetConfig, creds: Credentials, secret_ref: str) -> str:
        client = self._client(target, creds, "secrets")
        with sdk_errors(CLOUD, "get secret bundle", creds, _describe):
            bundle = client.get_secret_bundle(secret_ref).data
        content = getattr(bundle.secret_bundle_content, "content", None)
        if not isinstance(content, str):
            raise CloudError(CLOUD, "the admin secret has no content", code="invalid-secret")
        return base64.b64decode(content).decode()

    def _system(self, client: Any, creds: Credentials, system_id: str) -> Any | None:
        try:
            with sdk_errors(CLOUD, f"get DB system {system_id}", creds, _describe):
                system = client.get_db_system(system_id).data
        except CloudError as error:
            if error.code in _NOT_FOUND:
                return None
            raise
        return None if system.lifecycle_state in _GONE else system

    def _backup(
        self, client: Any, creds: Credentials, instance: ManagedInstance, name: str
    ) -> Any | None:
        system = self._system(client, creds, instance.instance_id)
        if system is None:
            return None
        oci = _oci()
        with sdk_errors(CLOUD, f"list backups named {name}", creds, _describe):
            found = oci.pagination.list_call_get_all_results(
                client.list_backups, compartment_id=system.compartment_id, display_name=name
            ).data
        live = [b for b in found if b.lifecycle_state not in _GONE]
        return live[0] if live else None

    def create_snapshot(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> InstanceSnapshot:
        client = self._client(target, creds, "psql")
        found = self._backup(client, creds, instance, name)
        if found is not None:
            return _snapshot(name, found)
        system = self._system(client, creds, instance.instance_id)
        if system is None:
            raise CloudError(CLOUD, f"DB system {instance.instance_id} is gone", code="NotFound")
        details = _oci().psql.models.CreateBackupDetails(
            display_name=name,
            compartment_id=system.compartment_id,
            db_system_id=instance.instance_id,
            freeform_tags={"paybill-managed-by": "paybill-control-plane"},
        )
        with sdk_errors(CLOUD, f"create backup {name}", creds, _describe):
            # Accepted as a work request (no body): the backup shows up in the list by name.
            client.create_backup(details)
        return InstanceSnapshot(snapshot_id=name, state=SnapshotState.creating)

    def snapshot_status(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> InstanceSnapshot | None:
        client = self._client(target, creds, "psql")
        found = self._backup(client, creds, instance, name)
        return _snapshot(name, found) if found is not None else None

    def delete_snapshot(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> None:
        client = self._client(target, creds, "psql")
        found = self._backup(client, creds, instance, name)
        if found is None:
            return
        try:
            with sdk_errors(CLOUD, f"delete backup {name}", creds, _describe):
                client.delete_backup(found.id)
        except CloudError as error:
            if error.code not in _NOT_FOUND:
                raise

    def restore_to_new(
        self,
        target: CloudTargetConfig,
        creds: Credentials,
        instance: ManagedInstance,
        name: str,
        new_instance_id: str,
    ) -> str:
        client = self._client(target, creds, "psql")
        oci = _oci()
        source = self._system(client, creds, instance.instance_id)
        if source is None:
            raise CloudError(CLOUD, f"DB system {instance.instance_id} is gone", code="NotFound")
        with sdk_errors(CLOUD, f"list DB systems named {new_instance_id}", creds, _describe):
            existing = oci.pagination.list_call_get_all_results(
                client.list_db_systems,
                compartment_id=source.compartment_id,
                display_name=new_instance_id,
            ).data
        live = [s for s in existing if s.lifecycle_state not in _GONE]
        if live:
            return str(live[0].id)
        backup = self._backup(client, creds, instance, name)
        if backup is None or backup.lifecycle_state != "ACTIVE":
            raise CloudError(CLOUD, f"backup {name} is not active", code="snapshot-not-ready")
        models = oci.psql.models
        details = models.CreateDbSystemDetails(
            display_name=new_instance_id,
            compartment_id=source.compartment_id,
            db_version=source.db_version,
            shape=source.shape,
            instance_ocpu_count=source.instance_ocpu_count,
            instance_memory_size_in_gbs=source.instance_memory_size_in_gbs,
            instance_count=1,
            storage_details=source.storage_details,
            network_details=source.network_details,
            source=models.BackupSourceDetails(backup_id=backup.id),
            freeform_tags={"paybill-restored-from": name},
        )
        with sdk_errors(CLOUD, f"create DB system {new_instance_id}", creds, _describe):
            created = client.create_db_system(details).data
        return str(created.id)

    def delete_instance(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance
    ) -> None:
        client = self._client(target, creds, "psql")
        if self._system(client, creds, instance.instance_id) is None:
            return
        try:
            with sdk_errors(CLOUD, f"delete DB system {instance.instance_id}", creds, _describe):
                client.delete_db_system(instance.instance_id)
        except CloudError as error:
            if error.code not in _NOT_FOUND:
                raise


def _snapshot(name: str, backup: Any) -> InstanceSnapshot:
    state = _STATES.get(str(backup.lifecycle_state), SnapshotState.failed)
    size = backup.backup_size  # GB
    return InstanceSnapshot(
        snapshot_id=name,
        state=state,
        size_bytes=int(size) * 2**30 if isinstance(size, int) else None,
        created_at=backup.time_created,
        error=backup.lifecycle_details if state is SnapshotState.failed else None,
    )
