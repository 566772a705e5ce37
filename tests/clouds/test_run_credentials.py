"""The worker's use of an adapter at run time: Terraform's environment for a tenant in its
own AWS member account (AssumeRole into the role Organizations created), against moto."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from paybill_control_plane.clouds import CloudTargetConfig, get_adapter
from paybill_control_plane.provisioning import cloud_runtime as cr

CREDS = {"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "wJalrXUtnFEMI-K7MDENG"}
MEMBER = "210987654321"
ROLE = f"arn:aws:iam::{MEMBER}:role/OrganizationAccountAccessRole"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for var in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    with mock_aws():
        yield


def run_for(boundary: dict[str, object] | None) -> cr.CloudRun:
    config = CloudTargetConfig(
        cloud="aws", name="main", default_region="eu-west-1", account_ref="123456789012"
    )
    return cr.CloudRun(cloud="aws", adapter=get_adapter("aws"), config=config, boundary=boundary)


def test_tags_boundary_uses_the_target_keys(aws: None) -> None:
    env = cr.terraform_env(run_for({"kind": "tags", "id": "paybill-tenant-x"}), CREDS)
    assert env["AWS_ACCESS_KEY_ID"] == CREDS["access_key_id"]
    assert "AWS_SESSION_TOKEN" not in env


@pytest.mark.parametrize("target_role", [None, "arn:aws:iam::123456789012:role/paybill"])
def test_member_account_gets_assumed_role_credentials(aws: None, target_role: str | None) -> None:
    creds = dict(CREDS) | ({"role_arn": target_role, "external_id": "x-1"} if target_role else {})
    boundary = {"kind": "aws_account", "id": MEMBER, "attributes": {"role_arn": ROLE}}
    env = cr.terraform_env(run_for(boundary), creds)
    # Short-lived credentials from STS, not the stored keys; moto issues them for the role.
    assert env["AWS_ACCESS_KEY_ID"] != CREDS["access_key_id"]
    assert env["AWS_SESSION_TOKEN"] and env["AWS_REGION"] == "eu-west-1"
    secrets = cr.secret_values(creds, env)
    assert env["AWS_SECRET_ACCESS_KEY"] in secrets and env["AWS_SESSION_TOKEN"] in secrets
