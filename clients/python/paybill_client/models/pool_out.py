from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PoolOut")


@_attrs_define
class PoolOut:
    """
    Attributes:
        capacity (int):
        cloud (str):
        created_at (datetime.datetime):
        id (UUID):
        members (int):
        ordinal (int):
        region (str):
        stack_id (None | UUID):
        tier_group (str):
    """

    capacity: int
    cloud: str
    created_at: datetime.datetime
    id: UUID
    members: int
    ordinal: int
    region: str
    stack_id: None | UUID
    tier_group: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        capacity = self.capacity

        cloud = self.cloud

        created_at = self.created_at.isoformat()

        id = str(self.id)

        members = self.members

        ordinal = self.ordinal

        region = self.region

        stack_id: None | str
        if isinstance(self.stack_id, UUID):
            stack_id = str(self.stack_id)
        else:
            stack_id = self.stack_id

        tier_group = self.tier_group

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "capacity": capacity,
                "cloud": cloud,
                "created_at": created_at,
                "id": id,
                "members": members,
                "ordinal": ordinal,
                "region": region,
                "stack_id": stack_id,
                "tier_group": tier_group,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        capacity = d.pop("capacity")

        cloud = d.pop("cloud")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        members = d.pop("members")

        ordinal = d.pop("ordinal")

        region = d.pop("region")

        def _parse_stack_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                stack_id_type_0 = UUID(data)

                return stack_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        stack_id = _parse_stack_id(d.pop("stack_id"))

        tier_group = d.pop("tier_group")

        pool_out = cls(
            capacity=capacity,
            cloud=cloud,
            created_at=created_at,
            id=id,
            members=members,
            ordinal=ordinal,
            region=region,
            stack_id=stack_id,
            tier_group=tier_group,
        )

        pool_out.additional_properties = d
        return pool_out

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
