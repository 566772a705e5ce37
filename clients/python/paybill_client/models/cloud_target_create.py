from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.cloud import Cloud, check_cloud
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cloud_target_create_credentials_type_0 import CloudTargetCreateCredentialsType0
    from ..models.cloud_target_create_settings import CloudTargetCreateSettings
    from ..models.state_backend import StateBackend


T = TypeVar("T", bound="CloudTargetCreate")


@_attrs_define
class CloudTargetCreate:
    """
    Attributes:
        account_ref (str): AWS account id, Azure subscription id, GCP project (or organization) id, OCI tenancy OCID or
            IBM Cloud account id.
        cloud (Cloud):
        default_region (str): Region used when a tenant names none.
        name (str): Unique per cloud, e.g. `prod-eu`.
        credentials (CloudTargetCreateCredentialsType0 | None | Unset): Write-only. aws `access_key_id`,
            `secret_access_key` [`session_token`, `role_arn`, `external_id`]; azure `tenant_id`, `client_id`,
            `client_secret`; gcp `service_account_json`; oci `user_ocid`, `fingerprint`, `private_key_pem`, `region`
            [`private_key_passphrase`]; ibm `api_key`; local none. Stored encrypted with PAYBILL_SECRET_KEY, never returned.
        endpoint_url (None | str | Unset): Override of the SDK's API endpoint (sovereign clouds, private endpoints,
            emulators). https to a public address, unless the host is listed in PAYBILL_ALLOW_INSECURE_ENDPOINT_HOSTS.
        settings (CloudTargetCreateSettings | Unset): Non-secret options read by the adapter (e.g. aws `create_account`,
            `email_domain`, `organization_unit_id`; gcp `folder_id`, `billing_account`) and by the modules (e.g. `vpc_cidr`,
            `postgres_version`, `base_domain`).
        state_backend (StateBackend | Unset): Where Terraform keeps the state of the target's stacks (one workspace per
            stack).
    """

    account_ref: str
    cloud: Cloud
    default_region: str
    name: str
    credentials: CloudTargetCreateCredentialsType0 | None | Unset = UNSET
    endpoint_url: None | str | Unset = UNSET
    settings: CloudTargetCreateSettings | Unset = UNSET
    state_backend: StateBackend | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.cloud_target_create_credentials_type_0 import CloudTargetCreateCredentialsType0  # noqa: PLC0415

        account_ref = self.account_ref

        cloud: str = self.cloud

        default_region = self.default_region

        name = self.name

        credentials: dict[str, Any] | None | Unset
        if isinstance(self.credentials, Unset):
            credentials = UNSET
        elif isinstance(self.credentials, CloudTargetCreateCredentialsType0):
            credentials = self.credentials.to_dict()
        else:
            credentials = self.credentials

        endpoint_url: None | str | Unset
        if isinstance(self.endpoint_url, Unset):
            endpoint_url = UNSET
        else:
            endpoint_url = self.endpoint_url

        settings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.settings, Unset):
            settings = self.settings.to_dict()

        state_backend: dict[str, Any] | Unset = UNSET
        if not isinstance(self.state_backend, Unset):
            state_backend = self.state_backend.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "account_ref": account_ref,
                "cloud": cloud,
                "default_region": default_region,
                "name": name,
            }
        )
        if credentials is not UNSET:
            field_dict["credentials"] = credentials
        if endpoint_url is not UNSET:
            field_dict["endpoint_url"] = endpoint_url
        if settings is not UNSET:
            field_dict["settings"] = settings
        if state_backend is not UNSET:
            field_dict["state_backend"] = state_backend

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cloud_target_create_credentials_type_0 import CloudTargetCreateCredentialsType0  # noqa: PLC0415
        from ..models.cloud_target_create_settings import CloudTargetCreateSettings  # noqa: PLC0415
        from ..models.state_backend import StateBackend  # noqa: PLC0415

        d = dict(src_dict)
        account_ref = d.pop("account_ref")

        cloud = check_cloud(d.pop("cloud"))

        default_region = d.pop("default_region")

        name = d.pop("name")

        def _parse_credentials(data: object) -> CloudTargetCreateCredentialsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                credentials_type_0 = CloudTargetCreateCredentialsType0.from_dict(data)

                return credentials_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CloudTargetCreateCredentialsType0 | None | Unset, data)

        credentials = _parse_credentials(d.pop("credentials", UNSET))

        def _parse_endpoint_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        endpoint_url = _parse_endpoint_url(d.pop("endpoint_url", UNSET))

        _settings = d.pop("settings", UNSET)
        settings: CloudTargetCreateSettings | Unset
        if isinstance(_settings, Unset):
            settings = UNSET
        else:
            settings = CloudTargetCreateSettings.from_dict(_settings)

        _state_backend = d.pop("state_backend", UNSET)
        state_backend: StateBackend | Unset
        if isinstance(_state_backend, Unset):
            state_backend = UNSET
        else:
            state_backend = StateBackend.from_dict(_state_backend)

        cloud_target_create = cls(
            account_ref=account_ref,
            cloud=cloud,
            default_region=default_region,
            name=name,
            credentials=credentials,
            endpoint_url=endpoint_url,
            settings=settings,
            state_backend=state_backend,
        )

        return cloud_target_create
