"""Small readers of Stripe values: ids of expandable fields, timestamps, metadata, objects."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Protocol


class SnapshotError(ValueError):
    """The object is not a usable Stripe subscription (or event)."""


class _HasToDict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


StripeLike = Mapping[str, Any] | _HasToDict


def as_mapping(obj: StripeLike) -> Mapping[str, Any]:
    if isinstance(obj, Mapping):
        return obj
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):
        data = to_dict()
        if isinstance(data, Mapping):
            return data
    raise SnapshotError(f"expected a mapping or a StripeObject, got {type(obj).__name__}")


def event_object(event: Mapping[str, Any]) -> Mapping[str, Any]:
    data = event.get("data")
    obj = data.get("object") if isinstance(data, Mapping) else None
    return obj if isinstance(obj, Mapping) else {}


def stripe_id(value: Any) -> str | None:
    """An id from an expandable field: the id string itself, or the expanded object's `id`."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, Mapping):
        inner = value.get("id")
        return inner if isinstance(inner, str) and inner else None
    return None


def clean_text(value: Any) -> str | None:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def timestamp(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return datetime.fromtimestamp(value, tz=UTC)


def aware_datetime(value: datetime | float) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("datetimes must be timezone-aware (UTC)")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a datetime or a unix timestamp, got {type(value).__name__}")
    return datetime.fromtimestamp(value, tz=UTC)


def string_metadata(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): str(v) for k, v in value.items() if v is not None}
