"""AWS adapter (boto3): an Organizations member account per silo tenant, or a tag set.

Credentials: ``access_key_id``, ``secret_access_key``, optional ``session_token``; optional
``role_arn`` (+ ``external_id``): every call, and the Terraform environment, then uses
short-lived credentials from STS AssumeRole instead of the stored keys.

Target settings:
  ``create_account``          "true": silo tenants get their own Organizations account
                              (the target's credentials must be the management account's)
  ``email_domain``            required with create_account: root email ``<slug>+<id8>@domain``
  ``organization_unit_id``    OU the new account is moved into (else it stays under the root)
  ``role_name``               role Organizations creates in the account
                              (default ``OrganizationAccountAccessRole``)
  ``role_session_seconds``    AssumeRole duration (default 3600)
  ``operation_timeout_seconds`` / ``poll_interval_seconds``  account-creation wait (900 / 10)

Boundaries:
  ``aws_account``  id = the member account id. ``remove_boundary`` CLOSES the account
                   (Organizations CloseAccount): after ``terraform destroy`` nothing should be
                   left in it, closing stops all billing, and AWS keeps it recoverable through
                   support for 90 days. Moving it out of the organization instead would leave
                   a live, billable standalone account that needs its own payment method.
                   Only accounts tagged with the tenant's id are closed.
  ``tags``         pooled/bridge tenants, or silo without create_account: nothing is created;
                   id ``paybill-tenant-<tenant_id>``, attributes ``tag:<key>`` = the tags
                   Terraform puts on every resource. Removing it is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._common import (
    SdkFailure,
    boundary_tags,
    boundary_tenant,
    check_owner,
    derive_name,
    poll_until,
    region_of,
    require_credentials,
    run_validation,
    sdk_errors,
)
from .base import (
    Boundary,
    BoundaryRequest,
    CloudError,
    CloudTargetConfig,
    Credentials,
    MissingExtraError,
    ValidationResult,
)

CLOUD = "aws"
REQUIRED_KEYS = ("access_key_id", "secret_access_key")
DEFAULT_ROLE_NAME = "OrganizationAccountAccessRole"
SESSION_NAME = "paybill-control-plane"
_ACCOUNT_NAME_MAX = 50
_EMAIL_MAX = 64
_CLOSED_STATES = frozenset({"SUSPENDED", "PENDING_CLOSURE", "CLOSED"})
_RETRYABLE_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
        "ServiceException",
        "ConcurrentModificationException",
        "RequestTimeout",
        "InternalFailure",
        "ServiceUnavailable",
    }
)


def _boto3() -> Any:
    try:
        import boto3
    except ImportError:
        raise MissingExtraError(CLOUD, "boto3") from None
    return boto3


def _describe(exc: Exception) -> SdkFailure | None:
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", "Unknown"))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        retryable = code in _RETRYABLE_CODES or (isinstance(status, int) and status >= 500)
        return SdkFailure(f"{code}: {error.get('Message', '')}", code, retryable)
    if isinstance(exc, BotoCoreError):
        # Connection errors, timeouts, missing region...: the message has no secrets.
        return SdkFailure(f"{type(exc).__name__}: {exc}", type(exc).__name__, True)
    return None


class AwsAdapter:
    cloud = CLOUD

    def _session(self, target: CloudTargetConfig, creds: Credentials) -> Any:
        """A boto3 session on the stored keys, or on AssumeRole credentials when role_arn."""
        require_credentials(CLOUD, creds, REQUIRED_KEYS)
        boto3 = _boto3()
        session = boto3.session.Session(
            aws_access_key_id=creds["access_key_id"],
            aws_secret_access_key=creds["secret_access_key"],
            aws_session_token=creds.get("session_token") or None,
            region_name=target.default_region,
        )
        role_arn = creds.get("role_arn")
        if not role_arn:
            return session
        params: dict[str, Any] = {
            "RoleArn": role_arn,
            "RoleSessionName": SESSION_NAME,
            "DurationSeconds": int(target.seconds("role_session_seconds", 3600)),
        }
        if creds.get("external_id"):
            params["ExternalId"] = creds["external_id"]
        with sdk_errors(CLOUD, "sts:AssumeRole", creds, _describe):
            temporary = self._client(session, "sts", target).assume_role(**params)
        issued = temporary["Credentials"]
        return boto3.session.Session(
            aws_access_key_id=issued["AccessKeyId"],
            aws_secret_access_key=issued["SecretAccessKey"],
            aws_session_token=issued["SessionToken"],
            region_name=target.default_region,
        )

    @staticmethod
    def _client(session: Any, service: str, target: CloudTargetConfig) -> Any:
        from botocore.config import Config

        config = Config(
            connect_timeout=10,
            read_timeout=60,
            retries={"mode": "standard", "max_attempts": 5},
            user_agent_extra=SESSION_NAME,
        )
        return session.client(service, endpoint_url=target.endpoint_url, config=config)

    def validate_credentials(
        self, target: CloudTargetConfig, creds: Credentials
    ) -> ValidationResult:
        def probe() -> ValidationResult:
            session = self._session(target, creds)
            with sdk_errors(CLOUD, "sts:GetCallerIdentity", creds, _describe):
                identity = self._client(session, "sts", target).get_caller_identity()
            account, arn = str(identity["Account"]), str(identity["Arn"])
            details = {
                "account_id": account,
                "user_id": str(identity["UserId"]),
                "assumed_role": "true" if creds.get("role_arn") else "false",
            }
            if target.account_ref and target.account_ref != account:
                details["error"] = (
                    f"credentials belong to account {account}, "
                    f"target expects account {target.account_ref}"
                )
                return ValidationResult(ok=False, identity=arn, details=details)
            return ValidationResult(ok=True, identity=arn, details=details)

        return run_validation(probe)

    def ensure_boundary(
        self, target: CloudTargetConfig, creds: Credentials, req: BoundaryRequest
    ) -> Boundary:
        tags = boundary_tags(req)
        if req.isolation_model == "silo" and target.flag("create_account"):
            return self._ensure_account(target, creds, req, tags)
        require_credentials(CLOUD, creds, REQUIRED_KEYS)
        attributes = {
            "tenant_id": req.tenant_id,
            "name": f"paybill-tenant-{req.tenant_id}",
            "account_id": target.account_ref,
            "region": region_of(target, req),
        }
        attributes.update({f"tag:{key}": value for key, value in tags.items()})
        return Boundary(kind="tags", id=f"paybill-tenant-{req.tenant_id}", attributes=attributes)

    def remove_boundary(
        self, target: CloudTargetConfig, creds: Credentials, boundary: Boundary
    ) -> None:
        if boundary.kind == "tags":
            return  # the tagged resources go with `terraform destroy`
        tenant_id = boundary_tenant(CLOUD, boundary, "aws_account")
        account_id = boundary.id
        org = self._client(self._session(target, creds), "organizations", target)
        try:
            with sdk_errors(CLOUD, f"organizations:DescribeAccount {account_id}", creds, _describe):
                account = org.describe_account(AccountId=account_id)["Account"]
        except CloudError as error:
            if error.code == "AccountNotFoundException":
                return
            raise
        if _account_state(account) in _CLOSED_STATES:
            return
        with sdk_errors(CLOUD, f"organizations:ListTagsForResource {account_id}", creds, _describe):
            account_tags = _tags(org, account_id)
        check_owner(CLOUD, f"account {account_id}", account_tags, tenant_id)
        try:
            with sdk_errors(CLOUD, f"organizations:CloseAccount {account_id}", creds, _describe):
                org.close_account(AccountId=account_id)
        except CloudError as error:
            if error.code not in ("AccountAlreadyClosedException", "AccountNotFoundException"):
                raise

    def terraform_env(self, target: CloudTargetConfig, creds: Credentials) -> dict[str, str]:
        """Provider credentials; with role_arn these are fresh AssumeRole credentials."""
        require_credentials(CLOUD, creds, REQUIRED_KEYS)
        if creds.get("role_arn"):
            frozen = self._session(target, creds).get_credentials().get_frozen_credentials()
            key, secret, token = frozen.access_key, frozen.secret_key, frozen.token
        else:
            key, secret = creds["access_key_id"], creds["secret_access_key"]
            token = creds.get("session_token") or None
        env = {
            "AWS_ACCESS_KEY_ID": key,
            "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_REGION": target.default_region,
            "AWS_DEFAULT_REGION": target.default_region,
        }
        if token:
            env["AWS_SESSION_TOKEN"] = token
        if target.endpoint_url:
            env["AWS_ENDPOINT_URL"] = target.endpoint_url
        return env

    # -- Organizations account ------------------------------------------------------------

    def _ensure_account(
        self,
        target: CloudTargetConfig,
        creds: Credentials,
        req: BoundaryRequest,
        tags: dict[str, str],
    ) -> Boundary:
        domain = target.require_setting("email_domain", "when create_account is true")
        name = derive_name("paybill-", req.tenant_slug, req.tenant_id, _ACCOUNT_NAME_MAX)
        email = _account_email(req.tenant_slug, req.tenant_id, domain)
        role_name = target.setting("role_name") or DEFAULT_ROLE_NAME
        org = self._client(self._session(target, creds), "organizations", target)

        def call(action: str, operation: Callable[..., Any], **params: Any) -> Any:
            with sdk_errors(CLOUD, f"organizations:{action}", creds, _describe):
                return operation(**params)

        account = self._find_account(org, creds, name, email, req.tenant_id)
        if account is None:
            request_id = self._pending_request(org, creds, name)
            if request_id is None:
                created = call(
                    "CreateAccount",
                    org.create_account,
                    Email=email,
                    AccountName=name,
                    RoleName=role_name,
                    Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
                )
                request_id = created["CreateAccountStatus"]["Id"]
            status = poll_until(
                CLOUD,
                f"account {name} to be created",
                lambda: call(
                    "DescribeCreateAccountStatus",
                    org.describe_create_account_status,
                    CreateAccountRequestId=request_id,
                )["CreateAccountStatus"],
                lambda s: s["State"] != "IN_PROGRESS",
                timeout=target.seconds("operation_timeout_seconds", 900),
                interval=target.seconds("poll_interval_seconds", 10),
            )
            if status["State"] != "SUCCEEDED":
                reason = status.get("FailureReason", "unknown reason")
                raise CloudError(
                    CLOUD, f"creating account {name} failed: {reason}", code=str(reason)
                )
            account = call("DescribeAccount", org.describe_account, AccountId=status["AccountId"])[
                "Account"
            ]
        elif _account_state(account) in _CLOSED_STATES:
            raise CloudError(
                CLOUD,
                f"account {account['Id']} of tenant {req.tenant_id} is closed; "
                "reopen it through AWS support or purge the tenant",
                code="account-closed",
            )
        account_id = str(account["Id"])
        parent = call("ListParents", org.list_parents, ChildId=account_id)["Parents"][0]["Id"]
        ou = target.setting("organization_unit_id")
        if ou and parent != ou:
            call(
                "MoveAccount",
                org.move_account,
                AccountId=account_id,
                SourceParentId=parent,
                DestinationParentId=ou,
            )
            parent = ou
        partition = str(account.get("Arn", "arn:aws:")).split(":")[1] or "aws"
        return Boundary(
            kind="aws_account",
            id=account_id,
            attributes={
                "tenant_id": req.tenant_id,
                "name": name,
                "account_id": account_id,
                "email": str(account.get("Email", email)),
                "parent_id": parent,
                "role_arn": f"arn:{partition}:iam::{account_id}:role/{role_name}",
                "region": region_of(target, req),
            },
        )

    @staticmethod
    def _find_account(
        org: Any, creds: Credentials, name: str, email: str, tenant_id: str
    ) -> dict[str, Any] | None:
        """The organization's account with this name or email, if it is this tenant's."""
        with sdk_errors(CLOUD, "organizations:ListAccounts", creds, _describe):
            candidates = [
                account
                for page in org.get_paginator("list_accounts").paginate()
                for account in page["Accounts"]
                if account.get("Name") == name or str(account.get("Email", "")).lower() == email
            ]
            for account in candidates:
                check_owner(
                    CLOUD, f"account {account['Id']} ({name})", _tags(org, account["Id"]), tenant_id
                )
                return dict(account)
        return None

    @staticmethod
    def _pending_request(org: Any, creds: Credentials, name: str) -> str | None:
        """A CreateAccount request for this name still in progress (a retried run resumes it)."""
        with sdk_errors(CLOUD, "organizations:ListCreateAccountStatus", creds, _describe):
            pages = org.get_paginator("list_create_account_status").paginate(States=["IN_PROGRESS"])
            for page in pages:
                for status in page["CreateAccountStatuses"]:
                    if status.get("AccountName") == name:
                        return str(status["Id"])
        return None


def _tags(org: Any, resource_id: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    for page in org.get_paginator("list_tags_for_resource").paginate(ResourceId=resource_id):
        tags.update({tag["Key"]: tag["Value"] for tag in page["Tags"]})
    return tags


def _account_state(account: dict[str, Any]) -> str:
    # `State` replaces the deprecated `Status`; read both for older endpoints.
    return str(account.get("State") or account.get("Status") or "")


def _account_email(slug: str, tenant_id: str, domain: str) -> str:
    """``<slug>+<tenant id prefix>@<domain>``, the slug cut to fit AWS's 64-character limit."""
    suffix = f"+{tenant_id.replace('-', '')[:8]}@{domain}".lower()
    room = _EMAIL_MAX - len(suffix)
    if room < 1:
        raise CloudError(CLOUD, f"email_domain {domain!r} is too long for an account email")
    return f"{slug[:room].rstrip('-')}{suffix}".lower()
