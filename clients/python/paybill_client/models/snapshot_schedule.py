from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.snapshot_schedule_every import SnapshotScheduleEvery, check_snapshot_schedule_every

T = TypeVar("T", bound="SnapshotSchedule")


@_attrs_define
class SnapshotSchedule:
    """Scheduled snapshots of the tier's tenants' data (docs/snapshots.md).

    Attributes:
        every (SnapshotScheduleEvery): How often one is taken.
        keep (int): How many scheduled snapshots are kept.
    """

    every: SnapshotScheduleEvery
    keep: int

    def to_dict(self) -> dict[str, Any]:
        every: str = self.every

        keep = self.keep

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "every": every,
                "keep": keep,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        every = check_snapshot_schedule_every(d.pop("every"))

        keep = d.pop("keep")

        snapshot_schedule = cls(
            every=every,
            keep=keep,
        )

        return snapshot_schedule
