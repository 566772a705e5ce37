"""AWS adapter against moto: STS, AssumeRole, Organizations account creation and closing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.organizations import models as org_models

from paybill_control_plane.clouds.aws import AwsAdapter
from paybill_control_plane.clouds.base import (
    Boundary,
    BoundaryConflictError,
    BoundaryRequest,
    CloudConfigError,
    CloudError,
    CloudTargetConfig,
    MissingCredentialError,
)

from .conftest import OTHER_TENANT_ID, TENANT_ID

MANAGEMENT_ACCOUNT = "123456789012"  # moto's default account
CREDS = {"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "wJalrXUtnFEMI-K7MDENG"}


def aws_target(**settings: str) -> CloudTargetConfig:
    return CloudTargetConfig(
        cloud="aws",
        name="aws-main",
        default_region="eu-west-1",
        account_ref=MANAGEMENT_ACCOUNT,
        settings=settings,
    )


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Belt and braces: no ambient credentials or profiles, and moto intercepts every call.
    for var in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    with mock_aws():
        yield


@pytest.fixture
def org(aws: None) -> Any:
    client = boto3.client(
        "organizations",
        region_name="us-east-1",
        aws_access_key_id=CREDS["access_key_id"],
        aws_secret_access_key=CREDS["secret_access_key"],
    )
    client.create_organization(FeatureSet="ALL")
    return client


@pytest.fixture
def tenants_ou(org: Any) -> str:
    root = org.list_roots()["Roots"][0]["Id"]
    return str(
        org.create_organizational_unit(ParentId=root, Name="tenants")["OrganizationalUnit"]["Id"]
    )


def account_target(ou: str = "", **extra: str) -> CloudTargetConfig:
    settings = {"create_account": "true", "email_domain": "saas.example.com", **extra}
    if ou:
        settings["organization_unit_id"] = ou
    return aws_target(**settings)


def paybill_accounts(org: Any) -> list[dict[str, Any]]:
    return [a for a in org.list_accounts()["Accounts"] if a["Name"].startswith("paybill-")]


def test_validate_reports_the_caller_identity(aws: None) -> None:
    result = AwsAdapter().validate_credentials(aws_target(), CREDS)
    assert result.ok
    assert result.identity == f"arn:aws:sts::{MANAGEMENT_ACCOUNT}:user/moto"
    assert result.details == {
        "account_id": MANAGEMENT_ACCOUNT,
        "user_id": "AKIAIOSFODNN7EXAMPLE",
        "assumed_role": "false",
    }


def test_validate_flags_credentials_of_another_account(aws: None) -> None:
    target = CloudTargetConfig("aws", "aws-other", "eu-west-1", "999999999999")
    result = AwsAdapter().validate_credentials(target, CREDS)
    assert not result.ok
    assert "target expects account 999999999999" in result.details["error"]


def test_assume_role_is_used_for_calls_and_terraform(aws: None) -> None:
    creds = {**CREDS, "role_arn": f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:role/paybill-provisioner"}
    adapter = AwsAdapter()
    result = adapter.validate_credentials(aws_target(), creds)
    assert result.ok
    assert result.identity == (
        f"arn:aws:sts::{MANAGEMENT_ACCOUNT}:assumed-role/paybill-provisioner/paybill-control-plane"
    )
    assert result.details["assumed_role"] == "true"

    env = adapter.terraform_env(aws_target(), creds)
    # Terraform gets the short-lived role credentials, never the stored keys.
    assert env["AWS_ACCESS_KEY_ID"] != CREDS["access_key_id"]
    assert env["AWS_SECRET_ACCESS_KEY"] != CREDS["secret_access_key"]
    assert env["AWS_SESSION_TOKEN"]
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "eu-west-1"


def test_terraform_env_with_stored_keys() -> None:
    env = AwsAdapter().terraform_env(aws_target(), {**CREDS, "session_token": "tok-123456"})
    assert env == {
        "AWS_ACCESS_KEY_ID": CREDS["access_key_id"],
        "AWS_SECRET_ACCESS_KEY": CREDS["secret_access_key"],
        "AWS_SESSION_TOKEN": "tok-123456",
        "AWS_REGION": "eu-west-1",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }


def test_tags_boundary_for_pooled_tenants_is_stable(aws: None) -> None:
    req = BoundaryRequest(TENANT_ID, "acme-corp", "pooled", labels={"cost-center": "cc-42"})
    adapter = AwsAdapter()
    # create_account only applies to silo tenants.
    boundary = adapter.ensure_boundary(account_target(), CREDS, req)
    assert boundary == adapter.ensure_boundary(account_target(), CREDS, req)
    assert boundary.kind == "tags"
    assert boundary.id == f"paybill-tenant-{TENANT_ID}"
    assert boundary.attributes["tag:paybill-tenant-id"] == TENANT_ID
    assert boundary.attributes["tag:paybill-isolation-model"] == "pooled"
    assert boundary.attributes["tag:cost-center"] == "cc-42"
    assert boundary.attributes["account_id"] == MANAGEMENT_ACCOUNT
    adapter.remove_boundary(aws_target(), CREDS, boundary)  # nothing to remove


def test_silo_account_is_created_tagged_and_moved_then_found_again(
    org: Any, tenants_ou: str, silo_request: BoundaryRequest
) -> None:
    adapter = AwsAdapter()
    target = account_target(tenants_ou, role_name="PaybillAdmin")
    boundary = adapter.ensure_boundary(target, CREDS, silo_request)

    accounts = paybill_accounts(org)
    assert len(accounts) == 1
    account = accounts[0]
    assert boundary.kind == "aws_account"
    assert boundary.id == account["Id"]
    assert account["Name"] == "paybill-acme-corp"
    assert account["Email"] == "acme-corp+3f1c2a9e@saas.example.com"
    tags = {
        t["Key"]: t["Value"] for t in org.list_tags_for_resource(ResourceId=account["Id"])["Tags"]
    }
    assert tags == {
        "cost-center": "cc-42",
        "paybill-tenant-id": TENANT_ID,  # the spoofed label did not win
        "paybill-tenant-slug": "acme-corp",
        "paybill-isolation-model": "silo",
        "paybill-managed-by": "paybill-control-plane",
    }
    assert org.list_parents(ChildId=account["Id"])["Parents"][0]["Id"] == tenants_ou
    assert boundary.attributes == {
        "tenant_id": TENANT_ID,
        "name": "paybill-acme-corp",
        "account_id": account["Id"],
        "email": "acme-corp+3f1c2a9e@saas.example.com",
        "parent_id": tenants_ou,
        "role_arn": f"arn:aws:iam::{account['Id']}:role/PaybillAdmin",
        "region": "eu-west-1",
    }

    # Idempotent: the second call finds the account instead of creating another.
    assert adapter.ensure_boundary(target, CREDS, silo_request) == boundary
    assert len(paybill_accounts(org)) == 1


def test_removal_closes_the_account_once_and_a_closed_account_is_not_reused(
    org: Any, silo_request: BoundaryRequest
) -> None:
    adapter = AwsAdapter()
    boundary = adapter.ensure_boundary(account_target(), CREDS, silo_request)
    adapter.remove_boundary(account_target(), CREDS, boundary)
    assert org.describe_account(AccountId=boundary.id)["Account"]["State"] == "SUSPENDED"
    adapter.remove_boundary(account_target(), CREDS, boundary)  # already closed: fine
    gone = Boundary("aws_account", "000000000000", {"tenant_id": TENANT_ID})
    adapter.remove_boundary(account_target(), CREDS, gone)  # unknown account: fine

    with pytest.raises(CloudError, match="is closed") as info:
        adapter.ensure_boundary(account_target(), CREDS, silo_request)
    assert info.value.code == "account-closed"


def test_accounts_of_other_tenants_are_neither_adopted_nor_closed(
    org: Any, silo_request: BoundaryRequest
) -> None:
    org.create_account(
        Email="someone@elsewhere.example.com",
        AccountName="paybill-acme-corp",
        Tags=[{"Key": "paybill-tenant-id", "Value": OTHER_TENANT_ID}],
    )
    adapter = AwsAdapter()
    with pytest.raises(BoundaryConflictError, match=f"belongs to tenant {OTHER_TENANT_ID}"):
        adapter.ensure_boundary(account_target(), CREDS, silo_request)

    stranger = org.create_account(Email="ops@example.com", AccountName="ops")
    stranger_id = stranger["CreateAccountStatus"]["AccountId"]
    boundary = Boundary("aws_account", stranger_id, {"tenant_id": TENANT_ID})
    with pytest.raises(BoundaryConflictError, match="nothing managed by paybill"):
        adapter.remove_boundary(account_target(), CREDS, boundary)
    assert org.describe_account(AccountId=stranger_id)["Account"]["State"] == "ACTIVE"


def test_account_creation_is_polled_and_resumed_after_a_timeout(
    org: Any, silo_request: BoundaryRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Organizations creates accounts asynchronously: moto finishes at once, so hold the
    request IN_PROGRESS for a while, let the first run time out, and check the next run
    resumes the same request instead of creating a second account."""
    real_status = org_models.FakeAccount.create_account_status
    in_progress = {"left": 1000}

    def status(account: Any) -> dict[str, Any]:
        result = real_status.fget(account)  # type: ignore[attr-defined]
        if in_progress["left"] > 0:
            in_progress["left"] -= 1
            result["CreateAccountStatus"]["State"] = "IN_PROGRESS"
        return dict(result)

    real_list = org_models.OrganizationsBackend.list_accounts

    def list_accounts(backend: Any, **kwargs: Any) -> Any:
        # Like AWS, an account being created is not listed yet.
        listed: Any = real_list(backend, **kwargs)
        accounts, token = listed
        if in_progress["left"] > 0:
            accounts = [a for a in accounts if not a["Name"].startswith("paybill-")]
        return accounts, token

    real_create = org_models.OrganizationsBackend.create_account
    created: list[str] = []

    def create_account(backend: Any, **kwargs: Any) -> Any:
        created.append(kwargs["AccountName"])
        return real_create(backend, **kwargs)

    monkeypatch.setattr(org_models.FakeAccount, "create_account_status", property(status))
    monkeypatch.setattr(org_models.OrganizationsBackend, "list_accounts", list_accounts)
    monkeypatch.setattr(org_models.OrganizationsBackend, "create_account", create_account)
    target = account_target(poll_interval_seconds="0.01", operation_timeout_seconds="0.05")
    adapter = AwsAdapter()
    with pytest.raises(CloudError, match="timed out") as info:
        adapter.ensure_boundary(target, CREDS, silo_request)
    assert info.value.retryable

    in_progress["left"] = 3  # still running for the next few polls, then SUCCEEDED
    target = account_target(poll_interval_seconds="0.01", operation_timeout_seconds="5")
    boundary = adapter.ensure_boundary(target, CREDS, silo_request)
    assert created == ["paybill-acme-corp"]  # the second run resumed the first request
    assert [a["Id"] for a in paybill_accounts(org)] == [boundary.id]


