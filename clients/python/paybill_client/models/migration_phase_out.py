from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.migration_phase import MigrationPhase, check_migration_phase
from ..types import UNSET, Unset

T = TypeVar("T", bound="MigrationPhaseOut")


@_attrs_define
class MigrationPhaseOut:
    """
    Attributes:
        name (MigrationPhase): `tenant_migrations.phase`: the step the workflow is in (or last was in).
        started_at (datetime.datetime):
        status (str): running, succeeded, skipped, failed or interrupted
        detail (Any | Unset):
        duration_ms (int | None | Unset):
        finished_at (datetime.datetime | None | Unset):
    """

    name: MigrationPhase
    started_at: datetime.datetime
    status: str
    detail: Any | Unset = UNSET
    duration_ms: int | None | Unset = UNSET
    finished_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name: str = self.name

        started_at = self.started_at.isoformat()

        status = self.status

        detail = self.detail

        duration_ms: int | None | Unset
        if isinstance(self.duration_ms, Unset):
            duration_ms = UNSET
        else:
            duration_ms = self.duration_ms

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        elif isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "started_at": started_at,
                "status": status,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail
        if duration_ms is not UNSET:
            field_dict["duration_ms"] = duration_ms
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = check_migration_phase(d.pop("name"))

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        status = d.pop("status")

        detail = d.pop("detail", UNSET)

        def _parse_duration_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        duration_ms = _parse_duration_ms(d.pop("duration_ms", UNSET))

        def _parse_finished_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        finished_at = _parse_finished_at(d.pop("finished_at", UNSET))

        migration_phase_out = cls(
            name=name,
            started_at=started_at,
            status=status,
            detail=detail,
            duration_ms=duration_ms,
            finished_at=finished_at,
        )

        migration_phase_out.additional_properties = d
        return migration_phase_out

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
