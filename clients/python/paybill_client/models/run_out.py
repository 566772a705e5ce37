from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.run_out_operation_type_0 import RunOutOperationType0, check_run_out_operation_type_0
from ..models.run_out_status import RunOutStatus, check_run_out_status

if TYPE_CHECKING:
    from ..models.plan_counts import PlanCounts
    from ..models.run_step import RunStep


T = TypeVar("T", bound="RunOut")


@_attrs_define
class RunOut:
    """
    Attributes:
        attempt (int):
        created_at (datetime.datetime):
        error (None | str):
        finished_at (datetime.datetime | None):
        id (UUID):
        kind (str): Why it ran: provision, change-tier, suspend, resume, deprovision…
        log_excerpt (None | str):
        max_attempts (int):
        next_attempt_at (datetime.datetime | None):
        operation (None | RunOutOperationType0):
        plan_summary (None | PlanCounts):
        requested_by (str):
        revision (None | str):
        stack_id (UUID):
        started_at (datetime.datetime | None):
        status (RunOutStatus):
        steps (list[RunStep]):
        tenant_ids (list[UUID]):
        trigger (str): api, a Stripe event id, retry…
    """

    attempt: int
    created_at: datetime.datetime
    error: None | str
    finished_at: datetime.datetime | None
    id: UUID
    kind: str
    log_excerpt: None | str
    max_attempts: int
    next_attempt_at: datetime.datetime | None
    operation: None | RunOutOperationType0
    plan_summary: None | PlanCounts
    requested_by: str
    revision: None | str
    stack_id: UUID
    started_at: datetime.datetime | None
    status: RunOutStatus
    steps: list[RunStep]
    tenant_ids: list[UUID]
    trigger: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.plan_counts import PlanCounts  # noqa: PLC0415

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

        kind = self.kind

        log_excerpt: None | str
        log_excerpt = self.log_excerpt

        max_attempts = self.max_attempts

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        operation: None | str
        if isinstance(self.operation, str):
            operation = self.operation
        else:
            operation = self.operation

        plan_summary: dict[str, Any] | None
        if isinstance(self.plan_summary, PlanCounts):
            plan_summary = self.plan_summary.to_dict()
        else:
            plan_summary = self.plan_summary

        requested_by = self.requested_by

        revision: None | str
        revision = self.revision

        stack_id = str(self.stack_id)

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

        tenant_ids = []
        for tenant_ids_item_data in self.tenant_ids:
            tenant_ids_item = str(tenant_ids_item_data)
            tenant_ids.append(tenant_ids_item)

        trigger = self.trigger

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempt": attempt,
                "created_at": created_at,
                "error": error,
                "finished_at": finished_at,
                "id": id,
                "kind": kind,
                "log_excerpt": log_excerpt,
                "max_attempts": max_attempts,
                "next_attempt_at": next_attempt_at,
                "operation": operation,
                "plan_summary": plan_summary,
                "requested_by": requested_by,
                "revision": revision,
                "stack_id": stack_id,
                "started_at": started_at,
                "status": status,
                "steps": steps,
                "tenant_ids": tenant_ids,
                "trigger": trigger,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plan_counts import PlanCounts  # noqa: PLC0415
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

        kind = d.pop("kind")

        def _parse_log_excerpt(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        log_excerpt = _parse_log_excerpt(d.pop("log_excerpt"))

        max_attempts = d.pop("max_attempts")

        def _parse_next_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))

        def _parse_operation(data: object) -> None | RunOutOperationType0:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                operation_type_0 = check_run_out_operation_type_0(data)

                return operation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RunOutOperationType0, data)

        operation = _parse_operation(d.pop("operation"))

        def _parse_plan_summary(data: object) -> None | PlanCounts:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                plan_summary_type_0 = PlanCounts.from_dict(data)

                return plan_summary_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PlanCounts, data)

        plan_summary = _parse_plan_summary(d.pop("plan_summary"))

        requested_by = d.pop("requested_by")

        def _parse_revision(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        revision = _parse_revision(d.pop("revision"))

        stack_id = UUID(d.pop("stack_id"))

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

        status = check_run_out_status(d.pop("status"))

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = RunStep.from_dict(steps_item_data)

            steps.append(steps_item)

        tenant_ids = []
        _tenant_ids = d.pop("tenant_ids")
        for tenant_ids_item_data in _tenant_ids:
            tenant_ids_item = UUID(tenant_ids_item_data)

            tenant_ids.append(tenant_ids_item)

        trigger = d.pop("trigger")

        run_out = cls(
            attempt=attempt,
            created_at=created_at,
            error=error,
            finished_at=finished_at,
            id=id,
            kind=kind,
            log_excerpt=log_excerpt,
            max_attempts=max_attempts,
            next_attempt_at=next_attempt_at,
            operation=operation,
            plan_summary=plan_summary,
            requested_by=requested_by,
            revision=revision,
            stack_id=stack_id,
            started_at=started_at,
            status=status,
            steps=steps,
            tenant_ids=tenant_ids,
            trigger=trigger,
        )

        run_out.additional_properties = d
        return run_out

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
