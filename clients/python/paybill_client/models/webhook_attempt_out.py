from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WebhookAttemptOut")


@_attrs_define
class WebhookAttemptOut:
    """
    Attributes:
        attempt (int):
        attempted_at (datetime.datetime):
        delivery_id (UUID):
        error (None | str):
        event_id (UUID):
        id (UUID):
        latency_ms (float):
        status_code (int | None): The receiver's HTTP status (null: no answer).
    """

    attempt: int
    attempted_at: datetime.datetime
    delivery_id: UUID
    error: None | str
    event_id: UUID
    id: UUID
    latency_ms: float
    status_code: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempt = self.attempt

        attempted_at = self.attempted_at.isoformat()

        delivery_id = str(self.delivery_id)

        error: None | str
        error = self.error

        event_id = str(self.event_id)

        id = str(self.id)

        latency_ms = self.latency_ms

        status_code: int | None
        status_code = self.status_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempt": attempt,
                "attempted_at": attempted_at,
                "delivery_id": delivery_id,
                "error": error,
                "event_id": event_id,
                "id": id,
                "latency_ms": latency_ms,
                "status_code": status_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempt = d.pop("attempt")

        attempted_at = datetime.datetime.fromisoformat(d.pop("attempted_at"))

        delivery_id = UUID(d.pop("delivery_id"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        event_id = UUID(d.pop("event_id"))

        id = UUID(d.pop("id"))

        latency_ms = d.pop("latency_ms")

        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("status_code"))

        webhook_attempt_out = cls(
            attempt=attempt,
            attempted_at=attempted_at,
            delivery_id=delivery_id,
            error=error,
            event_id=event_id,
            id=id,
            latency_ms=latency_ms,
            status_code=status_code,
        )

        webhook_attempt_out.additional_properties = d
        return webhook_attempt_out

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
