from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.planned_stack_out import PlannedStackOut


T = TypeVar("T", bound="TenantPlanOut")


@_attrs_define
class TenantPlanOut:
    """
    Attributes:
        cloud (str):
        cloud_target_id (None | UUID): The target used (the bound one, else the cloud's only one).
        cloud_target_name (None | str):
        desired_state (str):
        isolation_model (str):
        notes (list[str]): What keeps this plan from running, and defaults used.
        region (str):
        stacks (list[PlannedStackOut]):
        state_backend (str): Where Terraform state would live: pg, s3, ...
        tenant_id (UUID):
        tier (str):
    """

    cloud: str
    cloud_target_id: None | UUID
    cloud_target_name: None | str
    desired_state: str
    isolation_model: str
    notes: list[str]
    region: str
    stacks: list[PlannedStackOut]
    state_backend: str
    tenant_id: UUID
    tier: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cloud = self.cloud

        cloud_target_id: None | str
        if isinstance(self.cloud_target_id, UUID):
            cloud_target_id = str(self.cloud_target_id)
        else:
            cloud_target_id = self.cloud_target_id

        cloud_target_name: None | str
        cloud_target_name = self.cloud_target_name

        desired_state = self.desired_state

        isolation_model = self.isolation_model

        notes = self.notes

        region = self.region

        stacks = []
        for stacks_item_data in self.stacks:
            stacks_item = stacks_item_data.to_dict()
            stacks.append(stacks_item)

        state_backend = self.state_backend

        tenant_id = str(self.tenant_id)

        tier = self.tier

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cloud": cloud,
                "cloud_target_id": cloud_target_id,
                "cloud_target_name": cloud_target_name,
                "desired_state": desired_state,
                "isolation_model": isolation_model,
                "notes": notes,
                "region": region,
                "stacks": stacks,
                "state_backend": state_backend,
                "tenant_id": tenant_id,
                "tier": tier,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.planned_stack_out import PlannedStackOut  # noqa: PLC0415

        d = dict(src_dict)
        cloud = d.pop("cloud")

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

        def _parse_cloud_target_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cloud_target_name = _parse_cloud_target_name(d.pop("cloud_target_name"))

        desired_state = d.pop("desired_state")

        isolation_model = d.pop("isolation_model")

        notes = cast(list[str], d.pop("notes"))

        region = d.pop("region")

        stacks = []
        _stacks = d.pop("stacks")
        for stacks_item_data in _stacks:
            stacks_item = PlannedStackOut.from_dict(stacks_item_data)

            stacks.append(stacks_item)

        state_backend = d.pop("state_backend")

        tenant_id = UUID(d.pop("tenant_id"))

        tier = d.pop("tier")

        tenant_plan_out = cls(
            cloud=cloud,
            cloud_target_id=cloud_target_id,
            cloud_target_name=cloud_target_name,
            desired_state=desired_state,
            isolation_model=isolation_model,
            notes=notes,
            region=region,
            stacks=stacks,
            state_backend=state_backend,
            tenant_id=tenant_id,
            tier=tier,
        )

        tenant_plan_out.additional_properties = d
        return tenant_plan_out

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
