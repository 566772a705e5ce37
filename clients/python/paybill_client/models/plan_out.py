from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.plan_interval import PlanInterval, check_plan_interval

if TYPE_CHECKING:
    from ..models.plan_out_stripe_features import PlanOutStripeFeatures


T = TypeVar("T", bound="PlanOut")


@_attrs_define
class PlanOut:
    """
    Attributes:
        active (bool):
        created_at (datetime.datetime):
        entitlements_source (str):
        interval (PlanInterval):
        key (str):
        name (str):
        stripe_features (PlanOutStripeFeatures):
        stripe_price_ids (list[str]):
        stripe_product_id (None | str):
        tier (str):
        updated_at (datetime.datetime):
        version (int):
    """

    active: bool
    created_at: datetime.datetime
    entitlements_source: str
    interval: PlanInterval
    key: str
    name: str
    stripe_features: PlanOutStripeFeatures
    stripe_price_ids: list[str]
    stripe_product_id: None | str
    tier: str
    updated_at: datetime.datetime
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        active = self.active

        created_at = self.created_at.isoformat()

        entitlements_source = self.entitlements_source

        interval: str = self.interval

        key = self.key

        name = self.name

        stripe_features = self.stripe_features.to_dict()

        stripe_price_ids = self.stripe_price_ids

        stripe_product_id: None | str
        stripe_product_id = self.stripe_product_id

        tier = self.tier

        updated_at = self.updated_at.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "active": active,
                "created_at": created_at,
                "entitlements_source": entitlements_source,
                "interval": interval,
                "key": key,
                "name": name,
                "stripe_features": stripe_features,
                "stripe_price_ids": stripe_price_ids,
                "stripe_product_id": stripe_product_id,
                "tier": tier,
                "updated_at": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plan_out_stripe_features import PlanOutStripeFeatures  # noqa: PLC0415

        d = dict(src_dict)
        active = d.pop("active")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        entitlements_source = d.pop("entitlements_source")

        interval = check_plan_interval(d.pop("interval"))

        key = d.pop("key")

        name = d.pop("name")

        stripe_features = PlanOutStripeFeatures.from_dict(d.pop("stripe_features"))

        stripe_price_ids = cast(list[str], d.pop("stripe_price_ids"))

        def _parse_stripe_product_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        stripe_product_id = _parse_stripe_product_id(d.pop("stripe_product_id"))

        tier = d.pop("tier")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        plan_out = cls(
            active=active,
            created_at=created_at,
            entitlements_source=entitlements_source,
            interval=interval,
            key=key,
            name=name,
            stripe_features=stripe_features,
            stripe_price_ids=stripe_price_ids,
            stripe_product_id=stripe_product_id,
            tier=tier,
            updated_at=updated_at,
            version=version,
        )

        plan_out.additional_properties = d
        return plan_out

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
