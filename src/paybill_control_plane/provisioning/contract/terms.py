"""The contract itself, as data: the inputs each isolation model's module takes and the outputs it
gives (the text of the contract is ``terraform-modules/README.md``; the two must agree, which
``tests/terraform_modules`` checks against every module)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from paybill_control_plane.provisioning.contract.layout import MODELS, check_model
from paybill_control_plane.provisioning.contract.tf_types import TfType, parse_type

#: Validation patterns the contract asks modules to apply (copied verbatim into the modules).
UUID_PATTERN: Final = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
SLUG_PATTERN: Final = r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$"
DB_CLASSES: Final[tuple[str, ...]] = ("small", "medium", "large", "xlarge")


SIZING_TYPE: Final = (
    "object({compute_units=number, memory_gb=number, storage_gb=number, db_class=string,"
    " replicas=number, backup_retention_days=number})"
)
TENANTS_TYPE: Final = (
    "list(object({tenant_id=string, tenant_slug=string, tier=string, suspended=bool}))"
)

_ALL_MODELS: Final = frozenset(MODELS)


@dataclass(frozen=True)
class ContractInput:
    """One input variable of the contract.

    ``required``: the module must declare it without a default (the control plane always sets
    it); otherwise the module must give it a default. ``validated``: the contract asks for at
    least one validation block. ``clouds``: None for every cloud.
    """

    name: str
    type: str
    models: frozenset[str]
    required: bool = True
    validated: bool = False
    clouds: frozenset[str] | None = None

    @property
    def constraint(self) -> TfType:
        return parse_type(self.type)

    def applies(self, model: str, cloud: str | None) -> bool:
        if model not in self.models:
            return False
        return self.clouds is None or (cloud is not None and cloud in self.clouds)


@dataclass(frozen=True)
class ContractOutput:
    """One output of the contract; contract outputs are never sensitive."""

    name: str
    type: str
    models: frozenset[str]


CONTRACT_INPUTS: Final[tuple[ContractInput, ...]] = (
    ContractInput("tenant_id", "string", frozenset({"silo", "bridge"}), validated=True),
    ContractInput("tenant_slug", "string", frozenset({"silo", "bridge"}), validated=True),
    ContractInput("pool_id", "string", frozenset({"pooled", "bridge"})),
    ContractInput("pool_network_id", "string", frozenset({"bridge"})),
    ContractInput("tier", "string", _ALL_MODELS),
    ContractInput("region", "string", _ALL_MODELS),
    ContractInput("labels", "map(string)", _ALL_MODELS),
    ContractInput("sizing", SIZING_TYPE, _ALL_MODELS, validated=True),
    ContractInput("suspended", "bool", frozenset({"silo", "bridge"}), required=False),
    ContractInput("tenants", TENANTS_TYPE, frozenset({"pooled"})),
    ContractInput("target", "map(string)", _ALL_MODELS, required=False),
    ContractInput(
        "simulate_apply_seconds",
        "number",
        _ALL_MODELS,
        required=False,
        clouds=frozenset({"local"}),
    ),
)

CONTRACT_OUTPUTS: Final[tuple[ContractOutput, ...]] = (
    ContractOutput("endpoint", "string", _ALL_MODELS),
    ContractOutput("network_id", "string", _ALL_MODELS),
    ContractOutput("database_host", "string", _ALL_MODELS),
    ContractOutput("database_name", "string", frozenset({"silo", "bridge"})),
    ContractOutput("boundary_id", "string", frozenset({"silo"})),
    ContractOutput("tenant_endpoints", "map(string)", frozenset({"pooled"})),
    ContractOutput("tenant_count", "number", frozenset({"pooled"})),
)


def contract_inputs(model: str, cloud: str | None = None) -> dict[str, ContractInput]:
    """The contract's inputs for ``model`` (with the local-only ones when ``cloud='local'``)."""
    check_model(model)
    return {i.name: i for i in CONTRACT_INPUTS if i.applies(model, cloud)}


def contract_outputs(model: str) -> dict[str, ContractOutput]:
    """The contract's outputs for ``model``."""
    check_model(model)
    return {o.name: o for o in CONTRACT_OUTPUTS if model in o.models}


#: model -> input name -> Terraform type expression (every cloud; local adds
#: ``simulate_apply_seconds``).
INPUTS_BY_MODEL: Final[Mapping[str, Mapping[str, str]]] = {
    model: {name: i.type for name, i in contract_inputs(model).items()} for model in MODELS
}
#: model -> output name -> Terraform type expression.
OUTPUTS_BY_MODEL: Final[Mapping[str, Mapping[str, str]]] = {
    model: {name: o.type for name, o in contract_outputs(model).items()} for model in MODELS
}
