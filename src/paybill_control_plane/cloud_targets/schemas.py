"""Cloud target schemas. Credentials are write-only: accepted here, never part of an output."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, StringConstraints, field_validator, model_validator

from paybill_control_plane.clouds import aws, azure, gcp, ibm, oci
from paybill_control_plane.kit.schemas import InputModel, OutputModel
from paybill_control_plane.models.enums import Cloud

TargetName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,61}[a-z0-9]$")]
Region = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
]
SettingKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")]
SettingValue = Annotated[str, StringConstraints(max_length=1024)]
CredentialKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")]
# A GCP key file or an OCI PEM is a few KB; anything much larger is not a credential.
CredentialValue = Annotated[SecretStr, Field(min_length=1, max_length=16384)]

#: cloud -> (required keys, optional keys). Required keys come from the adapters themselves.
CREDENTIAL_KEYS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "aws": (aws.REQUIRED_KEYS, ("session_token", "role_arn", "external_id")),
    "azure": (azure.REQUIRED_KEYS, ()),
    "gcp": (gcp.REQUIRED_KEYS, ()),
    "oci": (oci.REQUIRED_KEYS, ("private_key_passphrase",)),
    "ibm": (ibm.REQUIRED_KEYS, ()),
    "local": ((), ()),
}

#: Which state backend may serve which cloud (its credentials are the target's).
BACKEND_CLOUDS: Mapping[str, frozenset[str] | None] = {
    "pg": None,  # the control plane's own database: any cloud
    "s3": frozenset({"aws"}),
    "azurerm": frozenset({"azure"}),
    "gcs": frozenset({"gcp"}),
}
#: backend kind -> (required config keys, optional config keys); all values non-secret.
BACKEND_KEYS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "pg": ((), ()),
    "s3": (("bucket", "region"), ("key", "workspace_key_prefix", "dynamodb_table", "use_lockfile")),
    "azurerm": (
        ("resource_group_name", "storage_account_name", "container_name"),
        ("key",),
    ),
    "gcs": (("bucket",), ("prefix",)),
}

# Settings are stored and shown in clear: refuse keys that look like they hold a secret.
_SECRET_LOOKING = re.compile(r"secret|password|passphrase|private_key|api_key|token|credential")


def _check_keys(
    what: str, given: set[str], required: tuple[str, ...], optional: tuple[str, ...]
) -> None:
    """Messages name keys only, never values: pydantic errors are echoed to the caller."""
    unknown = sorted(given - set(required) - set(optional))
    if unknown:
        allowed = ", ".join((*required, *optional)) or "none"
        raise ValueError(f"unknown {what} key(s) {', '.join(unknown)}; allowed: {allowed}")
    missing = [key for key in required if key not in given]
    if missing:
        raise ValueError(f"missing {what} key(s): {', '.join(missing)}")


# `check_endpoint_url` as a pattern, so the schema says what the validator accepts: an http(s)
# URL with a host, no credentials and a valid port. Where it may point (https, public addresses)
# is the egress guard's decision (cloud_targets/_egress.py), answered with one uniform problem.
_PORT = r"([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
ENDPOINT_URL_PATTERN = (
    r"^https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%!$&'()*+,;=-]+)"
    rf"(:{_PORT})?([/?#][^\s]*)?$"
)


def check_endpoint_url(url: str | None) -> str | None:
    """The URL's shape only; where it may point (https, public addresses) is checked by the
    service against PAYBILL_ALLOW_INSECURE_ENDPOINT_HOSTS (cloud_targets/_egress.py)."""
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("endpoint_url must be an http(s) URL with a host")
    if parts.username or parts.password:
        raise ValueError("endpoint_url must not carry credentials")
    try:
        parts.port  # noqa: B018 -- raises on a port that is not a number from 0 to 65535
    except ValueError:
        raise ValueError("endpoint_url has an invalid port") from None
    return url.rstrip("/")


class StateBackend(InputModel):
    """Where Terraform keeps the state of the target's stacks (one workspace per stack)."""

    kind: Literal["pg", "s3", "azurerm", "gcs"] = Field(
        default="pg",
        description="`pg`: the control plane's own Postgres (default); `s3` (aws targets), "
        "`azurerm` (azure), `gcs` (gcp): a bucket reached with the target's credentials.",
    )
    config: dict[SettingKey, SettingValue] = Field(
        default_factory=dict,
        max_length=16,
        description="Non-secret backend settings: s3 `bucket`, `region` [`key`, "
        "`workspace_key_prefix`, `dynamodb_table`, `use_lockfile`]; azurerm "
        "`resource_group_name`, `storage_account_name`, `container_name` [`key`]; gcs `bucket` "
        "[`prefix`].",
    )

    @model_validator(mode="after")
    def _keys(self) -> StateBackend:
        required, optional = BACKEND_KEYS[self.kind]
        _check_keys(f"{self.kind} backend config", set(self.config), required, optional)
        return self


