from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.isolation_model import IsolationModel, check_isolation_model
from ..types import UNSET, Unset

T = TypeVar("T", bound="MigrationSide")


@_attrs_define
class MigrationSide:
    """
    Attributes:
        isolation_model (IsolationModel):
        tier (str):
        pool_id (None | Unset | UUID):
    """

    isolation_model: IsolationModel
    tier: str
    pool_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        isolation_model: str = self.isolation_model

        tier = self.tier

        pool_id: None | str | Unset
        if isinstance(self.pool_id, Unset):
            pool_id = UNSET
        elif isinstance(self.pool_id, UUID):
            pool_id = str(self.pool_id)
        else:
            pool_id = self.pool_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "isolation_model": isolation_model,
                "tier": tier,
            }
        )
        if pool_id is not UNSET:
            field_dict["pool_id"] = pool_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        isolation_model = check_isolation_model(d.pop("isolation_model"))

        tier = d.pop("tier")

        def _parse_pool_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pool_id_type_0 = UUID(data)

                return pool_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        pool_id = _parse_pool_id(d.pop("pool_id", UNSET))

        migration_side = cls(
            isolation_model=isolation_model,
            tier=tier,
            pool_id=pool_id,
        )

        migration_side.additional_properties = d
        return migration_side

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
