"""Clouds in provisioning, in three parts:

* ``inputs``: which target a stack uses and the `target` input its module gets (also used by
  the plan preview, ``provisioning/preview.py``);
* ``environment``: what a run needs of its cloud (``CloudRun``), read in the claim transaction,
  the boundary, Terraform's environment and the state backend;
* ``secrets``: the credential values scrubbed from every message.

The executor and the preview use the names re-exported here.
"""

from __future__ import annotations

from paybill_control_plane.provisioning.cloud_runtime.environment import (
    PERMANENT_ERRORS,
    CloudRun,
    CloudTargetUnusable,
    backend,
    boundary_json,
    boundary_of,
    is_permanent,
    prepare,
    record_binding,
    terraform_env,
    with_boundary,
)
from paybill_control_plane.provisioning.cloud_runtime.inputs import (
    ACCOUNT_INPUT,
    MODEL_OF_KIND,
    boundary_inputs,
    boundary_keys,
    effective_target,
    module_reads,
    module_target_keys,
    no_target_message,
    stack_target_inputs,
    target_inputs,
)
from paybill_control_plane.provisioning.cloud_runtime.secrets import scrub, secret_values
from paybill_control_plane.provisioning.repository import stack_owner

__all__ = [
    "ACCOUNT_INPUT",
    "MODEL_OF_KIND",
    "PERMANENT_ERRORS",
    "CloudRun",
    "CloudTargetUnusable",
    "backend",
    "boundary_inputs",
    "boundary_json",
    "boundary_keys",
    "boundary_of",
    "effective_target",
    "is_permanent",
    "module_reads",
    "module_target_keys",
    "no_target_message",
    "prepare",
    "record_binding",
    "scrub",
    "secret_values",
    "stack_owner",
    "stack_target_inputs",
    "target_inputs",
    "terraform_env",
    "with_boundary",
]
