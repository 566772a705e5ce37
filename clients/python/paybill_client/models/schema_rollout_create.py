from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rollout_selector import RolloutSelector
    from ..models.rollout_strategy import RolloutStrategy


T = TypeVar("T", bound="SchemaRolloutCreate")


@_attrs_define
class SchemaRolloutCreate:
    """
    Attributes:
        max_failures (int | str | Unset):  Default: '0'.
        schema_version (int | None | Unset): The version to reach (default: the latest released).
        selector (RolloutSelector | Unset):
        strategy (RolloutStrategy | Unset):
    """

    max_failures: int | str | Unset = "0"
    schema_version: int | None | Unset = UNSET
    selector: RolloutSelector | Unset = UNSET
    strategy: RolloutStrategy | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        max_failures: int | str | Unset
        if isinstance(self.max_failures, Unset):
            max_failures = UNSET
        else:
            max_failures = self.max_failures

        schema_version: int | None | Unset
        if isinstance(self.schema_version, Unset):
            schema_version = UNSET
        else:
            schema_version = self.schema_version

        selector: dict[str, Any] | Unset = UNSET
        if not isinstance(self.selector, Unset):
            selector = self.selector.to_dict()

        strategy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.strategy, Unset):
            strategy = self.strategy.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if max_failures is not UNSET:
            field_dict["max_failures"] = max_failures
        if schema_version is not UNSET:
            field_dict["schema_version"] = schema_version
        if selector is not UNSET:
            field_dict["selector"] = selector
        if strategy is not UNSET:
            field_dict["strategy"] = strategy

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rollout_selector import RolloutSelector  # noqa: PLC0415
        from ..models.rollout_strategy import RolloutStrategy  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_max_failures(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        max_failures = _parse_max_failures(d.pop("max_failures", UNSET))

        def _parse_schema_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        schema_version = _parse_schema_version(d.pop("schema_version", UNSET))

        _selector = d.pop("selector", UNSET)
        selector: RolloutSelector | Unset
        if isinstance(_selector, Unset):
            selector = UNSET
        else:
            selector = RolloutSelector.from_dict(_selector)

        _strategy = d.pop("strategy", UNSET)
        strategy: RolloutStrategy | Unset
        if isinstance(_strategy, Unset):
            strategy = UNSET
        else:
            strategy = RolloutStrategy.from_dict(_strategy)

        schema_rollout_create = cls(
            max_failures=max_failures,
            schema_version=schema_version,
            selector=selector,
            strategy=strategy,
        )

        return schema_rollout_create
