from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.policy_enforcement import PolicyEnforcement, check_policy_enforcement
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.policy_applies_to import PolicyAppliesTo


T = TypeVar("T", bound="PolicyFields")


@_attrs_define
class PolicyFields:
    """
    Attributes:
        enforcement (PolicyEnforcement): What a matching policy does to a run: record it, hold it for approval, or fail
            it.
        expression (str): A CEL expression, true when the policy applies to the run (variables: plan, changes, counts,
            run, tenant, tier, snapshot).
        message (str): Shown when it matches.
        applies_to (PolicyAppliesTo | Unset): Filters that pick the runs a policy is evaluated on; a missing filter
            matches any run.
        description (str | Unset):  Default: ''.
    """

    enforcement: PolicyEnforcement
    expression: str
    message: str
    applies_to: PolicyAppliesTo | Unset = UNSET
    description: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        enforcement: str = self.enforcement

        expression = self.expression

        message = self.message

        applies_to: dict[str, Any] | Unset = UNSET
        if not isinstance(self.applies_to, Unset):
            applies_to = self.applies_to.to_dict()

        description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "enforcement": enforcement,
                "expression": expression,
                "message": message,
            }
        )
        if applies_to is not UNSET:
            field_dict["applies_to"] = applies_to
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.policy_applies_to import PolicyAppliesTo  # noqa: PLC0415

        d = dict(src_dict)
        enforcement = check_policy_enforcement(d.pop("enforcement"))

        expression = d.pop("expression")

        message = d.pop("message")

        _applies_to = d.pop("applies_to", UNSET)
        applies_to: PolicyAppliesTo | Unset
        if isinstance(_applies_to, Unset):
            applies_to = UNSET
        else:
            applies_to = PolicyAppliesTo.from_dict(_applies_to)

        description = d.pop("description", UNSET)

        policy_fields = cls(
            enforcement=enforcement,
            expression=expression,
            message=message,
            applies_to=applies_to,
            description=description,
        )

        return policy_fields
