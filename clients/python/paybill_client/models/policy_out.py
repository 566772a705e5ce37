from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.policy_enforcement import PolicyEnforcement, check_policy_enforcement

if TYPE_CHECKING:
    from ..models.policy_applies_to import PolicyAppliesTo


T = TypeVar("T", bound="PolicyOut")


@_attrs_define
class PolicyOut:
    """
    Attributes:
        applies_to (PolicyAppliesTo): Filters that pick the runs a policy is evaluated on; a missing filter matches any
            run.
        created_at (datetime.datetime):
        description (str):
        enforcement (PolicyEnforcement): What a matching policy does to a run: record it, hold it for approval, or fail
            it.
        expression (str):
        message (str):
        name (str):
        updated_at (datetime.datetime):
        version (int):
    """

    applies_to: PolicyAppliesTo
    created_at: datetime.datetime
    description: str
    enforcement: PolicyEnforcement
    expression: str
    message: str
    name: str
    updated_at: datetime.datetime
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        applies_to = self.applies_to.to_dict()

        created_at = self.created_at.isoformat()

        description = self.description

        enforcement: str = self.enforcement

        expression = self.expression

        message = self.message

        name = self.name

        updated_at = self.updated_at.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "applies_to": applies_to,
                "created_at": created_at,
                "description": description,
                "enforcement": enforcement,
                "expression": expression,
                "message": message,
                "name": name,
                "updated_at": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.policy_applies_to import PolicyAppliesTo  # noqa: PLC0415

        d = dict(src_dict)
        applies_to = PolicyAppliesTo.from_dict(d.pop("applies_to"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        description = d.pop("description")

        enforcement = check_policy_enforcement(d.pop("enforcement"))

        expression = d.pop("expression")

        message = d.pop("message")

        name = d.pop("name")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        policy_out = cls(
            applies_to=applies_to,
            created_at=created_at,
            description=description,
            enforcement=enforcement,
            expression=expression,
            message=message,
            name=name,
            updated_at=updated_at,
            version=version,
        )

        policy_out.additional_properties = d
        return policy_out

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
