from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="NumericFeature")


@_attrs_define
class NumericFeature:
    """
    Attributes:
        key (str):
        type_ (Literal['numeric']):  Default: 'numeric'.
        name (None | str | Unset):
        unit (None | str | Unset):
        unlimited (bool | Unset):  Default: False.
        value (int | None | Unset): Null only when unlimited.
    """

    key: str
    type_: Literal["numeric"] = "numeric"
    name: None | str | Unset = UNSET
    unit: None | str | Unset = UNSET
    unlimited: bool | Unset = False
    value: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        type_ = self.type_

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        unit: None | str | Unset
        if isinstance(self.unit, Unset):
            unit = UNSET
        else:
            unit = self.unit

        unlimited = self.unlimited

        value: int | None | Unset
        if isinstance(self.value, Unset):
            value = UNSET
        else:
            value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "key": key,
                "type": type_,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if unit is not UNSET:
            field_dict["unit"] = unit
        if unlimited is not UNSET:
            field_dict["unlimited"] = unlimited
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        type_ = cast(Literal["numeric"], d.pop("type"))
        if type_ != "numeric":
            raise ValueError(f"type must match const 'numeric', got '{type_}'")

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_unit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        unit = _parse_unit(d.pop("unit", UNSET))

        unlimited = d.pop("unlimited", UNSET)

        def _parse_value(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        value = _parse_value(d.pop("value", UNSET))

        numeric_feature = cls(
            key=key,
            type_=type_,
            name=name,
            unit=unit,
            unlimited=unlimited,
            value=value,
        )

        return numeric_feature
