from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WebhookEndpointWithSecret")


@_attrs_define
class WebhookEndpointWithSecret:
    """
    Attributes:
        created_at (datetime.datetime):
        description (str):
        disabled_reason (None | str):
        enabled (bool):
        event_types (list[str]):
        failing_since (datetime.datetime | None):
        id (UUID):
        rotation_ends_at (datetime.datetime | None): While set, the previous secret also signs deliveries (until then).
        secret (str): The Standard Webhooks signing secret (`whsec_…`). Shown only now.
        tenant_id (None | UUID):
        updated_at (datetime.datetime):
        url (str):
        version (int):
    """

    created_at: datetime.datetime
    description: str
    disabled_reason: None | str
    enabled: bool
    event_types: list[str]
    failing_since: datetime.datetime | None
    id: UUID
    rotation_ends_at: datetime.datetime | None
    secret: str
    tenant_id: None | UUID
    updated_at: datetime.datetime
    url: str
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        description = self.description

        disabled_reason: None | str
        disabled_reason = self.disabled_reason

        enabled = self.enabled

        event_types = self.event_types

        failing_since: None | str
        if isinstance(self.failing_since, datetime.datetime):
            failing_since = self.failing_since.isoformat()
        else:
            failing_since = self.failing_since

        id = str(self.id)

        rotation_ends_at: None | str
        if isinstance(self.rotation_ends_at, datetime.datetime):
            rotation_ends_at = self.rotation_ends_at.isoformat()
        else:
            rotation_ends_at = self.rotation_ends_at

        secret = self.secret

        tenant_id: None | str
        if isinstance(self.tenant_id, UUID):
            tenant_id = str(self.tenant_id)
        else:
            tenant_id = self.tenant_id

        updated_at = self.updated_at.isoformat()

        url = self.url

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "description": description,
                "disabled_reason": disabled_reason,
                "enabled": enabled,
                "event_types": event_types,
                "failing_since": failing_since,
                "id": id,
                "rotation_ends_at": rotation_ends_at,
                "secret": secret,
                "tenant_id": tenant_id,
                "updated_at": updated_at,
                "url": url,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        description = d.pop("description")

        def _parse_disabled_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        disabled_reason = _parse_disabled_reason(d.pop("disabled_reason"))

        enabled = d.pop("enabled")

        event_types = cast(list[str], d.pop("event_types"))

        def _parse_failing_since(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                failing_since_type_0 = datetime.datetime.fromisoformat(data)

                return failing_since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        failing_since = _parse_failing_since(d.pop("failing_since"))

        id = UUID(d.pop("id"))

        def _parse_rotation_ends_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rotation_ends_at_type_0 = datetime.datetime.fromisoformat(data)

                return rotation_ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        rotation_ends_at = _parse_rotation_ends_at(d.pop("rotation_ends_at"))

        secret = d.pop("secret")

        def _parse_tenant_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tenant_id_type_0 = UUID(data)

                return tenant_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        tenant_id = _parse_tenant_id(d.pop("tenant_id"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        url = d.pop("url")

        version = d.pop("version")

        webhook_endpoint_with_secret = cls(
            created_at=created_at,
            description=description,
            disabled_reason=disabled_reason,
            enabled=enabled,
            event_types=event_types,
            failing_since=failing_since,
            id=id,
            rotation_ends_at=rotation_ends_at,
            secret=secret,
            tenant_id=tenant_id,
            updated_at=updated_at,
            url=url,
            version=version,
        )

        webhook_endpoint_with_secret.additional_properties = d
        return webhook_endpoint_with_secret

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
