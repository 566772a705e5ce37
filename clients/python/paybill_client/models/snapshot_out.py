from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.snapshot_out_kind import SnapshotOutKind, check_snapshot_out_kind
from ..models.snapshot_out_status import SnapshotOutStatus, check_snapshot_out_status

if TYPE_CHECKING:
    from ..models.run_step import RunStep
    from ..models.snapshot_out_tables_type_0 import SnapshotOutTablesType0


T = TypeVar("T", bound="SnapshotOut")


@_attrs_define
class SnapshotOut:
    """
    Attributes:
        attempt (int):
        checksum (None | str): sha256 of the dump file (pg_dump custom format)
        created_at (datetime.datetime):
        database (None | str): The database dumped
        error (None | str):
        expires_at (datetime.datetime | None): When it is purged (null: kept)
        finished_at (datetime.datetime | None):
        id (UUID):
        kind (SnapshotOutKind):
        progress (None | str): The latest pg_dump line while it runs
        requested_by (str):
        schema_name (None | str): pooled: the schema dumped
        size_bytes (int | None):
        started_at (datetime.datetime | None):
        status (SnapshotOutStatus):
        steps (list[RunStep]):
        tables (None | SnapshotOutTablesType0): Row count and checksum of each table, as dumped ('schema.table')
        tenant_id (UUID):
    """

    attempt: int
    checksum: None | str
    created_at: datetime.datetime
    database: None | str
    error: None | str
    expires_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    id: UUID
    kind: SnapshotOutKind
    progress: None | str
    requested_by: str
    schema_name: None | str
    size_bytes: int | None
    started_at: datetime.datetime | None
    status: SnapshotOutStatus
    steps: list[RunStep]
    tables: None | SnapshotOutTablesType0
    tenant_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.snapshot_out_tables_type_0 import SnapshotOutTablesType0  # noqa: PLC0415

        attempt = self.attempt

        checksum: None | str
        checksum = self.checksum

        created_at = self.created_at.isoformat()

        database: None | str
        database = self.database

        error: None | str
        error = self.error

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        id = str(self.id)

        kind: str = self.kind

        progress: None | str
        progress = self.progress

        requested_by = self.requested_by

        schema_name: None | str
        schema_name = self.schema_name

        size_bytes: int | None
        size_bytes = self.size_bytes

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

        tables: dict[str, Any] | None
        if isinstance(self.tables, SnapshotOutTablesType0):
            tables = self.tables.to_dict()
        else:
            tables = self.tables

        tenant_id = str(self.tenant_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempt": attempt,
                "checksum": checksum,
                "created_at": created_at,
                "database": database,
                "error": error,
                "expires_at": expires_at,
                "finished_at": finished_at,
                "id": id,
                "kind": kind,
                "progress": progress,
                "requested_by": requested_by,
                "schema_name": schema_name,
                "size_bytes": size_bytes,
                "started_at": started_at,
                "status": status,
                "steps": steps,
                "tables": tables,
                "tenant_id": tenant_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.run_step import RunStep  # noqa: PLC0415
        from ..models.snapshot_out_tables_type_0 import SnapshotOutTablesType0  # noqa: PLC0415

        d = dict(src_dict)
        attempt = d.pop("attempt")

        def _parse_checksum(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        checksum = _parse_checksum(d.pop("checksum"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_database(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        database = _parse_database(d.pop("database"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))

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

        kind = check_snapshot_out_kind(d.pop("kind"))

        def _parse_progress(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        progress = _parse_progress(d.pop("progress"))

        requested_by = d.pop("requested_by")

        def _parse_schema_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        schema_name = _parse_schema_name(d.pop("schema_name"))

        def _parse_size_bytes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        size_bytes = _parse_size_bytes(d.pop("size_bytes"))

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

        status = check_snapshot_out_status(d.pop("status"))

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = RunStep.from_dict(steps_item_data)

            steps.append(steps_item)

        def _parse_tables(data: object) -> None | SnapshotOutTablesType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tables_type_0 = SnapshotOutTablesType0.from_dict(data)

                return tables_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SnapshotOutTablesType0, data)

        tables = _parse_tables(d.pop("tables"))

        tenant_id = UUID(d.pop("tenant_id"))

        snapshot_out = cls(
            attempt=attempt,
            checksum=checksum,
            created_at=created_at,
            database=database,
            error=error,
            expires_at=expires_at,
            finished_at=finished_at,
            id=id,
            kind=kind,
            progress=progress,
            requested_by=requested_by,
            schema_name=schema_name,
            size_bytes=size_bytes,
            started_at=started_at,
            status=status,
            steps=steps,
            tables=tables,
            tenant_id=tenant_id,
        )

        snapshot_out.additional_properties = d
        return snapshot_out

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
