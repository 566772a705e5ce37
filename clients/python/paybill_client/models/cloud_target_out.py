from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cloud import Cloud, check_cloud

if TYPE_CHECKING:
    from ..models.cloud_target_out_settings import CloudTargetOutSettings
    from ..models.cloud_target_out_state_backend import CloudTargetOutStateBackend
    from ..models.validation import Validation


T = TypeVar("T", bound="CloudTargetOut")


@_attrs_define
class CloudTargetOut:
    """
    Attributes:
        account_ref (str):
        cloud (Cloud):
        created_at (datetime.datetime):
        credential_keys (list[str]): Names of the stored credentials (their values are never returned).
        default_region (str):
        endpoint_url (None | str):
        has_credentials (bool):
        id (UUID):
        last_validation (None | Validation):
        name (str):
        settings (CloudTargetOutSettings):
        state_backend (CloudTargetOutStateBackend): `kind` and its non-secret `config`.
        tenants (int): Tenants bound to this target.
        updated_at (datetime.datetime):
        version (int):
    """

    account_ref: str
    cloud: Cloud
    created_at: datetime.datetime
    credential_keys: list[str]
    default_region: str
    endpoint_url: None | str
    has_credentials: bool
    id: UUID
    last_validation: None | Validation
    name: str
    settings: CloudTargetOutSettings
    state_backend: CloudTargetOutStateBackend
    tenants: int
    updated_at: datetime.datetime
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.validation import Validation  # noqa: PLC0415

        account_ref = self.account_ref

        cloud: str = self.cloud

        created_at = self.created_at.isoformat()

        credential_keys = self.credential_keys

        default_region = self.default_region

        endpoint_url: None | str
        endpoint_url = self.endpoint_url

        has_credentials = self.has_credentials

        id = str(self.id)

        last_validation: dict[str, Any] | None
        if isinstance(self.last_validation, Validation):
            last_validation = self.last_validation.to_dict()
        else:
            last_validation = self.last_validation

        name = self.name

        settings = self.settings.to_dict()

        state_backend = self.state_backend.to_dict()

        tenants = self.tenants

        updated_at = self.updated_at.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account_ref": account_ref,
                "cloud": cloud,
                "created_at": created_at,
                "credential_keys": credential_keys,
                "default_region": default_region,
                "endpoint_url": endpoint_url,
                "has_credentials": has_credentials,
                "id": id,
                "last_validation": last_validation,
                "name": name,
                "settings": settings,
                "state_backend": state_backend,
                "tenants": tenants,
                "updated_at": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cloud_target_out_settings import CloudTargetOutSettings  # noqa: PLC0415
        from ..models.cloud_target_out_state_backend import CloudTargetOutStateBackend  # noqa: PLC0415
        from ..models.validation import Validation  # noqa: PLC0415

        d = dict(src_dict)
        account_ref = d.pop("account_ref")

        cloud = check_cloud(d.pop("cloud"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        credential_keys = cast(list[str], d.pop("credential_keys"))

        default_region = d.pop("default_region")

        def _parse_endpoint_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        endpoint_url = _parse_endpoint_url(d.pop("endpoint_url"))

        has_credentials = d.pop("has_credentials")

        id = UUID(d.pop("id"))

        def _parse_last_validation(data: object) -> None | Validation:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_validation_type_0 = Validation.from_dict(data)

                return last_validation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Validation, data)

        last_validation = _parse_last_validation(d.pop("last_validation"))

        name = d.pop("name")

        settings = CloudTargetOutSettings.from_dict(d.pop("settings"))

        state_backend = CloudTargetOutStateBackend.from_dict(d.pop("state_backend"))

        tenants = d.pop("tenants")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        cloud_target_out = cls(
            account_ref=account_ref,
            cloud=cloud,
            created_at=created_at,
            credential_keys=credential_keys,
            default_region=default_region,
            endpoint_url=endpoint_url,
            has_credentials=has_credentials,
            id=id,
            last_validation=last_validation,
            name=name,
            settings=settings,
            state_backend=state_backend,
            tenants=tenants,
            updated_at=updated_at,
            version=version,
        )

        cloud_target_out.additional_properties = d
        return cloud_target_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
