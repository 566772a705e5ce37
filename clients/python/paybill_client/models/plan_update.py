from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.plan_interval import PlanInterval, check_plan_interval
from ..models.plan_update_entitlements_source import PlanUpdateEntitlementsSource, check_plan_update_entitlements_source
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.plan_update_stripe_features import PlanUpdateStripeFeatures


T = TypeVar("T", bound="PlanUpdate")


@_attrs_define
class PlanUpdate:
    """
    Attributes:
        active (bool | Unset):
        entitlements_source (PlanUpdateEntitlementsSource | Unset):
        interval (PlanInterval | Unset):
        name (str | Unset):
        stripe_features (PlanUpdateStripeFeatures | Unset):
        stripe_price_ids (list[str] | Unset):
        stripe_product_id (None | str | Unset):
        tier (str | Unset):
    """

    active: bool | Unset = UNSET
    entitlements_source: PlanUpdateEntitlementsSource | Unset = UNSET
    interval: PlanInterval | Unset = UNSET
    name: str | Unset = UNSET
    stripe_features: PlanUpdateStripeFeatures | Unset = UNSET
    stripe_price_ids: list[str] | Unset = UNSET
    stripe_product_id: None | str | Unset = UNSET
    tier: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        active = self.active

        entitlements_source: str | Unset = UNSET
        if not isinstance(self.entitlements_source, Unset):
            entitlements_source = self.entitlements_source

        interval: str | Unset = UNSET
        if not isinstance(self.interval, Unset):
            interval = self.interval

        name = self.name

        stripe_features: dict[str, Any] | Unset = UNSET
        if not isinstance(self.stripe_features, Unset):
            stripe_features = self.stripe_features.to_dict()

        stripe_price_ids: list[str] | Unset = UNSET
        if not isinstance(self.stripe_price_ids, Unset):
            stripe_price_ids = self.stripe_price_ids

        stripe_product_id: None | str | Unset
        if isinstance(self.stripe_product_id, Unset):
            stripe_product_id = UNSET
        else:
            stripe_product_id = self.stripe_product_id

        tier = self.tier

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if active is not UNSET:
            field_dict["active"] = active
        if entitlements_source is not UNSET:
            field_dict["entitlements_source"] = entitlements_source
        if interval is not UNSET:
            field_dict["interval"] = interval
        if name is not UNSET:
            field_dict["name"] = name
        if stripe_features is not UNSET:
            field_dict["stripe_features"] = stripe_features
        if stripe_price_ids is not UNSET:
            field_dict["stripe_price_ids"] = stripe_price_ids
        if stripe_product_id is not UNSET:
            field_dict["stripe_product_id"] = stripe_product_id
        if tier is not UNSET:
            field_dict["tier"] = tier

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plan_update_stripe_features import PlanUpdateStripeFeatures  # noqa: PLC0415

        d = dict(src_dict)
        active = d.pop("active", UNSET)

        _entitlements_source = d.pop("entitlements_source", UNSET)
        entitlements_source: PlanUpdateEntitlementsSource | Unset
        if isinstance(_entitlements_source, Unset):
            entitlements_source = UNSET
        else:
            entitlements_source = check_plan_update_entitlements_source(_entitlements_source)

        _interval = d.pop("interval", UNSET)
        interval: PlanInterval | Unset
        if isinstance(_interval, Unset):
            interval = UNSET
        else:
            interval = check_plan_interval(_interval)

        name = d.pop("name", UNSET)

        _stripe_features = d.pop("stripe_features", UNSET)
        stripe_features: PlanUpdateStripeFeatures | Unset
        if isinstance(_stripe_features, Unset):
            stripe_features = UNSET
        else:
            stripe_features = PlanUpdateStripeFeatures.from_dict(_stripe_features)

        stripe_price_ids = cast(list[str], d.pop("stripe_price_ids", UNSET))

        def _parse_stripe_product_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stripe_product_id = _parse_stripe_product_id(d.pop("stripe_product_id", UNSET))

        tier = d.pop("tier", UNSET)

        plan_update = cls(
            active=active,
            entitlements_source=entitlements_source,
            interval=interval,
            name=name,
            stripe_features=stripe_features,
            stripe_price_ids=stripe_price_ids,
            stripe_product_id=stripe_product_id,
            tier=tier,
        )

        return plan_update
