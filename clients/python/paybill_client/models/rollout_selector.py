from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.cloud import Cloud, check_cloud
from ..models.isolation_model import IsolationModel, check_isolation_model
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rollout_selector_labels import RolloutSelectorLabels


T = TypeVar("T", bound="RolloutSelector")


@_attrs_define
class RolloutSelector:
    """
    Attributes:
        cloud (Cloud | None | Unset):
        labels (RolloutSelectorLabels | Unset): Every label must match (a pool: any member).
        model (IsolationModel | None | Unset):
        region (None | str | Unset):
        tenant_ids (list[UUID] | None | Unset): Only these tenants' stacks (a pool: any member).
        tier (None | str | Unset):
    """

    cloud: Cloud | None | Unset = UNSET
    labels: RolloutSelectorLabels | Unset = UNSET
    model: IsolationModel | None | Unset = UNSET
    region: None | str | Unset = UNSET
    tenant_ids: list[UUID] | None | Unset = UNSET
    tier: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        cloud: None | str | Unset
        if isinstance(self.cloud, Unset):
            cloud = UNSET
        elif isinstance(self.cloud, str):
            cloud = self.cloud
        else:
            cloud = self.cloud

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        elif isinstance(self.model, str):
            model = self.model
        else:
            model = self.model

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        tenant_ids: list[str] | None | Unset
        if isinstance(self.tenant_ids, Unset):
            tenant_ids = UNSET
        elif isinstance(self.tenant_ids, list):
            tenant_ids = []
            for tenant_ids_type_0_item_data in self.tenant_ids:
                tenant_ids_type_0_item = str(tenant_ids_type_0_item_data)
                tenant_ids.append(tenant_ids_type_0_item)

        else:
            tenant_ids = self.tenant_ids

        tier: None | str | Unset
        if isinstance(self.tier, Unset):
            tier = UNSET
        else:
            tier = self.tier

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if cloud is not UNSET:
            field_dict["cloud"] = cloud
        if labels is not UNSET:
            field_dict["labels"] = labels
        if model is not UNSET:
            field_dict["model"] = model
        if region is not UNSET:
            field_dict["region"] = region
        if tenant_ids is not UNSET:
            field_dict["tenant_ids"] = tenant_ids
        if tier is not UNSET:
            field_dict["tier"] = tier

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rollout_selector_labels import RolloutSelectorLabels  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_cloud(data: object) -> Cloud | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cloud_type_0 = check_cloud(data)

                return cloud_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Cloud | None | Unset, data)

        cloud = _parse_cloud(d.pop("cloud", UNSET))

        _labels = d.pop("labels", UNSET)
        labels: RolloutSelectorLabels | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = RolloutSelectorLabels.from_dict(_labels)

        def _parse_model(data: object) -> IsolationModel | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                model_type_0 = check_isolation_model(data)

                return model_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IsolationModel | None | Unset, data)

        model = _parse_model(d.pop("model", UNSET))

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        def _parse_tenant_ids(data: object) -> list[UUID] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tenant_ids_type_0 = []
                _tenant_ids_type_0 = data
                for tenant_ids_type_0_item_data in _tenant_ids_type_0:
                    tenant_ids_type_0_item = UUID(tenant_ids_type_0_item_data)

                    tenant_ids_type_0.append(tenant_ids_type_0_item)

                return tenant_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None | Unset, data)

        tenant_ids = _parse_tenant_ids(d.pop("tenant_ids", UNSET))

        def _parse_tier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tier = _parse_tier(d.pop("tier", UNSET))

        rollout_selector = cls(
            cloud=cloud,
            labels=labels,
            model=model,
            region=region,
            tenant_ids=tenant_ids,
            tier=tier,
        )

        return rollout_selector
