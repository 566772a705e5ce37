from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SetFeature")


@_attrs_define
class SetFeature:
    """
    Attributes:
        key (str):
        type_ (Literal['set']):  Default: 'set'.
        values (list[str]):
        name (None | str | Unset):
    """

    key: str
    values: list[str]
    type_: Literal["set"] = "set"
    name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        type_ = self.type_

        values = self.values

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "key": key,
                "type": type_,
                "values": values,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        type_ = cast(Literal["set"], d.pop("type"))
        if type_ != "set":
            raise ValueError(f"type must match const 'set', got '{type_}'")

        values = cast(list[str], d.pop("values"))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        set_feature = cls(
            key=key,
            type_=type_,
            values=values,
            name=name,
        )

        return set_feature
