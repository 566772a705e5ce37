"""AWS managed databases (boto3): RDS for PostgreSQL snapshots and restores, the admin secret
from Secrets Manager (the one RDS keeps with ``manage_master_user_password = true``).

Same credentials and sessions as the AWS adapter (``role_arn`` included). An instance-level
snapshot is an RDS manual DB snapshot; a restore is a new DB instance from it, with the source
instance's subnet group, security groups and parameter group.
"""

from __future__ import annotations

import json
from typing import Any

from ._common import sdk_errors
from .aws import CLOUD, AwsAdapter, _describe
from .base import CloudError, CloudTargetConfig, Credentials
from .managed_db import InstanceSnapshot, ManagedInstance, SnapshotState

_STATES = {
    "available": SnapshotState.available,
    "creating": SnapshotState.creating,
    "pending": SnapshotState.creating,
    "copying": SnapshotState.creating,
}
_GONE = ("DBSnapshotNotFound", "DBSnapshotNotFoundFault", "DBInstanceNotFound")


class AwsRdsOps:
    cloud = CLOUD
    instance_snapshots = True

    def __init__(self) -> None:
        self._adapter = AwsAdapter()

    def _client(self, target: CloudTargetConfig, creds: Credentials, service: str) -> Any:
        return self._adapter._client(self._adapter._session(target, creds), service, target)

    def admin_password(self, target: CloudTargetConfig, creds: Credentials, secret_ref: str) -> str:
        client = self._client(target, creds, "secretsmanager")
        with sdk_errors(CLOUD, "secretsmanager:GetSecretValue", creds, _describe):
            value = str(client.get_secret_value(SecretId=secret_ref).get("SecretString") or "")
        try:
            parsed = json.loads(value)
        except ValueError:
            return value  # a plain-text secret is the password itself
        if isinstance(parsed, dict) and isinstance(parsed.get("password"), str):
            return str(parsed["password"])
        raise CloudError(CLOUD, "the admin secret holds no 'password'", code="invalid-secret")

    def create_snapshot(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> InstanceSnapshot:
        found = self.snapshot_status(target, creds, instance, name)
        if found is not None:
            return found
        client = self._client(target, creds, "rds")
        with sdk_errors(CLOUD, f"rds:CreateDBSnapshot {name}", creds, _describe):
            created = client.create_db_snapshot(
                DBSnapshotIdentifier=name,
                DBInstanceIdentifier=instance.instance_id,
                Tags=[{"Key": "paybill-managed-by", "Value": "paybill-control-plane"}],
            )["DBSnapshot"]
        return _snapshot(created)

    def snapshot_status(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> InstanceSnapshot | None:
        client = self._client(target, creds, "rds")
        try:
            with sdk_errors(CLOUD, f"rds:DescribeDBSnapshots {name}", creds, _describe):
                found = client.describe_db_snapshots(DBSnapshotIdentifier=name)["DBSnapshots"]
        except CloudError as error:
            if error.code in _GONE:
                return None
            raise
        return _snapshot(found[0]) if found else None

    def delete_snapshot(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> None:
        client = self._client(target, creds, "rds")
        try:
            with sdk_errors(CLOUD, f"rds:DeleteDBSnapshot {name}", creds, _describe):
                client.delete_db_snapshot(DBSnapshotIdentifier=name)
        except CloudError as error:
            if error.code not in _GONE:
                raise

    def restore_to_new(
        self,
        target: CloudTargetConfig,
        creds: Credentials,
        instance: ManagedInstance,
        name: str,
        new_instance_id: str,
    ) -> str:
        client = self._client(target, creds, "rds")
        if self._instance(client, creds, new_instance_id) is not None:
            return new_instance_id  # a retried restore finds the instance it started
        source = self._instance(client, creds, instance.instance_id)
        params: dict[str, Any] = {
            "DBInstanceIdentifier": new_instance_id,
            "DBSnapshotIdentifier": name,
            "Tags": [{"Key": "paybill-restored-from", "Value": name}],
        }
        if source is not None:
            # The new server sits where the old one does: same network, same parameters.
            if group := (source.get("DBSubnetGroup") or {}).get("DBSubnetGroupName"):
                params["DBSubnetGroupName"] = group
            groups = [g["VpcSecurityGroupId"] for g in source.get("VpcSecurityGroups", [])]
            if groups:
                params["VpcSecurityGroupIds"] = groups
            if source.get("DBInstanceClass"):
                params["DBInstanceClass"] = source["DBInstanceClass"]
        with sdk_errors(CLOUD, f"rds:RestoreDBInstanceFromDBSnapshot {name}", creds, _describe):
            client.restore_db_instance_from_db_snapshot(**params)
        return new_instance_id

    def delete_instance(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance
    ) -> None:
        client = self._client(target, creds, "rds")
        try:
            with sdk_errors(
                CLOUD, f"rds:DeleteDBInstance {instance.instance_id}", creds, _describe
            ):
                client.delete_db_instance(
                    DBInstanceIdentifier=instance.instance_id,
                    SkipFinalSnapshot=True,
                    DeleteAutomatedBackups=True,
                )
        except CloudError as error:
            if error.code not in _GONE and error.code != "DBInstanceNotFoundFault":
                raise

    @staticmethod
    def _instance(client: Any, creds: Credentials, identifier: str) -> dict[str, Any] | None:
        try:
            with sdk_errors(CLOUD, f"rds:DescribeDBInstances {identifier}", creds, _describe):
                found = client.describe_db_instances(DBInstanceIdentifier=identifier)
        except CloudError as error:
            if error.code in ("DBInstanceNotFound", "DBInstanceNotFoundFault"):
                return None
            raise
        instances = found.get("DBInstances") or []
        return dict(instances[0]) if instances else None


def _snapshot(raw: dict[str, Any]) -> InstanceSnapshot:
    status = str(raw.get("Status", "")).lower()
    storage = raw.get("AllocatedStorage")
    return InstanceSnapshot(
        snapshot_id=str(raw["DBSnapshotIdentifier"]),
        state=_STATES.get(status, SnapshotState.failed),
        size_bytes=int(storage) * 2**30 if isinstance(storage, int) else None,
        created_at=raw.get("SnapshotCreateTime"),
        error=None if status in _STATES else f"RDS snapshot status {status!r}",
    )
