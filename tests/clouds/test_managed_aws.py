"""AWS managed databases against moto: RDS snapshots, restore to a new instance, the admin
password from Secrets Manager."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from paybill_control_plane.clouds.aws_rds import AwsRdsOps
from paybill_control_plane.clouds.base import CloudError
from paybill_control_plane.clouds.managed_db import (
    ManagedDatabaseOps,
    ManagedInstance,
    SnapshotState,
    managed_ops,
)

from .test_aws import CREDS, aws_target

INSTANCE = ManagedInstance("aws", "pb-silo-tenant")


@pytest.fixture
def rds(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for var in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    with mock_aws():
        client = boto3.client(
            "rds",
            region_name="eu-west-1",
            aws_access_key_id=CREDS["access_key_id"],
            aws_secret_access_key=CREDS["secret_access_key"],
        )
        client.create_db_instance(
            DBInstanceIdentifier=INSTANCE.instance_id,
            DBInstanceClass="db.t4g.micro",
            Engine="postgres",
            AllocatedStorage=20,
            MasterUsername="paybill_admin",
            MasterUserPassword="module-made-password",
        )
        yield client


def test_the_registry_gives_each_cloud_its_ops() -> None:
    for cloud in ("aws", "azure", "gcp", "oci", "ibm"):
        ops = managed_ops(cloud)
        assert isinstance(ops, ManagedDatabaseOps)
        assert ops.cloud == cloud
    assert managed_ops("ibm").instance_snapshots is False
    with pytest.raises(CloudError, match="no managed databases"):
        managed_ops("local")


def test_snapshot_is_created_once_and_found_again_by_name(rds: Any) -> None:
    ops, target = AwsRdsOps(), aws_target()
    assert ops.snapshot_status(target, CREDS, INSTANCE, "pb-abc") is None
    first = ops.create_snapshot(target, CREDS, INSTANCE, "pb-abc")
    again = ops.create_snapshot(target, CREDS, INSTANCE, "pb-abc")  # a retried job
    assert first.snapshot_id == again.snapshot_id == "pb-abc"
    manual = rds.describe_db_snapshots(
        DBInstanceIdentifier=INSTANCE.instance_id, SnapshotType="manual"
    )["DBSnapshots"]
    assert [s["DBSnapshotIdentifier"] for s in manual] == ["pb-abc"]
    status = ops.snapshot_status(target, CREDS, INSTANCE, "pb-abc")
    assert status is not None and status.state is SnapshotState.available
    assert status.size_bytes == 20 * 2**30


def test_restore_makes_a_new_instance_once(rds: Any) -> None:
    ops, target = AwsRdsOps(), aws_target()
    ops.create_snapshot(target, CREDS, INSTANCE, "pb-abc")
    new_id = ops.restore_to_new(target, CREDS, INSTANCE, "pb-abc", "pb-restored-1")
    assert ops.restore_to_new(target, CREDS, INSTANCE, "pb-abc", "pb-restored-1") == new_id
    restored = rds.describe_db_instances(DBInstanceIdentifier="pb-restored-1")["DBInstances"]
    assert restored[0]["Engine"] == "postgres"
    assert restored[0]["DBInstanceClass"] == "db.t4g.micro"  # the source's class
    ops.delete_instance(target, CREDS, ManagedInstance("aws", new_id))
    ops.delete_instance(target, CREDS, ManagedInstance("aws", new_id))  # gone is fine
    ids = [i["DBInstanceIdentifier"] for i in rds.describe_db_instances()["DBInstances"]]
    assert ids == [INSTANCE.instance_id]


def test_delete_snapshot_is_idempotent(rds: Any) -> None:
    ops, target = AwsRdsOps(), aws_target()
    ops.create_snapshot(target, CREDS, INSTANCE, "pb-abc")
    ops.delete_snapshot(target, CREDS, INSTANCE, "pb-abc")
    ops.delete_snapshot(target, CREDS, INSTANCE, "pb-abc")
    assert ops.snapshot_status(target, CREDS, INSTANCE, "pb-abc") is None


def test_snapshot_of_a_missing_instance_is_a_cloud_error(rds: Any) -> None:
    with pytest.raises(CloudError) as caught:
        AwsRdsOps().create_snapshot(
            aws_target(), CREDS, ManagedInstance("aws", "no-such-db"), "pb-x"
        )
    assert caught.value.cloud == "aws"
    assert CREDS["secret_access_key"] not in str(caught.value)


def test_admin_password_comes_from_the_rds_managed_secret(rds: Any) -> None:
    secrets = boto3.client(
        "secretsmanager",
        region_name="eu-west-1",
        aws_access_key_id=CREDS["access_key_id"],
        aws_secret_access_key=CREDS["secret_access_key"],
    )
    arn = secrets.create_secret(
        Name="rds!db-1", SecretString=json.dumps({"username": "u", "password": "p4ssw0rd-x"})
    )["ARN"]
    plain = secrets.create_secret(Name="plain", SecretString="plain-password")["ARN"]
    empty = secrets.create_secret(Name="odd", SecretString=json.dumps({"user": "u"}))["ARN"]
    ops = AwsRdsOps()
    assert ops.admin_password(aws_target(), CREDS, arn) == "p4ssw0rd-x"
    assert ops.admin_password(aws_target(), CREDS, plain) == "plain-password"
    with pytest.raises(CloudError, match="no 'password'"):
        ops.admin_password(aws_target(), CREDS, empty)