def test_failed_account_creation_reports_the_reason(
    org: Any, silo_request: BoundaryRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_status = org_models.FakeAccount.create_account_status

    def failed(account: Any) -> dict[str, Any]:
        result = real_status.fget(account)  # type: ignore[attr-defined]
        result["CreateAccountStatus"].update(State="FAILED", FailureReason="EMAIL_ALREADY_EXISTS")
        return dict(result)

    monkeypatch.setattr(org_models.FakeAccount, "create_account_status", property(failed))
    with pytest.raises(CloudError, match="failed: EMAIL_ALREADY_EXISTS") as info:
        AwsAdapter().ensure_boundary(account_target(), CREDS, silo_request)
    assert info.value.code == "EMAIL_ALREADY_EXISTS"


def test_account_path_needs_an_email_domain_and_an_organization(
    aws: None, silo_request: BoundaryRequest
) -> None:
    with pytest.raises(CloudConfigError, match="'email_domain'"):
        AwsAdapter().ensure_boundary(aws_target(create_account="true"), CREDS, silo_request)
    with pytest.raises(CloudError) as info:  # no organization exists in this account
        AwsAdapter().ensure_boundary(account_target(), CREDS, silo_request)
    assert info.value.code == "AWSOrganizationsNotInUseException"
    assert CREDS["secret_access_key"] not in str(info.value)


def test_long_slugs_fit_aws_limits(org: Any) -> None:
    slug = "a" * 38 + "zz"
    boundary = AwsAdapter().ensure_boundary(
        account_target(), CREDS, BoundaryRequest(TENANT_ID, slug, "silo")
    )
    assert len(boundary.attributes["email"]) <= 64
    assert boundary.attributes["email"].endswith("+3f1c2a9e@saas.example.com")
    assert len(boundary.attributes["name"]) <= 50


def test_missing_secret_key_is_named(aws: None) -> None:
    with pytest.raises(MissingCredentialError, match="secret_access_key"):
        AwsAdapter().validate_credentials(aws_target(), {"access_key_id": "AKIAEXAMPLE12345"})
