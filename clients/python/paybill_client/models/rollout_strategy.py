from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RolloutStrategy")


@_attrs_define
class RolloutStrategy:
    """
    Attributes:
        canary (int | Unset): Stacks in the first wave. Default: 1.
        growth (int | Unset): Each wave is this many times the last. Default: 2.
        max_concurrency (int | Unset): Stacks upgrading at once. Default: 4.
        respect_maintenance_windows (bool | Unset):  Default: True.
        soak_seconds (int | Unset): Wait between waves. Default: 0.
    """

    canary: int | Unset = 1
    growth: int | Unset = 2
    max_concurrency: int | Unset = 4
    respect_maintenance_windows: bool | Unset = True
    soak_seconds: int | Unset = 0

    def to_dict(self) -> dict[str, Any]:
        canary = self.canary

        growth = self.growth

        max_concurrency = self.max_concurrency

        respect_maintenance_windows = self.respect_maintenance_windows

        soak_seconds = self.soak_seconds

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if canary is not UNSET:
            field_dict["canary"] = canary
        if growth is not UNSET:
            field_dict["growth"] = growth
        if max_concurrency is not UNSET:
            field_dict["max_concurrency"] = max_concurrency
        if respect_maintenance_windows is not UNSET:
            field_dict["respect_maintenance_windows"] = respect_maintenance_windows
        if soak_seconds is not UNSET:
            field_dict["soak_seconds"] = soak_seconds

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        canary = d.pop("canary", UNSET)

        growth = d.pop("growth", UNSET)

        max_concurrency = d.pop("max_concurrency", UNSET)

        respect_maintenance_windows = d.pop("respect_maintenance_windows", UNSET)

        soak_seconds = d.pop("soak_seconds", UNSET)

        rollout_strategy = cls(
            canary=canary,
            growth=growth,
            max_concurrency=max_concurrency,
            respect_maintenance_windows=respect_maintenance_windows,
            soak_seconds=soak_seconds,
        )

        return rollout_strategy
