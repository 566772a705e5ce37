"""The static checks: a parsed module against the contract, and stack inputs against a module."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from paybill_control_plane.provisioning.contract.layout import CLOUDS, MODULE_FILES, check_model
from paybill_control_plane.provisioning.contract.spec import ModuleSpec
from paybill_control_plane.provisioning.contract.terms import contract_inputs, contract_outputs
from paybill_control_plane.provisioning.contract.tf_values import check_value

#: Provider arguments that carry credentials; the contract keeps them out of modules.
CREDENTIAL_ARGUMENTS: Final[frozenset[str]] = frozenset(
    {
        "access_key",
        "secret_key",
        "token",
        "shared_credentials_files",
        "profile",
        "client_id",
        "client_secret",
        "client_certificate",
        "client_certificate_password",
        "client_certificate_path",
        "oidc_token",
        "credentials",
        "access_token",
        "private_key",
        "private_key_path",
        "private_key_password",
        "fingerprint",
        "user_ocid",
        "ibmcloud_api_key",
        "iaas_classic_api_key",
        "iaas_classic_username",
        "iam_token",
        "iam_refresh_token",
        "password",
        "api_key",
    }
)

_BUILTIN_PROVIDER_PREFIX: Final = "terraform.io/builtin/"


def check_contract(spec: ModuleSpec, model: str, *, cloud: str | None = None) -> list[str]:
    """Problems of a parsed module against the contract for ``model`` (empty when it complies).

    ``cloud`` adds the cloud-specific inputs (``simulate_apply_seconds`` for ``local``); by
    default it is taken from the module path (``.../<cloud>/<model>``) when that names a cloud.
    """
    check_model(model)
    if cloud is None and spec.path.parent.name in CLOUDS:
        cloud = spec.path.parent.name
    problems: list[str] = [f"configuration error: {d}" for d in spec.errors]

    for filename in MODULE_FILES:
        if filename not in spec.files:
            problems.append(f"missing file {filename}")
    if spec.has_backend:
        problems.append("module declares a backend; the control plane adds backend.tf.json")
    for provider, args in sorted(spec.provider_blocks.items()):
        leaked = sorted(args & CREDENTIAL_ARGUMENTS)
        if leaked:
            problems.append(
                f"provider {provider} sets credential arguments {', '.join(leaked)};"
                " credentials come from environment variables only"
            )

    wanted = contract_inputs(model, cloud)
    for name, contract in wanted.items():
        variable = spec.variables.get(name)
        if variable is None:
            problems.append(f"missing input {name} ({contract.type})")
            continue
        expected = contract.constraint
        if variable.constraint != expected:
            problems.append(f"input {name} has type {variable.type}, the contract wants {expected}")
        if contract.required and variable.has_default:
            problems.append(f"input {name} must be required (no default)")
        if not contract.required and not variable.has_default:
            problems.append(f"input {name} must have a default")
        if contract.validated and variable.validations == 0:
            problems.append(f"input {name} has no validation block")
    for name, variable in sorted(spec.variables.items()):
        if name not in wanted and not variable.has_default:
            problems.append(
                f"input {name} is not in the contract for {model} and has no default;"
                " the control plane never sets it"
            )

    for name, contract_output in contract_outputs(model).items():
        output = spec.outputs.get(name)
        if output is None:
            problems.append(f"missing output {name} ({contract_output.type})")
        elif output.sensitive:
            problems.append(f"output {name} must not be sensitive (the control plane stores it)")

    for name, requirement in sorted(spec.required_providers.items()):
        if requirement.version is None:
            problems.append(f"provider {name} ({requirement.source}) has no version constraint")
        elif not requirement.pinned:
            problems.append(
                f"provider {name} ({requirement.source}) version {requirement.version!r}"
                " has no upper bound"
            )
    declared_sources = {
        (f"registry.terraform.io/{p.source}" if p.source.count("/") == 1 else p.source).lower()
        for p in spec.required_providers.values()
    }
    used = {r.provider.lower() for r in (*spec.resources.values(), *spec.data_sources.values())}
    for provider_address in sorted(used):
        if provider_address.startswith(_BUILTIN_PROVIDER_PREFIX) or not provider_address:
            continue
        if provider_address not in declared_sources:
            problems.append(
                f"provider {provider_address} is used but not declared in required_providers"
            )
    return problems


def check_inputs(spec: ModuleSpec, inputs: Mapping[str, Any], *, strict: bool = True) -> list[str]:
    """Problems of the inputs a stack would be rendered with against the module's variables.

    Reports unknown names, required variables left out, and each value checked against the
    variable's type constraint (see :func:`check_value`; ``strict=False`` allows Terraform's
    implicit conversions). Inputs must be JSON-serialisable, as they are written to
    ``paybill.auto.tfvars.json``.
    """
    problems: list[str] = []
    for name in sorted(set(inputs) - set(spec.variables)):
        problems.append(f"unknown input {name!r}: the module declares no such variable")
    for name in sorted(spec.required_variables - set(inputs)):
        problems.append(f"missing required input {name!r} ({spec.variables[name].type})")
    for name, value in sorted(inputs.items()):
        variable = spec.variables.get(name)
        if variable is None:
            continue
        if value is None and not variable.nullable:
            problems.append(f"{name}: null is not allowed (nullable = false)")
            continue
        problems.extend(check_value(variable.constraint, value, path=name, strict=strict))
    try:
        json.dumps(dict(inputs), allow_nan=False)
    except (TypeError, ValueError) as exc:
        problems.append(f"inputs are not JSON-serialisable: {exc}")
    return problems
