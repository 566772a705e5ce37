from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.migration_phase import MigrationPhase, check_migration_phase
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.migration_plan_out_data import MigrationPlanOutData
    from ..models.migration_plan_out_source_stacks_item import MigrationPlanOutSourceStacksItem
    from ..models.migration_plan_out_target_stacks_item import MigrationPlanOutTargetStacksItem
    from ..models.migration_side import MigrationSide


T = TypeVar("T", bound="MigrationPlanOut")


@_attrs_define
class MigrationPlanOut:
    """What a migration would do (`?dry_run=true`), and what a started one planned.

    Attributes:
        data (MigrationPlanOutData): Data size estimate and copy method.
        hold_hours (float):
        phases (list[MigrationPhase]):
        source (MigrationSide):
        source_stacks (list[MigrationPlanOutSourceStacksItem]): The stacks decommissioned after the hold.
        target (MigrationSide):
        target_stacks (list[MigrationPlanOutTargetStacksItem]): The stacks the target needs: kind, module, and whether
            it exists already.
        tenant_id (UUID):
        rollback_of (None | Unset | UUID): Set when this migration rolls back a completed (decommissioned) one: it moves
            the tenant, with its current data, back to that migration's source.
    """

    data: MigrationPlanOutData
    hold_hours: float
    phases: list[MigrationPhase]
    source: MigrationSide
    source_stacks: list[MigrationPlanOutSourceStacksItem]
    target: MigrationSide
    target_stacks: list[MigrationPlanOutTargetStacksItem]
    tenant_id: UUID
    rollback_of: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        hold_hours = self.hold_hours

        phases = []
        for phases_item_data in self.phases:
            phases_item: str = phases_item_data
            phases.append(phases_item)

        source = self.source.to_dict()

        source_stacks = []
        for source_stacks_item_data in self.source_stacks:
            source_stacks_item = source_stacks_item_data.to_dict()
            source_stacks.append(source_stacks_item)

        target = self.target.to_dict()

        target_stacks = []
        for target_stacks_item_data in self.target_stacks:
            target_stacks_item = target_stacks_item_data.to_dict()
            target_stacks.append(target_stacks_item)

        tenant_id = str(self.tenant_id)

        rollback_of: None | str | Unset
        if isinstance(self.rollback_of, Unset):
            rollback_of = UNSET
        elif isinstance(self.rollback_of, UUID):
            rollback_of = str(self.rollback_of)
        else:
            rollback_of = self.rollback_of

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "hold_hours": hold_hours,
                "phases": phases,
                "source": source,
                "source_stacks": source_stacks,
                "target": target,
                "target_stacks": target_stacks,
                "tenant_id": tenant_id,
            }
        )
        if rollback_of is not UNSET:
            field_dict["rollback_of"] = rollback_of

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.migration_plan_out_data import MigrationPlanOutData  # noqa: PLC0415
        from ..models.migration_plan_out_source_stacks_item import MigrationPlanOutSourceStacksItem  # noqa: PLC0415
        from ..models.migration_plan_out_target_stacks_item import MigrationPlanOutTargetStacksItem  # noqa: PLC0415
        from ..models.migration_side import MigrationSide  # noqa: PLC0415

        d = dict(src_dict)
        data = MigrationPlanOutData.from_dict(d.pop("data"))

        hold_hours = d.pop("hold_hours")

        phases = []
        _phases = d.pop("phases")
        for phases_item_data in _phases:
            phases_item = check_migration_phase(phases_item_data)

            phases.append(phases_item)

        source = MigrationSide.from_dict(d.pop("source"))

        source_stacks = []
        _source_stacks = d.pop("source_stacks")
        for source_stacks_item_data in _source_stacks:
            source_stacks_item = MigrationPlanOutSourceStacksItem.from_dict(source_stacks_item_data)

            source_stacks.append(source_stacks_item)

        target = MigrationSide.from_dict(d.pop("target"))

        target_stacks = []
        _target_stacks = d.pop("target_stacks")
        for target_stacks_item_data in _target_stacks:
            target_stacks_item = MigrationPlanOutTargetStacksItem.from_dict(target_stacks_item_data)

            target_stacks.append(target_stacks_item)

        tenant_id = UUID(d.pop("tenant_id"))

        def _parse_rollback_of(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rollback_of_type_0 = UUID(data)

                return rollback_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        rollback_of = _parse_rollback_of(d.pop("rollback_of", UNSET))

        migration_plan_out = cls(
            data=data,
            hold_hours=hold_hours,
            phases=phases,
            source=source,
            source_stacks=source_stacks,
            target=target,
            target_stacks=target_stacks,
            tenant_id=tenant_id,
            rollback_of=rollback_of,
        )

        migration_plan_out.additional_properties = d
        return migration_plan_out

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
