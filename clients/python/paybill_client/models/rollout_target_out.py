from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.rollout_target_out_status import RolloutTargetOutStatus, check_rollout_target_out_status
from ..types import UNSET, Unset

T = TypeVar("T", bound="RolloutTargetOut")


@_attrs_define
class RolloutTargetOut:
    """
    Attributes:
        error (None | str):
        finished_at (datetime.datetime | None):
        from_release_id (None | UUID):
        rollback_run_id (None | UUID):
        run_id (None | UUID):
        stack_id (None | UUID): Module rollouts: the stack.
        started_at (datetime.datetime | None):
        status (RolloutTargetOutStatus):
        tenant_id (None | UUID):
        wave (int):
        tenant_database_id (None | Unset | UUID): Schema rollouts: the tenant database.
    """

    error: None | str
    finished_at: datetime.datetime | None
    from_release_id: None | UUID
    rollback_run_id: None | UUID
    run_id: None | UUID
    stack_id: None | UUID
    started_at: datetime.datetime | None
    status: RolloutTargetOutStatus
    tenant_id: None | UUID
    wave: int
    tenant_database_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        error: None | str
        error = self.error

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        from_release_id: None | str
        if isinstance(self.from_release_id, UUID):
            from_release_id = str(self.from_release_id)
        else:
            from_release_id = self.from_release_id

        rollback_run_id: None | str
        if isinstance(self.rollback_run_id, UUID):
            rollback_run_id = str(self.rollback_run_id)
        else:
            rollback_run_id = self.rollback_run_id

        run_id: None | str
        if isinstance(self.run_id, UUID):
            run_id = str(self.run_id)
        else:
            run_id = self.run_id

        stack_id: None | str
        if isinstance(self.stack_id, UUID):
            stack_id = str(self.stack_id)
        else:
            stack_id = self.stack_id

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        status: str = self.status

        tenant_id: None | str
        if isinstance(self.tenant_id, UUID):
            tenant_id = str(self.tenant_id)
        else:
            tenant_id = self.tenant_id

        wave = self.wave

        tenant_database_id: None | str | Unset
        if isinstance(self.tenant_database_id, Unset):
            tenant_database_id = UNSET
        elif isinstance(self.tenant_database_id, UUID):
            tenant_database_id = str(self.tenant_database_id)
        else:
            tenant_database_id = self.tenant_database_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "error": error,
                "finished_at": finished_at,
                "from_release_id": from_release_id,
                "rollback_run_id": rollback_run_id,
                "run_id": run_id,
                "stack_id": stack_id,
                "started_at": started_at,
                "status": status,
                "tenant_id": tenant_id,
                "wave": wave,
            }
        )
        if tenant_database_id is not UNSET:
            field_dict["tenant_database_id"] = tenant_database_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

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

        def _parse_from_release_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_release_id_type_0 = UUID(data)

                return from_release_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        from_release_id = _parse_from_release_id(d.pop("from_release_id"))

        def _parse_rollback_run_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rollback_run_id_type_0 = UUID(data)

                return rollback_run_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        rollback_run_id = _parse_rollback_run_id(d.pop("rollback_run_id"))

        def _parse_run_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                run_id_type_0 = UUID(data)

                return run_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        run_id = _parse_run_id(d.pop("run_id"))

        def _parse_stack_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                stack_id_type_0 = UUID(data)

                return stack_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        stack_id = _parse_stack_id(d.pop("stack_id"))

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

        status = check_rollout_target_out_status(d.pop("status"))

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

        wave = d.pop("wave")

        def _parse_tenant_database_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tenant_database_id_type_0 = UUID(data)

                return tenant_database_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        tenant_database_id = _parse_tenant_database_id(d.pop("tenant_database_id", UNSET))

        rollout_target_out = cls(
            error=error,
            finished_at=finished_at,
            from_release_id=from_release_id,
            rollback_run_id=rollback_run_id,
            run_id=run_id,
            stack_id=stack_id,
            started_at=started_at,
            status=status,
            tenant_id=tenant_id,
            wave=wave,
            tenant_database_id=tenant_database_id,
        )

        rollout_target_out.additional_properties = d
        return rollout_target_out

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
