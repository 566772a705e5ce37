"""Policy schemas: catalog policies are CEL expressions, parsed when they enter the catalog."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, field_validator

from paybill_control_plane.kit.cel import CelError, compile_expression
from paybill_control_plane.kit.schemas import InputModel, Key, OutputModel
from paybill_control_plane.models.enums import Cloud, PolicyEnforcement

EXPRESSION_MAX = 4000


class PolicyAppliesTo(InputModel):
    """Filters that pick the runs a policy is evaluated on; a missing filter matches any run."""

    operations: list[Literal["apply", "destroy"]] | None = Field(
        default=None, description="Terraform operations: apply (create/update) or destroy."
    )
    kinds: list[str] | None = Field(
        default=None,
        description="Run kinds (provision, deprovision, suspend, resume, change-tier, …).",
    )
    tiers: list[Key] | None = Field(default=None, description="Tier keys of the run's tenants.")
    clouds: list[Cloud] | None = None


class PolicyFields(InputModel):
    description: str = Field(default="", max_length=2000)
    enforcement: PolicyEnforcement = Field(
        description="advisory: recorded; approval: the run waits for approval; deny: it fails."
    )
    expression: str = Field(
        min_length=1,
        max_length=EXPRESSION_MAX,
        description="A CEL expression, true when the policy applies to the run "
        "(variables: plan, changes, counts, run, tenant, tier, snapshot).",
    )
    message: str = Field(min_length=1, max_length=2000, description="Shown when it matches.")
    applies_to: PolicyAppliesTo = Field(default_factory=PolicyAppliesTo)

    @field_validator("expression")
    @classmethod
    def _parses(cls, value: str) -> str:
        try:
            compile_expression(value)
        except CelError as exc:
            raise ValueError(f"invalid CEL expression: {exc}") from None
        return value


class PolicyCreate(PolicyFields):
    name: Key

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "name": "many-destroys-need-approval",
                    "enforcement": "approval",
                    "expression": "counts.destroy > 10",
                    "message": "This run would destroy more than 10 resources.",
                }
            ]
        }
    }


class PolicyOut(OutputModel):
    name: str
    description: str
    enforcement: PolicyEnforcement
    expression: str
    message: str
    applies_to: PolicyAppliesTo
    version: int
    created_at: datetime
    updated_at: datetime


def policy_row_fields(data: PolicyFields) -> dict[str, Any]:
    """The columns a policy's fields set."""
    dumped = data.model_dump(mode="json", include=set(PolicyFields.model_fields))
    dumped["applies_to"] = data.applies_to.model_dump(mode="json", exclude_none=True)
    return dumped
