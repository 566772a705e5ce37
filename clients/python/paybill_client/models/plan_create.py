from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.plan_create_entitlements_source import PlanCreateEntitlementsSource, check_plan_create_entitlements_source
from ..models.plan_interval import PlanInterval, check_plan_interval
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.plan_create_stripe_features import PlanCreateStripeFeatures


T = TypeVar("T", bound="PlanCreate")


@_attrs_define
class PlanCreate:
    """
    Attributes:
        key (str):
        name (str):
        tier (str): Key of the tier this plan grants.
        active (bool | Unset):  Default: True.
        entitlements_source (PlanCreateEntitlementsSource | Unset): stripe: the features named in `stripe_features` are
            granted only while the customer holds the Stripe entitlement (applied from
            `entitlements.active_entitlement_summary.updated`). Default: 'catalog'.
        interval (PlanInterval | Unset):
        stripe_features (PlanCreateStripeFeatures | Unset): Stripe feature lookup key -> catalog feature key.
        stripe_price_ids (list[str] | Unset): Stripe price ids that map to this plan (unique overall).
        stripe_product_id (None | str | Unset):
    """

    key: str
    name: str
    tier: str
    active: bool | Unset = True
    entitlements_source: PlanCreateEntitlementsSource | Unset = "catalog"
    interval: PlanInterval | Unset = UNSET
    stripe_features: PlanCreateStripeFeatures | Unset = UNSET
    stripe_price_ids: list[str] | Unset = UNSET
    stripe_product_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        name = self.name

        tier = self.tier

        active = self.active

        entitlements_source: str | Unset = UNSET
        if not isinstance(self.entitlements_source, Unset):
            entitlements_source = self.entitlements_source

        interval: str | Unset = UNSET
        if not isinstance(self.interval, Unset):
            interval = self.interval

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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "key": key,
                "name": name,
                "tier": tier,
            }
        )
        if active is not UNSET:
            field_dict["active"] = active
        if entitlements_source is not UNSET:
            field_dict["entitlements_source"] = entitlements_source
        if interval is not UNSET:
            field_dict["interval"] = interval
        if stripe_features is not UNSET:
            field_dict["stripe_features"] = stripe_features
        if stripe_price_ids is not UNSET:
            field_dict["stripe_price_ids"] = stripe_price_ids
        if stripe_product_id is not UNSET:
            field_dict["stripe_product_id"] = stripe_product_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plan_create_stripe_features import PlanCreateStripeFeatures  # noqa: PLC0415

        d = dict(src_dict)
        key = d.pop("key")

        name = d.pop("name")

        tier = d.pop("tier")

        active = d.pop("active", UNSET)

        _entitlements_source = d.pop("entitlements_source", UNSET)
        entitlements_source: PlanCreateEntitlementsSource | Unset
        if isinstance(_entitlements_source, Unset):
            entitlements_source = UNSET
        else:
            entitlements_source = check_plan_create_entitlements_source(_entitlements_source)

        _interval = d.pop("interval", UNSET)
        interval: PlanInterval | Unset
        if isinstance(_interval, Unset):
            interval = UNSET
        else:
            interval = check_plan_interval(_interval)

        _stripe_features = d.pop("stripe_features", UNSET)
        stripe_features: PlanCreateStripeFeatures | Unset
        if isinstance(_stripe_features, Unset):
            stripe_features = UNSET
        else:
            stripe_features = PlanCreateStripeFeatures.from_dict(_stripe_features)

        stripe_price_ids = cast(list[str], d.pop("stripe_price_ids", UNSET))

        def _parse_stripe_product_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stripe_product_id = _parse_stripe_product_id(d.pop("stripe_product_id", UNSET))

        plan_create = cls(
            key=key,
            name=name,
            tier=tier,
            active=active,
            entitlements_source=entitlements_source,
            interval=interval,
            stripe_features=stripe_features,
            stripe_price_ids=stripe_price_ids,
            stripe_product_id=stripe_product_id,
        )

        return plan_create
