from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.cloud import Cloud, check_cloud
from ..models.isolation_model import IsolationModel, check_isolation_model
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.contact import Contact
    from ..models.tenant_create_labels import TenantCreateLabels


T = TypeVar("T", bound="TenantCreate")


@_attrs_define
class TenantCreate:
    """
    Attributes:
        cloud (Cloud):
        name (str):
        region (str):
        slug (str): DNS-safe, unique; used in resource names and endpoints.
        tier (str):
        cloud_target_id (None | Unset | UUID): The cloud target (account) to provision in; it must be of the tenant's
            cloud. Omitted: the cloud's only target, if it has exactly one (none needed on local).
        contacts (list[Contact] | Unset):
        isolation_model (IsolationModel | None | Unset): Override of the tier's default; only where the tier allows it.
        labels (TenantCreateLabels | Unset):
    """

    cloud: Cloud
    name: str
    region: str
    slug: str
    tier: str
    cloud_target_id: None | Unset | UUID = UNSET
    contacts: list[Contact] | Unset = UNSET
    isolation_model: IsolationModel | None | Unset = UNSET
    labels: TenantCreateLabels | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        cloud: str = self.cloud

        name = self.name

        region = self.region

        slug = self.slug

        tier = self.tier

        cloud_target_id: None | str | Unset
        if isinstance(self.cloud_target_id, Unset):
            cloud_target_id = UNSET
        elif isinstance(self.cloud_target_id, UUID):
            cloud_target_id = str(self.cloud_target_id)
        else:
            cloud_target_id = self.cloud_target_id

        contacts: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.contacts, Unset):
            contacts = []
            for contacts_item_data in self.contacts:
                contacts_item = contacts_item_data.to_dict()
                contacts.append(contacts_item)

        isolation_model: None | str | Unset
        if isinstance(self.isolation_model, Unset):
            isolation_model = UNSET
        elif isinstance(self.isolation_model, str):
            isolation_model = self.isolation_model
        else:
            isolation_model = self.isolation_model

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "cloud": cloud,
                "name": name,
                "region": region,
                "slug": slug,
                "tier": tier,
            }
        )
        if cloud_target_id is not UNSET:
            field_dict["cloud_target_id"] = cloud_target_id
        if contacts is not UNSET:
            field_dict["contacts"] = contacts
        if isolation_model is not UNSET:
            field_dict["isolation_model"] = isolation_model
        if labels is not UNSET:
            field_dict["labels"] = labels

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact import Contact  # noqa: PLC0415
        from ..models.tenant_create_labels import TenantCreateLabels  # noqa: PLC0415

        d = dict(src_dict)
        cloud = check_cloud(d.pop("cloud"))

        name = d.pop("name")

        region = d.pop("region")

        slug = d.pop("slug")

        tier = d.pop("tier")

        def _parse_cloud_target_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cloud_target_id_type_0 = UUID(data)

                return cloud_target_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        cloud_target_id = _parse_cloud_target_id(d.pop("cloud_target_id", UNSET))

        _contacts = d.pop("contacts", UNSET)
        contacts: list[Contact] | Unset = UNSET
        if _contacts is not UNSET:
            contacts = []
            for contacts_item_data in _contacts:
                contacts_item = Contact.from_dict(contacts_item_data)

                contacts.append(contacts_item)

        def _parse_isolation_model(data: object) -> IsolationModel | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                isolation_model_type_0 = check_isolation_model(data)

                return isolation_model_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IsolationModel | None | Unset, data)

        isolation_model = _parse_isolation_model(d.pop("isolation_model", UNSET))

        _labels = d.pop("labels", UNSET)
        labels: TenantCreateLabels | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = TenantCreateLabels.from_dict(_labels)

        tenant_create = cls(
            cloud=cloud,
            name=name,
            region=region,
            slug=slug,
            tier=tier,
            cloud_target_id=cloud_target_id,
            contacts=contacts,
            isolation_model=isolation_model,
            labels=labels,
        )

        return tenant_create
