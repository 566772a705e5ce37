from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.cloud import Cloud, check_cloud
from ..models.policy_applies_to_operations_type_0_item import (
    PolicyAppliesToOperationsType0Item,
    check_policy_applies_to_operations_type_0_item,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="PolicyAppliesTo")


@_attrs_define
class PolicyAppliesTo:
    """Filters that pick the runs a policy is evaluated on; a missing filter matches any run.

    Attributes:
        clouds (list[Cloud] | None | Unset):
        kinds (list[str] | None | Unset): Run kinds (provision, deprovision, suspend, resume, change-tier, …).
        operations (list[PolicyAppliesToOperationsType0Item] | None | Unset): Terraform operations: apply
            (create/update) or destroy.
        tiers (list[str] | None | Unset): Tier keys of the run's tenants.
    """

    clouds: list[Cloud] | None | Unset = UNSET
    kinds: list[str] | None | Unset = UNSET
    operations: list[PolicyAppliesToOperationsType0Item] | None | Unset = UNSET
    tiers: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        clouds: list[str] | None | Unset
        if isinstance(self.clouds, Unset):
            clouds = UNSET
        elif isinstance(self.clouds, list):
            clouds = []
            for clouds_type_0_item_data in self.clouds:
                clouds_type_0_item: str = clouds_type_0_item_data
                clouds.append(clouds_type_0_item)

        else:
            clouds = self.clouds

        kinds: list[str] | None | Unset
        if isinstance(self.kinds, Unset):
            kinds = UNSET
        elif isinstance(self.kinds, list):
            kinds = self.kinds

        else:
            kinds = self.kinds

        operations: list[str] | None | Unset
        if isinstance(self.operations, Unset):
            operations = UNSET
        elif isinstance(self.operations, list):
            operations = []
            for operations_type_0_item_data in self.operations:
                operations_type_0_item: str = operations_type_0_item_data
                operations.append(operations_type_0_item)

        else:
            operations = self.operations

        tiers: list[str] | None | Unset
        if isinstance(self.tiers, Unset):
            tiers = UNSET
        elif isinstance(self.tiers, list):
            tiers = self.tiers

        else:
            tiers = self.tiers

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if clouds is not UNSET:
            field_dict["clouds"] = clouds
        if kinds is not UNSET:
            field_dict["kinds"] = kinds
        if operations is not UNSET:
            field_dict["operations"] = operations
        if tiers is not UNSET:
            field_dict["tiers"] = tiers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_clouds(data: object) -> list[Cloud] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                clouds_type_0 = []
                _clouds_type_0 = data
                for clouds_type_0_item_data in _clouds_type_0:
                    clouds_type_0_item = check_cloud(clouds_type_0_item_data)

                    clouds_type_0.append(clouds_type_0_item)

                return clouds_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Cloud] | None | Unset, data)

        clouds = _parse_clouds(d.pop("clouds", UNSET))

        def _parse_kinds(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                kinds_type_0 = cast(list[str], data)

                return kinds_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        kinds = _parse_kinds(d.pop("kinds", UNSET))

        def _parse_operations(data: object) -> list[PolicyAppliesToOperationsType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                operations_type_0 = []
                _operations_type_0 = data
                for operations_type_0_item_data in _operations_type_0:
                    operations_type_0_item = check_policy_applies_to_operations_type_0_item(operations_type_0_item_data)

                    operations_type_0.append(operations_type_0_item)

                return operations_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PolicyAppliesToOperationsType0Item] | None | Unset, data)

        operations = _parse_operations(d.pop("operations", UNSET))

        def _parse_tiers(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tiers_type_0 = cast(list[str], data)

                return tiers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tiers = _parse_tiers(d.pop("tiers", UNSET))

        policy_applies_to = cls(
            clouds=clouds,
            kinds=kinds,
            operations=operations,
            tiers=tiers,
        )

        return policy_applies_to
