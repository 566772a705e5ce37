from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.run_logs_run_status import RunLogsRunStatus, check_run_logs_run_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.run_log_line_out import RunLogLineOut


T = TypeVar("T", bound="RunLogs")


@_attrs_define
class RunLogs:
    """
    Attributes:
        lines (list[RunLogLineOut]):
        next_after (int | None): Pass as `after` to get the lines that follow.
        run_id (UUID):
        run_status (RunLogsRunStatus):
        redacted (bool | Unset): True when a tenant key reads a shared pool run's log. Default: False.
    """

    lines: list[RunLogLineOut]
    next_after: int | None
    run_id: UUID
    run_status: RunLogsRunStatus
    redacted: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        next_after: int | None
        next_after = self.next_after

        run_id = str(self.run_id)

        run_status: str = self.run_status

        redacted = self.redacted

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "lines": lines,
                "next_after": next_after,
                "run_id": run_id,
                "run_status": run_status,
            }
        )
        if redacted is not UNSET:
            field_dict["redacted"] = redacted

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.run_log_line_out import RunLogLineOut  # noqa: PLC0415

        d = dict(src_dict)
        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = RunLogLineOut.from_dict(lines_item_data)

            lines.append(lines_item)

        def _parse_next_after(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        next_after = _parse_next_after(d.pop("next_after"))

        run_id = UUID(d.pop("run_id"))

        run_status = check_run_logs_run_status(d.pop("run_status"))

        redacted = d.pop("redacted", UNSET)

        run_logs = cls(
            lines=lines,
            next_after=next_after,
            run_id=run_id,
            run_status=run_status,
            redacted=redacted,
        )

        run_logs.additional_properties = d
        return run_logs

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
