"""Azure managed databases: Azure Database for PostgreSQL flexible server, over the ARM client
the Azure adapter already uses (generic resource calls: no extra SDK), and the admin password
from Key Vault (azure-core's pipeline with the adapter's service principal).

* snapshot = an on-demand backup (``…/flexibleServers/{server}/backups/{name}``, api-version
  2024-08-01), named by the caller;
* restore = a new flexible server, ``createMode: PointInTimeRestore`` from the source server at
  the backup's ``completedTime`` (Azure restores backups by point in time, into a new server);
* ``database_instance_id`` is the flexible server's ARM resource id; ``database_admin_secret``
  a Key Vault secret id (``https://<vault>.vault.azure.net/secrets/<name>``).
"""

from __future__ import annotations

from typing import Any

from ._common import sdk_errors
from .azure import CLOUD, AzureAdapter, _describe, _not_found
from .base import CloudError, CloudTargetConfig, Credentials
from .managed_db import InstanceSnapshot, ManagedInstance, SnapshotState

API_VERSION = "2024-08-01"
KEY_VAULT_API_VERSION = "7.4"
KEY_VAULT_SCOPE = "https://vault.azure.net/.default"


class AzurePgOps:
    cloud = CLOUD
    instance_snapshots = True

    def __init__(self, *, authentication_policy: Any | None = None) -> None:
        self._adapter = AzureAdapter(authentication_policy=authentication_policy)
        self._authentication_policy = authentication_policy

    def admin_password(self, target: CloudTargetConfig, creds: Credentials, secret_ref: str) -> str:
        from azure.core import PipelineClient
        from azure.core.pipeline.policies import BearerTokenCredentialPolicy
        from azure.core.rest import HttpRequest

        self._adapter._client(target, creds)  # the same credential checks as every call
        policy = self._authentication_policy
        if policy is None:
            from azure.identity import ClientSecretCredential

            credential = ClientSecretCredential(
                creds["tenant_id"], creds["client_id"], creds["client_secret"]
            )
            policy = BearerTokenCredentialPolicy(credential, KEY_VAULT_SCOPE)
        client: Any = PipelineClient(base_url=secret_ref, policies=[policy])
        with sdk_errors(CLOUD, "get Key Vault secret", creds, _describe):
            request = HttpRequest("GET", secret_ref, params={"api-version": KEY_VAULT_API_VERSION})
            response = client.send_request(request)
            response.raise_for_status()
            value = response.json().get("value")
        if not isinstance(value, str) or not value:
            raise CloudError(CLOUD, "the Key Vault secret has no value", code="invalid-secret")
        return value

    def create_snapshot(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> InstanceSnapshot:
        found = self.snapshot_status(target, creds, instance, name)
        if found is not None:
            return found
        from azure.mgmt.resource.resources.models import GenericResource

        client = self._adapter._client(target, creds)
        with sdk_errors(CLOUD, f"create on-demand backup {name}", creds, _describe):
            # Started, not awaited: the snapshot job polls `snapshot_status`.
            client.resources.begin_create_or_update_by_id(
                _backup_id(instance, name), GenericResource(properties={}), api_version=API_VERSION
            )
        return InstanceSnapshot(snapshot_id=name, state=SnapshotState.creating)

    def snapshot_status(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> InstanceSnapshot | None:
        backup = self._get(target, creds, _backup_id(instance, name), f"get backup {name}")
        if backup is None:
            return None
        props = backup.properties or {}
        done = bool(props.get("completedTime"))
        return InstanceSnapshot(
            snapshot_id=name,
            state=SnapshotState.available if done else SnapshotState.creating,
            created_at=None,
        )

    def delete_snapshot(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> None:
        self._delete(target, creds, _backup_id(instance, name), f"delete backup {name}")

    def restore_to_new(
        self,
        target: CloudTargetConfig,
        creds: Credentials,
        instance: ManagedInstance,
        name: str,
        new_instance_id: str,
    ) -> str:
        new_id = _sibling(instance.instance_id, new_instance_id)
        if self._get(target, creds, new_id, f"get server {new_instance_id}") is not None:
            return new_id
        backup = self._get(target, creds, _backup_id(instance, name), f"get backup {name}")
        completed = (backup.properties or {}).get("completedTime") if backup else None
        if not completed:
            raise CloudError(CLOUD, f"backup {name} is not complete", code="snapshot-not-ready")
        source = self._get(target, creds, instance.instance_id, "get source server")
        if source is None:
            raise CloudError(CLOUD, "the source server is gone", code="ResourceNotFound")
        from azure.mgmt.resource.resources.models import GenericResource

        body = GenericResource(
            location=source.location,
            properties={
                "createMode": "PointInTimeRestore",
                "sourceServerResourceId": instance.instance_id,
                "pointInTimeUTC": completed,
            },
        )
        client = self._adapter._client(target, creds)
        with sdk_errors(CLOUD, f"restore server {new_instance_id}", creds, _describe):
            client.resources.begin_create_or_update_by_id(new_id, body, api_version=API_VERSION)
        return new_id

    def delete_instance(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance
    ) -> None:
        self._delete(target, creds, instance.instance_id, "delete server")

    def _get(self, target: CloudTargetConfig, creds: Credentials, rid: str, what: str) -> Any:
        client = self._adapter._client(target, creds)
        try:
            with sdk_errors(CLOUD, what, creds, _describe):
                return client.resources.get_by_id(rid, api_version=API_VERSION)
        except CloudError as error:
            if _not_found(error):
                return None
            raise

    def _delete(self, target: CloudTargetConfig, creds: Credentials, rid: str, what: str) -> None:
        client = self._adapter._client(target, creds)
        try:
            with sdk_errors(CLOUD, what, creds, _describe):
                client.resources.begin_delete_by_id(rid, api_version=API_VERSION)
        except CloudError as error:
            if not _not_found(error):
                raise


def _backup_id(instance: ManagedInstance, name: str) -> str:
    return f"{instance.instance_id.rstrip('/')}/backups/{name}"


def _sibling(server_id: str, name: str) -> str:
    """The ARM id of another flexible server in the same resource group."""
    return f"{server_id.rstrip('/').rsplit('/', 1)[0]}/{name}"
