from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cloud_target_update_credentials_type_0 import CloudTargetUpdateCredentialsType0
    from ..models.cloud_target_update_settings_type_0 import CloudTargetUpdateSettingsType0
    from ..models.state_backend import StateBackend


T = TypeVar("T", bound="CloudTargetUpdate")


@_attrs_define
class CloudTargetUpdate:
    """Partial update. `credentials` replaces the stored set as a whole; null removes it.

    Attributes:
        account_ref (None | str | Unset):
        credentials (CloudTargetUpdateCredentialsType0 | None | Unset): Write-only; replaces every stored credential
            (send all keys).
        default_region (None | str | Unset):
        endpoint_url (None | str | Unset):
        settings (CloudTargetUpdateSettingsType0 | None | Unset):
        state_backend (None | StateBackend | Unset):
    """

    account_ref: None | str | Unset = UNSET
    credentials: CloudTargetUpdateCredentialsType0 | None | Unset = UNSET
    default_region: None | str | Unset = UNSET
    endpoint_url: None | str | Unset = UNSET
    settings: CloudTargetUpdateSettingsType0 | None | Unset = UNSET
    state_backend: None | StateBackend | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.cloud_target_update_credentials_type_0 import CloudTargetUpdateCredentialsType0  # noqa: PLC0415
        from ..models.cloud_target_update_settings_type_0 import CloudTargetUpdateSettingsType0  # noqa: PLC0415
        from ..models.state_backend import StateBackend  # noqa: PLC0415

        account_ref: None | str | Unset
        if isinstance(self.account_ref, Unset):
            account_ref = UNSET
        else:
            account_ref = self.account_ref

        credentials: dict[str, Any] | None | Unset
        if isinstance(self.credentials, Unset):
            credentials = UNSET
        elif isinstance(self.credentials, CloudTargetUpdateCredentialsType0):
            credentials = self.credentials.to_dict()
        else:
            credentials = self.credentials

        default_region: None | str | Unset
        if isinstance(self.default_region, Unset):
            default_region = UNSET
        else:
            default_region = self.default_region

        endpoint_url: None | str | Unset
        if isinstance(self.endpoint_url, Unset):
            endpoint_url = UNSET
        else:
            endpoint_url = self.endpoint_url

        settings: dict[str, Any] | None | Unset
        if isinstance(self.settings, Unset):
            settings = UNSET
        elif isinstance(self.settings, CloudTargetUpdateSettingsType0):
            settings = self.settings.to_dict()
        else:
            settings = self.settings

        state_backend: dict[str, Any] | None | Unset
        if isinstance(self.state_backend, Unset):
            state_backend = UNSET
        elif isinstance(self.state_backend, StateBackend):
            state_backend = self.state_backend.to_dict()
        else:
            state_backend = self.state_backend

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if account_ref is not UNSET:
            field_dict["account_ref"] = account_ref
        if credentials is not UNSET:
            field_dict["credentials"] = credentials
        if default_region is not UNSET:
            field_dict["default_region"] = default_region
        if endpoint_url is not UNSET:
            field_dict["endpoint_url"] = endpoint_url
        if settings is not UNSET:
            field_dict["settings"] = settings
        if state_backend is not UNSET:
            field_dict["state_backend"] = state_backend

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cloud_target_update_credentials_type_0 import CloudTargetUpdateCredentialsType0  # noqa: PLC0415
        from ..models.cloud_target_update_settings_type_0 import CloudTargetUpdateSettingsType0  # noqa: PLC0415
        from ..models.state_backend import StateBackend  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_account_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        account_ref = _parse_account_ref(d.pop("account_ref", UNSET))

        def _parse_credentials(data: object) -> CloudTargetUpdateCredentialsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                credentials_type_0 = CloudTargetUpdateCredentialsType0.from_dict(data)

                return credentials_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CloudTargetUpdateCredentialsType0 | None | Unset, data)

        credentials = _parse_credentials(d.pop("credentials", UNSET))

        def _parse_default_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        default_region = _parse_default_region(d.pop("default_region", UNSET))

        def _parse_endpoint_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        endpoint_url = _parse_endpoint_url(d.pop("endpoint_url", UNSET))

        def _parse_settings(data: object) -> CloudTargetUpdateSettingsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                settings_type_0 = CloudTargetUpdateSettingsType0.from_dict(data)

                return settings_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CloudTargetUpdateSettingsType0 | None | Unset, data)

        settings = _parse_settings(d.pop("settings", UNSET))

        def _parse_state_backend(data: object) -> None | StateBackend | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                state_backend_type_0 = StateBackend.from_dict(data)

                return state_backend_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StateBackend | Unset, data)

        state_backend = _parse_state_backend(d.pop("state_backend", UNSET))

        cloud_target_update = cls(
            account_ref=account_ref,
            credentials=credentials,
            default_region=default_region,
            endpoint_url=endpoint_url,
            settings=settings,
            state_backend=state_backend,
        )

        return cloud_target_update