class _TargetFields(InputModel):
    @field_validator("settings", check_fields=False)
    @classmethod
    def _no_secret_settings(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        for key in value or {}:
            if _SECRET_LOOKING.search(key):
                raise ValueError(
                    f"setting {key} looks like a secret; settings are stored in clear, "
                    "put secrets in `credentials`"
                )
        return value

    @field_validator("endpoint_url", check_fields=False)
    @classmethod
    def _endpoint(cls, value: str | None) -> str | None:
        return check_endpoint_url(value)


class CloudTargetCreate(_TargetFields):
    cloud: Cloud
    name: TargetName = Field(description="Unique per cloud, e.g. `prod-eu`.")
    default_region: Region = Field(description="Region used when a tenant names none.")
    account_ref: str = Field(
        min_length=1,
        max_length=255,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$",
        description="AWS account id, Azure subscription id, GCP project (or organization) "
        "id, OCI tenancy OCID or IBM Cloud account id.",
    )
    endpoint_url: str | None = Field(
        default=None,
        max_length=2048,
        pattern=ENDPOINT_URL_PATTERN,
        description="Override of the SDK's API endpoint (sovereign clouds, private endpoints, "
        "emulators). https to a public address, unless the host is listed in "
        "PAYBILL_ALLOW_INSECURE_ENDPOINT_HOSTS.",
    )
    settings: dict[SettingKey, SettingValue] = Field(
        default_factory=dict,
        max_length=64,
        description="Non-secret options read by the adapter (e.g. aws `create_account`, "
        "`email_domain`, `organization_unit_id`; gcp `folder_id`, `billing_account`) and by "
        "the modules (e.g. `vpc_cidr`, `postgres_version`, `base_domain`).",
    )
    state_backend: StateBackend = Field(default_factory=StateBackend)
    credentials: dict[CredentialKey, CredentialValue] | None = Field(
        default=None,
        description="Write-only. aws `access_key_id`, `secret_access_key` [`session_token`, "
        "`role_arn`, `external_id`]; azure `tenant_id`, `client_id`, `client_secret`; gcp "
        "`service_account_json`; oci `user_ocid`, `fingerprint`, `private_key_pem`, `region` "
        "[`private_key_passphrase`]; ibm `api_key`; local none. Stored encrypted with "
        "PAYBILL_SECRET_KEY, never returned.",
        json_schema_extra={"writeOnly": True},
    )

    @model_validator(mode="after")
    def _per_cloud(self) -> CloudTargetCreate:
        check_for_cloud(self.cloud.value, self.credentials, self.state_backend)
        return self

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "cloud": "aws",
                    "name": "prod-eu",
                    "default_region": "eu-west-1",
                    "account_ref": "123456789012",
                    "settings": {"create_account": "false", "postgres_version": "16"},
                    "state_backend": {"kind": "pg"},
                    "credentials": {
                        "access_key_id": "AKIA...",
                        "secret_access_key": "...",
                    },
                }
            ]
        }
    }


def check_for_cloud(
    cloud: str,
    credentials: Mapping[str, SecretStr] | None,
    backend: StateBackend | None,
) -> None:
    """The credential keys and the state backend must suit the cloud."""
    if credentials is not None:
        required, optional = CREDENTIAL_KEYS[cloud]
        _check_keys(f"{cloud} credential", set(credentials), required, optional)
    if backend is not None:
        clouds = BACKEND_CLOUDS[backend.kind]
        if clouds is not None and cloud not in clouds:
            raise ValueError(f"a {backend.kind} state backend serves {', '.join(sorted(clouds))}")


class CloudTargetUpdate(_TargetFields):
    """Partial update. `credentials` replaces the stored set as a whole; null removes it."""

    default_region: Region | None = None
    account_ref: str | None = Field(
        default=None, min_length=1, max_length=255, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$"
    )
    endpoint_url: str | None = Field(default=None, max_length=2048, pattern=ENDPOINT_URL_PATTERN)
    settings: dict[SettingKey, SettingValue] | None = Field(default=None, max_length=64)
    state_backend: StateBackend | None = None
    credentials: dict[CredentialKey, CredentialValue] | None = Field(
        default=None,
        description="Write-only; replaces every stored credential (send all keys).",
        json_schema_extra={"writeOnly": True},
    )


class Validation(OutputModel):
    """What the cloud said about the credentials."""

    ok: bool
    identity: str = Field(description="Who the cloud says the credentials are (ARN, user...).")
    details: dict[str, str] = Field(description="Account ids and, when not ok, `error`.")
    validated_at: datetime


class CloudTargetOut(OutputModel):
    id: uuid.UUID
    cloud: Cloud
    name: str
    default_region: str
    account_ref: str
    endpoint_url: str | None
    settings: dict[str, str]
    state_backend: dict[str, Any] = Field(description="`kind` and its non-secret `config`.")
    credential_keys: list[str] = Field(
        description="Names of the stored credentials (their values are never returned)."
    )
    has_credentials: bool
    last_validation: Validation | None
    tenants: int = Field(description="Tenants bound to this target.")
    version: int
    created_at: datetime
    updated_at: datetime
