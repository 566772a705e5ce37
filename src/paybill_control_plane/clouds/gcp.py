"""Google Cloud adapter (google-cloud-resource-manager v3, REST transport): a project per tenant.

Credentials: ``service_account_json`` (the key file's content). ``account_ref`` is the
management project id (or the organization id).

Target settings:
  ``folder_id`` or ``org_id``   parent of the tenant projects (one is required to create them)
  ``billing_account``           handed to Terraform through the boundary's attributes; linking
                                billing is the module's job (it needs the Billing API)
  ``operation_timeout_seconds`` wait for project create/delete operations (default 600)

Boundary ``gcp_project``: project ``pb-<slug>-<hash6>`` (project ids are global, 6-30
lowercase characters; the hash of the tenant id keeps them unique and stable), labelled with
the tenant's tags. A project with that id is adopted only if its ``paybill-tenant-id`` label is
the tenant's. Removal requests deletion (the project stays recoverable for 30 days); a
project already pending deletion counts as removed, and ``ensure_boundary`` refuses to reuse
one (undeleting is a deliberate, manual act).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ._common import (
    SdkFailure,
    boundary_tags,
    boundary_tenant,
    check_owner,
    is_retryable_status,
    region_of,
    require_credentials,
    run_validation,
    sdk_errors,
    short_hash,
)
from .base import (
    Boundary,
    BoundaryConflictError,
    BoundaryRequest,
    CloudConfigError,
    CloudError,
    CloudTargetConfig,
    Credentials,
    MissingExtraError,
    ValidationResult,
)

CLOUD = "gcp"
REQUIRED_KEYS = ("service_account_json",)
SCOPES = ("https://www.googleapis.com/auth/cloud-platform",)
_PROJECT_ID_MAX = 30
_DISPLAY_NAME_MAX = 30
_LABEL_BAD = re.compile(r"[^a-z0-9_-]")
_DELETE_REQUESTED = 2  # Project.State.DELETE_REQUESTED


def _describe(exc: Exception) -> SdkFailure | None:
    import requests
    from google.api_core import exceptions as gexc
    from google.auth import exceptions as auth_exc

    if isinstance(exc, gexc.GoogleAPICallError):
        status = exc.code if isinstance(exc.code, int) else None
        reason = type(exc).__name__
        return SdkFailure(f"{reason}: {exc.message}", reason, is_retryable_status(status))
    if isinstance(exc, requests.RequestException):
        return SdkFailure(f"{type(exc).__name__}: cannot reach the API", "unreachable", True)
    if isinstance(exc, gexc.RetryError | TimeoutError):
        return SdkFailure(f"{type(exc).__name__}: {exc}", "timeout", True)
    if isinstance(exc, auth_exc.GoogleAuthError):
        return SdkFailure(f"{type(exc).__name__}: {exc}", "auth", False)
    return None


def project_id_for(slug: str, tenant_id: str) -> str:
    """``pb-<slug>-<hash6>``: at most 30 characters, starts with a letter, no trailing dash."""
    room = _PROJECT_ID_MAX - len("pb-") - 7
    return f"pb-{slug[:room].rstrip('-')}-{short_hash(tenant_id)}"


def gcp_label(value: str) -> str:
    """A label key or value: lowercase letters, digits, ``_`` and ``-``, at most 63 chars."""
    return _LABEL_BAD.sub("_", value.lower())[:63]


class GcpAdapter:
    cloud = CLOUD

    def _client(self, target: CloudTargetConfig, creds: Credentials) -> tuple[Any, str]:
        try:
            from google.cloud import resourcemanager_v3
        except ImportError as exc:
            raise MissingExtraError(CLOUD, exc.name or "google-cloud-resource-manager") from None
        credentials, email = service_account_credentials(creds)
        options = {"api_endpoint": target.endpoint_url} if target.endpoint_url else None
        client = resourcemanager_v3.ProjectsClient(
            credentials=credentials, transport="rest", client_options=options
        )
        return client, email

    def validate_credentials(
        self, target: CloudTargetConfig, creds: Credentials
    ) -> ValidationResult:
        def probe() -> ValidationResult:
            client, email = self._client(target, creds)
            parent = _parent(target)
            with sdk_errors(CLOUD, "search projects", creds, _describe):
                # The pager fetches its first page right away; one page is enough.
                client.search_projects(
                    request={"query": f"parent:{parent}" if parent else "", "page_size": 1}
                )
            details = {"client_email": email}
            if parent:
                details["parent"] = parent
            return ValidationResult(ok=True, identity=email, details=details)

        return run_validation(probe)

    def ensure_boundary(
        self, target: CloudTargetConfig, creds: Credentials, req: BoundaryRequest
    ) -> Boundary:
        client, _ = self._client(target, creds)
        project_id = project_id_for(req.tenant_slug, req.tenant_id)
        project = self._get(client, creds, project_id)
        if project is None:
            parent = _parent(target)
            if parent is None:
                raise CloudConfigError(
                    CLOUD,
                    f"target '{target.name}' needs 'folder_id' or 'org_id' to create projects",
                )
            from google.cloud import resourcemanager_v3

            labels = {gcp_label(k): gcp_label(v) for k, v in boundary_tags(req).items()}
            body = resourcemanager_v3.Project(
                project_id=project_id,
                display_name=f"paybill-{req.tenant_slug}"[:_DISPLAY_NAME_MAX].rstrip("-"),
                parent=parent,
                labels=labels,
            )
            try:
                with sdk_errors(CLOUD, f"create project {project_id}", creds, _describe):
                    operation = client.create_project(project=body)
                    project = operation.result(
                        timeout=target.seconds("operation_timeout_seconds", 600)
                    )
            except CloudError as error:
                if error.code in ("Conflict", "AlreadyExists"):
                    raise BoundaryConflictError(
                        CLOUD,
                        f"project id {project_id} is taken (by another organization, or "
                        "by a project these credentials cannot see)",
                    ) from None
                raise
        else:
            check_owner(CLOUD, f"project {project_id}", dict(project.labels), req.tenant_id)
            if int(project.state) == _DELETE_REQUESTED:
                raise CloudError(
                    CLOUD,
                    f"project {project_id} of tenant {req.tenant_id} is pending deletion; "
                    "undelete it in Google Cloud or purge the tenant",
                    code="project-deleted",
                )
        attributes = {
            "tenant_id": req.tenant_id,
            "name": project_id,
            "project_id": project_id,
            "resource_name": str(project.name),
            "project_number": str(project.name).removeprefix("projects/"),
            "parent": str(project.parent),
            "region": region_of(target, req),
        }
        if billing_account := target.setting("billing_account"):
            attributes["billing_account"] = billing_account
        return Boundary(kind="gcp_project", id=project_id, attributes=attributes)

    def remove_boundary(
        self, target: CloudTargetConfig, creds: Credentials, boundary: Boundary
    ) -> None:
        tenant_id = boundary_tenant(CLOUD, boundary, "gcp_project")
        client, _ = self._client(target, creds)
        project = self._get(client, creds, boundary.id)
        if project is None or int(project.state) == _DELETE_REQUESTED:
            return
        check_owner(CLOUD, f"project {boundary.id}", dict(project.labels), tenant_id)
        with sdk_errors(CLOUD, f"delete project {boundary.id}", creds, _describe):
            operation = client.delete_project(name=f"projects/{boundary.id}")
            operation.result(timeout=target.seconds("operation_timeout_seconds", 600))

    def terraform_env(self, target: CloudTargetConfig, creds: Credentials) -> dict[str, str]:
        require_credentials(CLOUD, creds, REQUIRED_KEYS)
        env = {
            "GOOGLE_CREDENTIALS": creds["service_account_json"],
            "GOOGLE_REGION": target.default_region,
        }
        # Project ids start with a letter; an all-digit account_ref is an organization.
        if target.account_ref[:1].isalpha():
            env["GOOGLE_PROJECT"] = target.account_ref
        return env

    @staticmethod
    def _get(client: Any, creds: Credentials, project_id: str) -> Any | None:
        """The project, or None when it does not exist or is not visible to us.

        Resource Manager answers 403 rather than 404 for projects the caller cannot see,
        so both mean "not ours"; creating it then tells a taken id apart (409).
        """
        try:
            with sdk_errors(CLOUD, f"get project {project_id}", creds, _describe):
                return client.get_project(name=f"projects/{project_id}")
        except CloudError as error:
            if error.code in ("NotFound", "Forbidden", "PermissionDenied"):
                return None
            raise


def service_account_credentials(creds: Credentials) -> tuple[Any, str]:
    """The service account's OAuth credentials (cloud-platform scope) and its email."""
    require_credentials(CLOUD, creds, REQUIRED_KEYS)
    try:
        from google.oauth2 import service_account
    except ImportError as exc:
        raise MissingExtraError(CLOUD, exc.name or "google-auth") from None
    try:
        info = json.loads(creds["service_account_json"])
    except ValueError:
        info = None
    if not isinstance(info, dict) or not (info.get("client_email") and info.get("private_key")):
        raise CloudError(
            CLOUD,
            "service_account_json is not a service account key file (JSON with "
            "client_email and private_key)",
            code="invalid-credentials",
        )
    with sdk_errors(CLOUD, "load service account key", creds, _describe_key):
        credentials = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            info, scopes=list(SCOPES)
        )
    return credentials, str(info["client_email"])


def _parent(target: CloudTargetConfig) -> str | None:
    if folder := target.setting("folder_id"):
        return f"folders/{folder}"
    if org := target.setting("org_id"):
        return f"organizations/{org}"
    return None


def _describe_key(exc: Exception) -> SdkFailure | None:
    # A malformed private key: say so without repeating any of it.
    if isinstance(exc, ValueError | TypeError):
        return SdkFailure("the private_key in service_account_json cannot be read", "invalid-key")
    return _describe(exc)
