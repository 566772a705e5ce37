"""Terraform for the provisioning worker: the ``paybill-terraform`` shim and an asyncio runner."""

from ._models import (
    ChangeCounts,
    CommandResult,
    Diagnostic,
    PlannedChange,
    PlanSummary,
    TerraformError,
)
from ._process import OutputCallback, build_env, resolve_terraform_binary
from .runner import TerraformRunner

__all__ = [
    "ChangeCounts",
    "CommandResult",
    "Diagnostic",
    "OutputCallback",
    "PlanSummary",
    "PlannedChange",
    "TerraformError",
    "TerraformRunner",
    "build_env",
    "resolve_terraform_binary",
]
