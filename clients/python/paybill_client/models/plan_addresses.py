from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PlanAddresses")


@_attrs_define
class PlanAddresses:
    """
    Attributes:
        add (list[str]):
        change (list[str]):
        destroy (list[str]):
        replace (list[str]):
    """

    add: list[str]
    change: list[str]
    destroy: list[str]
    replace: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        add = self.add

        change = self.change

        destroy = self.destroy

        replace = self.replace

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "add": add,
                "change": change,
                "destroy": destroy,
                "replace": replace,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        add = cast(list[str], d.pop("add"))

        change = cast(list[str], d.pop("change"))

        destroy = cast(list[str], d.pop("destroy"))

        replace = cast(list[str], d.pop("replace"))

        plan_addresses = cls(
            add=add,
            change=change,
            destroy=destroy,
            replace=replace,
        )

        plan_addresses.additional_properties = d
        return plan_addresses

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
