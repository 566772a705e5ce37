from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rollout_selector import RolloutSelector
    from ..models.rollout_strategy import RolloutStrategy


T = TypeVar("T", bound="RolloutCreate")


@_attrs_define
class RolloutCreate:
    """
    Attributes:
        release_id (UUID):
        max_failures (int | str | Unset): Error budget: failed stacks tolerated, a count (`3`) or a percentage of the
            targets (`'5%'`). One more failure halts the rollout. Default: '0'.
        selector (RolloutSelector | Unset):
        strategy (RolloutStrategy | Unset):
    """

    release_id: UUID
    max_failures: int | str | Unset = "0"
    selector: RolloutSelector | Unset = UNSET
    strategy: RolloutStrategy | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        release_id = str(self.release_id)

        max_failures: int | str | Unset
        if isinstance(self.max_failures, Unset):
            max_failures = UNSET
        else:
            max_failures = self.max_failures

        selector: dict[str, Any] | Unset = UNSET
        if not isinstance(self.selector, Unset):
            selector = self.selector.to_dict()

        strategy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.strategy, Unset):
            strategy = self.strategy.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "release_id": release_id,
            }
        )
        if max_failures is not UNSET:
            field_dict["max_failures"] = max_failures
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
        release_id = UUID(d.pop("release_id"))

        def _parse_max_failures(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        max_failures = _parse_max_failures(d.pop("max_failures", UNSET))

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

        rollout_create = cls(
            release_id=release_id,
            max_failures=max_failures,
            selector=selector,
            strategy=strategy,
        )

        return rollout_create
