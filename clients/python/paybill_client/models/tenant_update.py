from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.boolean_feature import BooleanFeature
    from ..models.contact import Contact
    from ..models.numeric_feature import NumericFeature
    from ..models.set_feature import SetFeature
    from ..models.tenant_update_labels import TenantUpdateLabels


T = TypeVar("T", bound="TenantUpdate")


@_attrs_define
class TenantUpdate:
    """
    Attributes:
        contacts (list[Contact] | Unset):
        entitlement_overrides (list[BooleanFeature | NumericFeature | SetFeature] | Unset): Features that replace (by
            key) or add to the tier's.
        labels (TenantUpdateLabels | Unset):
        name (str | Unset):
        tier (str | Unset): A tier change re-plans the tenant's stacks.
    """

    contacts: list[Contact] | Unset = UNSET
    entitlement_overrides: list[BooleanFeature | NumericFeature | SetFeature] | Unset = UNSET
    labels: TenantUpdateLabels | Unset = UNSET
    name: str | Unset = UNSET
    tier: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.boolean_feature import BooleanFeature  # noqa: PLC0415
        from ..models.numeric_feature import NumericFeature  # noqa: PLC0415

        contacts: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.contacts, Unset):
            contacts = []
            for contacts_item_data in self.contacts:
                contacts_item = contacts_item_data.to_dict()
                contacts.append(contacts_item)

        entitlement_overrides: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.entitlement_overrides, Unset):
            entitlement_overrides = []
            for entitlement_overrides_item_data in self.entitlement_overrides:
                entitlement_overrides_item: dict[str, Any]
                if isinstance(entitlement_overrides_item_data, BooleanFeature):
                    entitlement_overrides_item = entitlement_overrides_item_data.to_dict()
                elif isinstance(entitlement_overrides_item_data, NumericFeature):
                    entitlement_overrides_item = entitlement_overrides_item_data.to_dict()
                else:
                    entitlement_overrides_item = entitlement_overrides_item_data.to_dict()

                entitlement_overrides.append(entitlement_overrides_item)

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        name = self.name

        tier = self.tier

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if contacts is not UNSET:
            field_dict["contacts"] = contacts
        if entitlement_overrides is not UNSET:
            field_dict["entitlement_overrides"] = entitlement_overrides
        if labels is not UNSET:
            field_dict["labels"] = labels
        if name is not UNSET:
            field_dict["name"] = name
        if tier is not UNSET:
            field_dict["tier"] = tier

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.boolean_feature import BooleanFeature  # noqa: PLC0415
        from ..models.contact import Contact  # noqa: PLC0415
        from ..models.numeric_feature import NumericFeature  # noqa: PLC0415
        from ..models.set_feature import SetFeature  # noqa: PLC0415
        from ..models.tenant_update_labels import TenantUpdateLabels  # noqa: PLC0415

        d = dict(src_dict)
        _contacts = d.pop("contacts", UNSET)
        contacts: list[Contact] | Unset = UNSET
        if _contacts is not UNSET:
            contacts = []
            for contacts_item_data in _contacts:
                contacts_item = Contact.from_dict(contacts_item_data)

                contacts.append(contacts_item)

        _entitlement_overrides = d.pop("entitlement_overrides", UNSET)
        entitlement_overrides: list[BooleanFeature | NumericFeature | SetFeature] | Unset = UNSET
        if _entitlement_overrides is not UNSET:
            entitlement_overrides = []
            for entitlement_overrides_item_data in _entitlement_overrides:

                def _parse_entitlement_overrides_item(data: object) -> BooleanFeature | NumericFeature | SetFeature:
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        entitlement_overrides_item_type_0 = BooleanFeature.from_dict(data)

                        return entitlement_overrides_item_type_0
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        entitlement_overrides_item_type_1 = NumericFeature.from_dict(data)

                        return entitlement_overrides_item_type_1
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    if not isinstance(data, dict):
                        raise TypeError()
                    entitlement_overrides_item_type_2 = SetFeature.from_dict(data)

                    return entitlement_overrides_item_type_2

                entitlement_overrides_item = _parse_entitlement_overrides_item(entitlement_overrides_item_data)

                entitlement_overrides.append(entitlement_overrides_item)

        _labels = d.pop("labels", UNSET)
        labels: TenantUpdateLabels | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = TenantUpdateLabels.from_dict(_labels)

        name = d.pop("name", UNSET)

        tier = d.pop("tier", UNSET)

        tenant_update = cls(
            contacts=contacts,
            entitlement_overrides=entitlement_overrides,
            labels=labels,
            name=name,
            tier=tier,
        )

        return tenant_update
