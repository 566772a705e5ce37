from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.isolation_model import IsolationModel, check_isolation_model
from ..types import UNSET, Unset

T = TypeVar("T", bound="MigrationCreate")


@_attrs_define
class MigrationCreate:
    """Where to move the tenant: a tier (its isolation model follows) and/or a model the tier
    allows. At least one; the resulting model must differ from the tenant's.

        Attributes:
            isolation_model (IsolationModel | None | Unset): Target isolation model (default: the tier's).
            tier (None | str | Unset): Target tier key.
    """

    isolation_model: IsolationModel | None | Unset = UNSET
    tier: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        isolation_model: None | str | Unset
        if isinstance(self.isolation_model, Unset):
            isolation_model = UNSET
        elif isinstance(self.isolation_model, str):
            isolation_model = self.isolation_model
        else:
            isolation_model = self.isolation_model

        tier: None | str | Unset
        if isinstance(self.tier, Unset):
            tier = UNSET
        else:
            tier = self.tier

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if isolation_model is not UNSET:
            field_dict["isolation_model"] = isolation_model
        if tier is not UNSET:
            field_dict["tier"] = tier

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

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

        def _parse_tier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tier = _parse_tier(d.pop("tier", UNSET))

        migration_create = cls(
            isolation_model=isolation_model,
            tier=tier,
        )

        return migration_create
