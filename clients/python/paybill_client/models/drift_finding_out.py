from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.drift_finding_out_status import DriftFindingOutStatus, check_drift_finding_out_status

if TYPE_CHECKING:
    from ..models.drift_finding_out_attributes import DriftFindingOutAttributes


T = TypeVar("T", bound="DriftFindingOut")


@_attrs_define
class DriftFindingOut:
    """
    Attributes:
        addresses (list[str]):
        attributes (DriftFindingOutAttributes):
        fingerprint (str):
        first_seen_at (datetime.datetime):
        id (UUID):
        ignored_reason (None | str):
        last_seen_at (datetime.datetime):
        module (str):
        remediation_run_id (None | UUID):
        resolved_at (datetime.datetime | None):
        stack_id (UUID):
        status (DriftFindingOutStatus):
        tenant_id (None | UUID):
    """

    addresses: list[str]
    attributes: DriftFindingOutAttributes
    fingerprint: str
    first_seen_at: datetime.datetime
    id: UUID
    ignored_reason: None | str
    last_seen_at: datetime.datetime
    module: str
    remediation_run_id: None | UUID
    resolved_at: datetime.datetime | None
    stack_id: UUID
    status: DriftFindingOutStatus
    tenant_id: None | UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        addresses = self.addresses

        attributes = self.attributes.to_dict()

        fingerprint = self.fingerprint

        first_seen_at = self.first_seen_at.isoformat()

        id = str(self.id)

        ignored_reason: None | str
        ignored_reason = self.ignored_reason

        last_seen_at = self.last_seen_at.isoformat()

        module = self.module

        remediation_run_id: None | str
        if isinstance(self.remediation_run_id, UUID):
            remediation_run_id = str(self.remediation_run_id)
        else:
            remediation_run_id = self.remediation_run_id

        resolved_at: None | str
        if isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        stack_id = str(self.stack_id)

        status: str = self.status

        tenant_id: None | str
        if isinstance(self.tenant_id, UUID):
            tenant_id = str(self.tenant_id)
        else:
            tenant_id = self.tenant_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "addresses": addresses,
                "attributes": attributes,
                "fingerprint": fingerprint,
                "first_seen_at": first_seen_at,
                "id": id,
                "ignored_reason": ignored_reason,
                "last_seen_at": last_seen_at,
                "module": module,
                "remediation_run_id": remediation_run_id,
                "resolved_at": resolved_at,
                "stack_id": stack_id,
                "status": status,
                "tenant_id": tenant_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.drift_finding_out_attributes import DriftFindingOutAttributes  # noqa: PLC0415

        d = dict(src_dict)
        addresses = cast(list[str], d.pop("addresses"))

        attributes = DriftFindingOutAttributes.from_dict(d.pop("attributes"))

        fingerprint = d.pop("fingerprint")

        first_seen_at = datetime.datetime.fromisoformat(d.pop("first_seen_at"))

        id = UUID(d.pop("id"))

        def _parse_ignored_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ignored_reason = _parse_ignored_reason(d.pop("ignored_reason"))

        last_seen_at = datetime.datetime.fromisoformat(d.pop("last_seen_at"))

        module = d.pop("module")

        def _parse_remediation_run_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                remediation_run_id_type_0 = UUID(data)

                return remediation_run_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        remediation_run_id = _parse_remediation_run_id(d.pop("remediation_run_id"))

        def _parse_resolved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)

                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at"))

        stack_id = UUID(d.pop("stack_id"))

        status = check_drift_finding_out_status(d.pop("status"))

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

        drift_finding_out = cls(
            addresses=addresses,
            attributes=attributes,
            fingerprint=fingerprint,
            first_seen_at=first_seen_at,
            id=id,
            ignored_reason=ignored_reason,
            last_seen_at=last_seen_at,
            module=module,
            remediation_run_id=remediation_run_id,
            resolved_at=resolved_at,
            stack_id=stack_id,
            status=status,
            tenant_id=tenant_id,
        )

        drift_finding_out.additional_properties = d
        return drift_finding_out

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
