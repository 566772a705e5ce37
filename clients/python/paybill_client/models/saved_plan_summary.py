from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.plan_addresses import PlanAddresses


T = TypeVar("T", bound="SavedPlanSummary")


@_attrs_define
class SavedPlanSummary:
    """
    Attributes:
        add (int):
        addresses (PlanAddresses):
        change (int):
        destroy (int):
        replace (int):
    """

    add: int
    addresses: PlanAddresses
    change: int
    destroy: int
    replace: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        add = self.add

        addresses = self.addresses.to_dict()

        change = self.change

        destroy = self.destroy

        replace = self.replace

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "add": add,
                "addresses": addresses,
                "change": change,
                "destroy": destroy,
                "replace": replace,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plan_addresses import PlanAddresses  # noqa: PLC0415

        d = dict(src_dict)
        add = d.pop("add")

        addresses = PlanAddresses.from_dict(d.pop("addresses"))

        change = d.pop("change")

        destroy = d.pop("destroy")

        replace = d.pop("replace")

        saved_plan_summary = cls(
            add=add,
            addresses=addresses,
            change=change,
            destroy=destroy,
            replace=replace,
        )

        saved_plan_summary.additional_properties = d
        return saved_plan_summary

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
