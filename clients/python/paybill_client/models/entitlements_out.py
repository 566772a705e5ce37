from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.entitlements_out_source import EntitlementsOutSource, check_entitlements_out_source
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.boolean_feature import BooleanFeature
    from ..models.entitlements_out_flags import EntitlementsOutFlags
    from ..models.entitlements_out_limits import EntitlementsOutLimits
    from ..models.numeric_feature import NumericFeature
    from ..models.set_feature import SetFeature


T = TypeVar("T", bound="EntitlementsOut")


@_attrs_define
class EntitlementsOut:
    """
    Attributes:
        features (list[BooleanFeature | NumericFeature | SetFeature]): Tier features (granted or withdrawn by Stripe
            entitlements where the plan says so) with the tenant's overrides applied.
        flags (EntitlementsOutFlags): Boolean features as key → enabled.
        limits (EntitlementsOutLimits): Numeric features as key → value (null: unlimited).
        tenant_id (UUID):
        tier (str):
        source (EntitlementsOutSource | Unset): stripe: the plan takes (some) features from the customer's Stripe
            entitlements. Default: 'catalog'.
    """

    features: list[BooleanFeature | NumericFeature | SetFeature]
    flags: EntitlementsOutFlags
    limits: EntitlementsOutLimits
    tenant_id: UUID
    tier: str
    source: EntitlementsOutSource | Unset = "catalog"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.boolean_feature import BooleanFeature  # noqa: PLC0415
        from ..models.numeric_feature import NumericFeature  # noqa: PLC0415

        features = []
        for features_item_data in self.features:
            features_item: dict[str, Any]
            if isinstance(features_item_data, BooleanFeature):
                features_item = features_item_data.to_dict()
            elif isinstance(features_item_data, NumericFeature):
                features_item = features_item_data.to_dict()
            else:
                features_item = features_item_data.to_dict()

            features.append(features_item)

        flags = self.flags.to_dict()

        limits = self.limits.to_dict()

        tenant_id = str(self.tenant_id)

        tier = self.tier

        source: str | Unset = UNSET
        if not isinstance(self.source, Unset):
            source = self.source

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "features": features,
                "flags": flags,
                "limits": limits,
                "tenant_id": tenant_id,
                "tier": tier,
            }
        )
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.boolean_feature import BooleanFeature  # noqa: PLC0415
        from ..models.entitlements_out_flags import EntitlementsOutFlags  # noqa: PLC0415
        from ..models.entitlements_out_limits import EntitlementsOutLimits  # noqa: PLC0415
        from ..models.numeric_feature import NumericFeature  # noqa: PLC0415
        from ..models.set_feature import SetFeature  # noqa: PLC0415

        d = dict(src_dict)
        features = []
        _features = d.pop("features")
        for features_item_data in _features:

            def _parse_features_item(data: object) -> BooleanFeature | NumericFeature | SetFeature:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    features_item_type_0 = BooleanFeature.from_dict(data)

                    return features_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    features_item_type_1 = NumericFeature.from_dict(data)

                    return features_item_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                features_item_type_2 = SetFeature.from_dict(data)

                return features_item_type_2

            features_item = _parse_features_item(features_item_data)

            features.append(features_item)

        flags = EntitlementsOutFlags.from_dict(d.pop("flags"))

        limits = EntitlementsOutLimits.from_dict(d.pop("limits"))

        tenant_id = UUID(d.pop("tenant_id"))

        tier = d.pop("tier")

        _source = d.pop("source", UNSET)
        source: EntitlementsOutSource | Unset
        if isinstance(_source, Unset):
            source = UNSET
        else:
            source = check_entitlements_out_source(_source)

        entitlements_out = cls(
            features=features,
            flags=flags,
            limits=limits,
            tenant_id=tenant_id,
            tier=tier,
            source=source,
        )

        entitlements_out.additional_properties = d
        return entitlements_out

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
