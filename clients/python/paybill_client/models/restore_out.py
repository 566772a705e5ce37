from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.restore_out_mode import RestoreOutMode, check_restore_out_mode
from ..models.restore_out_status import RestoreOutStatus, check_restore_out_status

if TYPE_CHECKING:
    from ..models.run_step import RunStep


T = TypeVar("T", bound="RestoreOut")


@_attrs_define
class RestoreOut:
    """
    Attributes:
        attempt (int):
        created_at (datetime.datetime):
        error (None | str):
        finished_at (datetime.datetime | None):
        id (UUID):
        mode (RestoreOutMode):
        pre_restore_snapshot_id (None | UUID):
        progress (None | str):
        requested_by (str):
        snapshot_id (UUID):
        started_at (datetime.datetime | None):
        status (RestoreOutStatus):
        steps (list[RunStep]):
        target_database (None | str): The database restored into
        target_schema (None | str):
        tenant_id (UUID):
    """

    attempt: int
    created_at: datetime.datetime
    error: None | str
    finished_at: datetime.datetime | None
    id: UUID
    mode: RestoreOutMode
    pre_restore_snapshot_id: None | UUID
    progress: None | str
    requested_by: str
    snapshot_id: UUID
    started_at: datetime.datetime | None
    status: RestoreOutStatus
    steps: list[RunStep]
    target_database: None | str
    target_schema: None | str
    tenant_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempt = self.attempt

        created_at = self.created_at.isoformat()

        error: None | str
        error = self.error

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        id = str(self.id)

        mode: str = self.mode

        pre_restore_snapshot_id: None | str
        if isinstance(self.pre_restore_snapshot_id, UUID):
            pre_restore_snapshot_id = str(self.pre_restore_snapshot_id)
        else:
            pre_restore_snapshot_id = self.pre_restore_snapshot_id

        progress: None | str
        progress = self.progress

        requested_by = self.requested_by

        snapshot_id = str(self.snapshot_id)

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        status: str = self.status

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        target_database: None | str
        target_database = self.target_database

        target_schema: None | str
        target_schema = self.target_schema

        tenant_id = str(self.tenant_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempt": attempt,
                "created_at": created_at,
                "error": error,
                "finished_at": finished_at,
                "id": id,
                "mode": mode,
                "pre_restore_snapshot_id": pre_restore_snapshot_id,
                "progress": progress,
                "requested_by": requested_by,
                "snapshot_id": snapshot_id,
                "started_at": started_at,
                "status": status,
                "steps": steps,
                "target_database": target_database,
                "target_schema": target_schema,
                "tenant_id": tenant_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.run_step import RunStep  # noqa: PLC0415

        d = dict(src_dict)
        attempt = d.pop("attempt")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        id = UUID(d.pop("id"))

        mode = check_restore_out_mode(d.pop("mode"))

        def _parse_pre_restore_snapshot_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pre_restore_snapshot_id_type_0 = UUID(data)

                return pre_restore_snapshot_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        pre_restore_snapshot_id = _parse_pre_restore_snapshot_id(d.pop("pre_restore_snapshot_id"))

        def _parse_progress(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        progress = _parse_progress(d.pop("progress"))

        requested_by = d.pop("requested_by")

        snapshot_id = UUID(d.pop("snapshot_id"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        status = check_restore_out_status(d.pop("status"))

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = RunStep.from_dict(steps_item_data)

            steps.append(steps_item)

        def _parse_target_database(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        target_database = _parse_target_database(d.pop("target_database"))

        def _parse_target_schema(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        target_schema = _parse_target_schema(d.pop("target_schema"))

        tenant_id = UUID(d.pop("tenant_id"))

        restore_out = cls(
            attempt=attempt,
            created_at=created_at,
            error=error,
            finished_at=finished_at,
            id=id,
            mode=mode,
            pre_restore_snapshot_id=pre_restore_snapshot_id,
            progress=progress,
            requested_by=requested_by,
            snapshot_id=snapshot_id,
            started_at=started_at,
            status=status,
            steps=steps,
            target_database=target_database,
            target_schema=target_schema,
            tenant_id=tenant_id,
        )

        restore_out.additional_properties = d
        return restore_out

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
