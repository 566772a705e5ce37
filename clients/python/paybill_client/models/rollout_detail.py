from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.rollout_detail_kind import RolloutDetailKind, check_rollout_detail_kind
from ..models.rollout_detail_status import RolloutDetailStatus, check_rollout_detail_status

if TYPE_CHECKING:
    from ..models.rollout_detail_counts import RolloutDetailCounts
    from ..models.rollout_detail_selector import RolloutDetailSelector
    from ..models.rollout_detail_strategy import RolloutDetailStrategy
    from ..models.rollout_target_out import RolloutTargetOut
    from ..models.wave_out import WaveOut


T = TypeVar("T", bound="RolloutDetail")


@_attrs_define
class RolloutDetail:
    """
    Attributes:
        counts (RolloutDetailCounts): Targets per status.
        created_at (datetime.datetime):
        created_by (str):
        current_wave (int):
        failures (list[RolloutTargetOut]):
        finished_at (datetime.datetime | None):
        halted_reason (None | str):
        id (UUID):
        kind (RolloutDetailKind):
        max_failures (int):
        release_id (None | UUID): Module rollouts: the release.
        schema_version (int | None): Schema rollouts: the version reached.
        selector (RolloutDetailSelector):
        status (RolloutDetailStatus):
        strategy (RolloutDetailStrategy):
        targets (list[RolloutTargetOut]):
        waves (list[WaveOut]):
    """

    counts: RolloutDetailCounts
    created_at: datetime.datetime
    created_by: str
    current_wave: int
    failures: list[RolloutTargetOut]
    finished_at: datetime.datetime | None
    halted_reason: None | str
    id: UUID
    kind: RolloutDetailKind
    max_failures: int
    release_id: None | UUID
    schema_version: int | None
    selector: RolloutDetailSelector
    status: RolloutDetailStatus
    strategy: RolloutDetailStrategy
    targets: list[RolloutTargetOut]
    waves: list[WaveOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        counts = self.counts.to_dict()

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        current_wave = self.current_wave

        failures = []
        for failures_item_data in self.failures:
            failures_item = failures_item_data.to_dict()
            failures.append(failures_item)

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        halted_reason: None | str
        halted_reason = self.halted_reason

        id = str(self.id)

        kind: str = self.kind

        max_failures = self.max_failures

        release_id: None | str
        if isinstance(self.release_id, UUID):
            release_id = str(self.release_id)
        else:
            release_id = self.release_id

        schema_version: int | None
        schema_version = self.schema_version

        selector = self.selector.to_dict()

        status: str = self.status

        strategy = self.strategy.to_dict()

        targets = []
        for targets_item_data in self.targets:
            targets_item = targets_item_data.to_dict()
            targets.append(targets_item)

        waves = []
        for waves_item_data in self.waves:
            waves_item = waves_item_data.to_dict()
            waves.append(waves_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "counts": counts,
                "created_at": created_at,
                "created_by": created_by,
                "current_wave": current_wave,
                "failures": failures,
                "finished_at": finished_at,
                "halted_reason": halted_reason,
                "id": id,
                "kind": kind,
                "max_failures": max_failures,
                "release_id": release_id,
                "schema_version": schema_version,
                "selector": selector,
                "status": status,
                "strategy": strategy,
                "targets": targets,
                "waves": waves,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rollout_detail_counts import RolloutDetailCounts  # noqa: PLC0415
        from ..models.rollout_detail_selector import RolloutDetailSelector  # noqa: PLC0415
        from ..models.rollout_detail_strategy import RolloutDetailStrategy  # noqa: PLC0415
        from ..models.rollout_target_out import RolloutTargetOut  # noqa: PLC0415
        from ..models.wave_out import WaveOut  # noqa: PLC0415

        d = dict(src_dict)
        counts = RolloutDetailCounts.from_dict(d.pop("counts"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        current_wave = d.pop("current_wave")

        failures = []
        _failures = d.pop("failures")
        for failures_item_data in _failures:
            failures_item = RolloutTargetOut.from_dict(failures_item_data)

            failures.append(failures_item)

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

        def _parse_halted_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        halted_reason = _parse_halted_reason(d.pop("halted_reason"))

        id = UUID(d.pop("id"))

        kind = check_rollout_detail_kind(d.pop("kind"))

        max_failures = d.pop("max_failures")

        def _parse_release_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                release_id_type_0 = UUID(data)

                return release_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        release_id = _parse_release_id(d.pop("release_id"))

        def _parse_schema_version(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        schema_version = _parse_schema_version(d.pop("schema_version"))

        selector = RolloutDetailSelector.from_dict(d.pop("selector"))

        status = check_rollout_detail_status(d.pop("status"))

        strategy = RolloutDetailStrategy.from_dict(d.pop("strategy"))

        targets = []
        _targets = d.pop("targets")
        for targets_item_data in _targets:
            targets_item = RolloutTargetOut.from_dict(targets_item_data)

            targets.append(targets_item)

        waves = []
        _waves = d.pop("waves")
        for waves_item_data in _waves:
            waves_item = WaveOut.from_dict(waves_item_data)

            waves.append(waves_item)

        rollout_detail = cls(
            counts=counts,
            created_at=created_at,
            created_by=created_by,
            current_wave=current_wave,
            failures=failures,
            finished_at=finished_at,
            halted_reason=halted_reason,
            id=id,
            kind=kind,
            max_failures=max_failures,
            release_id=release_id,
            schema_version=schema_version,
            selector=selector,
            status=status,
            strategy=strategy,
            targets=targets,
            waves=waves,
        )

        rollout_detail.additional_properties = d
        return rollout_detail

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
