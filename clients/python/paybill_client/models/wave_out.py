from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.wave_out_counts import WaveOutCounts


T = TypeVar("T", bound="WaveOut")


@_attrs_define
class WaveOut:
    """
    Attributes:
        counts (WaveOutCounts):
        size (int):
        wave (int):
    """

    counts: WaveOutCounts
    size: int
    wave: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        counts = self.counts.to_dict()

        size = self.size

        wave = self.wave

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "counts": counts,
                "size": size,
                "wave": wave,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.wave_out_counts import WaveOutCounts  # noqa: PLC0415

        d = dict(src_dict)
        counts = WaveOutCounts.from_dict(d.pop("counts"))

        size = d.pop("size")

        wave = d.pop("wave")

        wave_out = cls(
            counts=counts,
            size=size,
            wave=wave,
        )

        wave_out.additional_properties = d
        return wave_out

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
