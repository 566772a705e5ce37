from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cloud import Cloud, check_cloud
from ..models.isolation_model import IsolationModel, check_isolation_model
from ..models.tenant_out_desired_state import TenantOutDesiredState, check_tenant_out_desired_state
from ..models.tenant_out_suspended_by_type_0 import TenantOutSuspendedByType0, check_tenant_out_suspended_by_type_0
from ..models.tenant_status import TenantStatus, check_tenant_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.billing_refs import BillingRefs
    from ..models.boolean_feature import BooleanFeature
    from ..models.contact import Contact
    from ..models.numeric_feature import NumericFeature
    from ..models.set_feature import SetFeature
    from ..models.tenant_out_labels import TenantOutLabels


T = TypeVar("T", bound="TenantOut")


@_attrs_define
class TenantOut:
    """
    Attributes:
        allowed_actions (list[str]): Lifecycle actions valid in the current status.
        billing (BillingRefs):
        cloud (Cloud):
        cloud_target_id (None | UUID): The cloud target it is provisioned in (null: local, or not chosen yet).
        contacts (list[Contact]):
        created_at (datetime.datetime):
        desired_state (TenantOutDesiredState): What the tenant's runs converge to; `status` settles on it when done.
        entitlement_overrides (list[BooleanFeature | NumericFeature | SetFeature]):
        id (UUID):
        isolation_model (IsolationModel):
        labels (TenantOutLabels):
        name (str):
        pool_id (None | UUID): The pool of a pooled or bridge tenant.
        region (str):
        slug (str):
        status (TenantStatus):
        status_changed_at (datetime.datetime):
        tier (str):
        updated_at (datetime.datetime):
        version (int):
        suspended_by (None | TenantOutSuspendedByType0 | Unset): Who suspended the tenant: an operator's suspension
            holds until an operator resumes it, whatever Stripe says; billing's is lifted once the subscription is paid.
    """

    allowed_actions: list[str]
    billing: BillingRefs
    cloud: Cloud
    cloud_target_id: None | UUID
    contacts: list[Contact]
    created_at: datetime.datetime
    desired_state: TenantOutDesiredState
    entitlement_overrides: list[BooleanFeature | NumericFeature | SetFeature]
    id: UUID
    isolation_model: IsolationModel
    labels: TenantOutLabels
    name: str
    pool_id: None | UUID
    region: str
    slug: str
    status: TenantStatus
    status_changed_at: datetime.datetime
    tier: str
    updated_at: datetime.datetime
    version: int
    suspended_by: None | TenantOutSuspendedByType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.boolean_feature import BooleanFeature  # noqa: PLC0415
        from ..models.numeric_feature import NumericFeature  # noqa: PLC0415

        allowed_actions = self.allowed_actions

        billing = self.billing.to_dict()

        cloud: str = self.cloud

        cloud_target_id: None | str
        if isinstance(self.cloud_target_id, UUID):
            cloud_target_id = str(self.cloud_target_id)
        else:
            cloud_target_id = self.cloud_target_id

        contacts = []
        for contacts_item_data in self.contacts:
            contacts_item = contacts_item_data.to_dict()
            contacts.append(contacts_item)

        created_at = self.created_at.isoformat()

        desired_state: str = self.desired_state

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

        id = str(self.id)

        isolation_model: str = self.isolation_model

        labels = self.labels.to_dict()

        name = self.name

        pool_id: None | str
        if isinstance(self.pool_id, UUID):
            pool_id = str(self.pool_id)
        else:
            pool_id = self.pool_id

        region = self.region

        slug = self.slug

        status: str = self.status

        status_changed_at = self.status_changed_at.isoformat()

        tier = self.tier

        updated_at = self.updated_at.isoformat()

        version = self.version

        suspended_by: None | str | Unset
        if isinstance(self.suspended_by, Unset):
            suspended_by = UNSET
        elif isinstance(self.suspended_by, str):
            suspended_by = self.suspended_by
        else:
            suspended_by = self.suspended_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allowed_actions": allowed_actions,
                "billing": billing,
                "cloud": cloud,
                "cloud_target_id": cloud_target_id,
                "contacts": contacts,
                "created_at": created_at,
                "desired_state": desired_state,
                "entitlement_overrides": entitlement_overrides,
                "id": id,
                "isolation_model": isolation_model,
                "labels": labels,
                "name": name,
                "pool_id": pool_id,
                "region": region,
                "slug": slug,
                "status": status,
                "status_changed_at": status_changed_at,
                "tier": tier,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if suspended_by is not UNSET:
            field_dict["suspended_by"] = suspended_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.billing_refs import BillingRefs  # noqa: PLC0415
        from ..models.boolean_feature import BooleanFeature  # noqa: PLC0415
        from ..models.contact import Contact  # noqa: PLC0415
        from ..models.numeric_feature import NumericFeature  # noqa: PLC0415
        from ..models.set_feature import SetFeature  # noqa: PLC0415
        from ..models.tenant_out_labels import TenantOutLabels  # noqa: PLC0415

        d = dict(src_dict)
        allowed_actions = cast(list[str], d.pop("allowed_actions"))

        billing = BillingRefs.from_dict(d.pop("billing"))

        cloud = check_cloud(d.pop("cloud"))

        def _parse_cloud_target_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cloud_target_id_type_0 = UUID(data)

                return cloud_target_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        cloud_target_id = _parse_cloud_target_id(d.pop("cloud_target_id"))

        contacts = []
        _contacts = d.pop("contacts")
        for contacts_item_data in _contacts:
            contacts_item = Contact.from_dict(contacts_item_data)

            contacts.append(contacts_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        desired_state = check_tenant_out_desired_state(d.pop("desired_state"))

        entitlement_overrides = []
        _entitlement_overrides = d.pop("entitlement_overrides")
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

        id = UUID(d.pop("id"))

        isolation_model = check_isolation_model(d.pop("isolation_model"))

        labels = TenantOutLabels.from_dict(d.pop("labels"))

        name = d.pop("name")

        def _parse_pool_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pool_id_type_0 = UUID(data)

                return pool_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        pool_id = _parse_pool_id(d.pop("pool_id"))

        region = d.pop("region")

        slug = d.pop("slug")

        status = check_tenant_status(d.pop("status"))

        status_changed_at = datetime.datetime.fromisoformat(d.pop("status_changed_at"))

        tier = d.pop("tier")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        def _parse_suspended_by(data: object) -> None | TenantOutSuspendedByType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                suspended_by_type_0 = check_tenant_out_suspended_by_type_0(data)

                return suspended_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TenantOutSuspendedByType0 | Unset, data)

        suspended_by = _parse_suspended_by(d.pop("suspended_by", UNSET))

        tenant_out = cls(
            allowed_actions=allowed_actions,
            billing=billing,
            cloud=cloud,
            cloud_target_id=cloud_target_id,
            contacts=contacts,
            created_at=created_at,
            desired_state=desired_state,
            entitlement_overrides=entitlement_overrides,
            id=id,
            isolation_model=isolation_model,
            labels=labels,
            name=name,
            pool_id=pool_id,
            region=region,
            slug=slug,
            status=status,
            status_changed_at=status_changed_at,
            tier=tier,
            updated_at=updated_at,
            version=version,
            suspended_by=suspended_by,
        )

        tenant_out.additional_properties = d
        return tenant_out

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
