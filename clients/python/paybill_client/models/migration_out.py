from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.migration_phase import MigrationPhase, check_migration_phase
from ..models.migration_status import MigrationStatus, check_migration_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.migration_phase_out import MigrationPhaseOut
    from ..models.migration_plan_out import MigrationPlanOut
    from ..models.migration_side import MigrationSide


T = TypeVar("T", bound="MigrationOut")


@_attrs_define
class MigrationOut:
    """
    Attributes:
        created_at (datetime.datetime):
        id (UUID):
        phase (MigrationPhase): `tenant_migrations.phase`: the step the workflow is in (or last was in).
        phases (list[MigrationPhaseOut]):
        plan (MigrationPlanOut): What a migration would do (`?dry_run=true`), and what a started one planned.
        requested_by (str):
        source (MigrationSide):
        status (MigrationStatus): `tenant_migrations.status`: running → holding → completed; or failed / rolling_back →
            rolled_back / cancelled.
        target (MigrationSide):
        tenant_id (UUID):
        updated_at (datetime.datetime):
        endpoint (None | str | Unset): The target's endpoint, after cutover.
        error (None | str | Unset):
        finished_at (datetime.datetime | None | Unset):
        hold_until (datetime.datetime | None | Unset):
    """

    created_at: datetime.datetime
    id: UUID
    phase: MigrationPhase
    phases: list[MigrationPhaseOut]
    plan: MigrationPlanOut
    requested_by: str
    source: MigrationSide
    status: MigrationStatus
    target: MigrationSide
    tenant_id: UUID
    updated_at: datetime.datetime
    endpoint: None | str | Unset = UNSET
    error: None | str | Unset = UNSET
    finished_at: datetime.datetime | None | Unset = UNSET
    hold_until: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        id = str(self.id)

        phase: str = self.phase

        phases = []
        for phases_item_data in self.phases:
            phases_item = phases_item_data.to_dict()
            phases.append(phases_item)

        plan = self.plan.to_dict()

        requested_by = self.requested_by

        source = self.source.to_dict()

        status: str = self.status

        target = self.target.to_dict()

        tenant_id = str(self.tenant_id)

        updated_at = self.updated_at.isoformat()

        endpoint: None | str | Unset
        if isinstance(self.endpoint, Unset):
            endpoint = UNSET
        else:
            endpoint = self.endpoint

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        elif isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        hold_until: None | str | Unset
        if isinstance(self.hold_until, Unset):
            hold_until = UNSET
        elif isinstance(self.hold_until, datetime.datetime):
            hold_until = self.hold_until.isoformat()
        else:
            hold_until = self.hold_until

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "phase": phase,
                "phases": phases,
                "plan": plan,
                "requested_by": requested_by,
                "source": source,
                "status": status,
                "target": target,
                "tenant_id": tenant_id,
                "updated_at": updated_at,
            }
        )
        if endpoint is not UNSET:
            field_dict["endpoint"] = endpoint
        if error is not UNSET:
            field_dict["error"] = error
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at
        if hold_until is not UNSET:
            field_dict["hold_until"] = hold_until

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.migration_phase_out import MigrationPhaseOut  # noqa: PLC0415
        from ..models.migration_plan_out import MigrationPlanOut  # noqa: PLC0415
        from ..models.migration_side import MigrationSide  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        phase = check_migration_phase(d.pop("phase"))

        phases = []
        _phases = d.pop("phases")
        for phases_item_data in _phases:
            phases_item = MigrationPhaseOut.from_dict(phases_item_data)

            phases.append(phases_item)

        plan = MigrationPlanOut.from_dict(d.pop("plan"))

        requested_by = d.pop("requested_by")

        source = MigrationSide.from_dict(d.pop("source"))

        status = check_migration_status(d.pop("status"))

        target = MigrationSide.from_dict(d.pop("target"))

        tenant_id = UUID(d.pop("tenant_id"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_endpoint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        endpoint = _parse_endpoint(d.pop("endpoint", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

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

        def _parse_hold_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                hold_until_type_0 = datetime.datetime.fromisoformat(data)

                return hold_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        hold_until = _parse_hold_until(d.pop("hold_until", UNSET))

        migration_out = cls(
            created_at=created_at,
            id=id,
            phase=phase,
            phases=phases,
            plan=plan,
            requested_by=requested_by,
            source=source,
            status=status,
            target=target,
            tenant_id=tenant_id,
            updated_at=updated_at,
            endpoint=endpoint,
            error=error,
            finished_at=finished_at,
            hold_until=hold_until,
        )

        migration_out.additional_properties = d
        return migration_out

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
