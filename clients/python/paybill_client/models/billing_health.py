from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.billing_health_counts import BillingHealthCounts


T = TypeVar("T", bound="BillingHealth")


@_attrs_define
class BillingHealth:
    """
    Attributes:
        counts (BillingHealthCounts): Stored events by status (every status present, zero included).
        healthy (bool): No failed events and nothing older than 5 minutes waiting.
        oldest_unprocessed_age_seconds (float | None): Age of the oldest event still `received` (queued or being
            retried); null: none. Alert when it grows: events are not being applied.
        oldest_unprocessed_event_id (None | str):
    """

    counts: BillingHealthCounts
    healthy: bool
    oldest_unprocessed_age_seconds: float | None
    oldest_unprocessed_event_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        counts = self.counts.to_dict()

        healthy = self.healthy

        oldest_unprocessed_age_seconds: float | None
        oldest_unprocessed_age_seconds = self.oldest_unprocessed_age_seconds

        oldest_unprocessed_event_id: None | str
        oldest_unprocessed_event_id = self.oldest_unprocessed_event_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "counts": counts,
                "healthy": healthy,
                "oldest_unprocessed_age_seconds": oldest_unprocessed_age_seconds,
                "oldest_unprocessed_event_id": oldest_unprocessed_event_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.billing_health_counts import BillingHealthCounts  # noqa: PLC0415

        d = dict(src_dict)
        counts = BillingHealthCounts.from_dict(d.pop("counts"))

        healthy = d.pop("healthy")

        def _parse_oldest_unprocessed_age_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        oldest_unprocessed_age_seconds = _parse_oldest_unprocessed_age_seconds(d.pop("oldest_unprocessed_age_seconds"))

        def _parse_oldest_unprocessed_event_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        oldest_unprocessed_event_id = _parse_oldest_unprocessed_event_id(d.pop("oldest_unprocessed_event_id"))

        billing_health = cls(
            counts=counts,
            healthy=healthy,
            oldest_unprocessed_age_seconds=oldest_unprocessed_age_seconds,
            oldest_unprocessed_event_id=oldest_unprocessed_event_id,
        )

        billing_health.additional_properties = d
        return billing_health

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
