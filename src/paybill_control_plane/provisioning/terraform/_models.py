"""Result types of the Terraform runner and the parsing of Terraform's machine-readable UI.

Terraform's ``-json`` commands write one JSON object per line (the "machine-readable UI", version
1.x): ``@message`` is the human-readable form, ``type`` says what the rest of the object holds
(``diagnostic``, ``planned_change``, ``change_summary``...).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ChangeCounts",
    "CommandResult",
    "Diagnostic",
    "PlanSummary",
    "PlannedChange",
    "TerraformError",
]

_BOX_CHARS = "╷╵│"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """An error or warning reported by Terraform."""

    severity: str  # "error" | "warning"
    summary: str
    detail: str = ""
    address: str | None = None  # resource address, when the diagnostic is about one
    filename: str | None = None
    line: int | None = None
    values: tuple[str, ...] = ()  # e.g. 'var.tenant_slug is "Acme"' (sensitive values are masked)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Diagnostic:
        rng = obj.get("range") or {}
        snippet = obj.get("snippet") or {}
        values = tuple(
            f"{v.get('traversal', '')} {v.get('statement', '')}".strip()
            for v in snippet.get("values") or ()
            if isinstance(v, dict)
        )
        line = (rng.get("start") or {}).get("line")
        return cls(
            severity=str(obj.get("severity", "error")),
            summary=str(obj.get("summary", "")).strip(),
            detail=str(obj.get("detail", "")).strip(),
            address=obj.get("address"),
            filename=rng.get("filename"),
            line=line if isinstance(line, int) else None,
            values=values,
        )

    def format(self) -> str:
        """``summary: detail (var.x is "y") [file:line]`` on one logical message."""
        text = self.summary
        if self.detail:
            text = f"{text}: {self.detail}"
        if self.values:
            text = f"{text} ({'; '.join(self.values)})"
        if self.address:
            text = f"{text} [{self.address}]"
        elif self.filename:
            text = (
                f"{text} [{self.filename}:{self.line}]"
                if self.line
                else f"{text} [{self.filename}]"
            )
        return text

    def log_lines(self) -> list[str]:
        """The diagnostic as human-readable log lines (the JSON ``@message`` omits the detail)."""
        head = f"{self.severity.capitalize()}: {self.summary}"
        if self.address:
            head = f"{head} ({self.address})"
        lines = [head]
        lines += [f"  {ln}" for ln in self.detail.splitlines() if ln.strip()]
        lines += [f"  {v}" for v in self.values]
        return lines


@dataclass(frozen=True, slots=True)
class ChangeCounts:
    """Terraform's ``change_summary``: resource instances to add, change and remove."""

    add: int
    change: int
    remove: int
    imported: int = 0
    operation: str = "plan"  # "plan" | "apply" | "destroy"

    @property
    def total(self) -> int:
        return self.add + self.change + self.remove + self.imported


@dataclass(frozen=True, slots=True)
class PlannedChange:
    """One ``planned_change`` of a plan: a resource instance address and Terraform's action."""

    address: str
    action: str  # "create" | "update" | "delete" | "replace" | "read" | "move" | "import" | ...


@dataclass(frozen=True, slots=True)
class CommandResult:
    """The outcome of one Terraform command. Contains no secret (argv and log are redacted)."""

    command: str  # "init", "plan", "apply", "output", "workspace select"...
    argv: tuple[str, ...]
    exit_code: int
    duration_seconds: float
    log_excerpt: tuple[str, ...] = ()  # the last human-readable lines
    diagnostics: tuple[Diagnostic, ...] = ()
    changes: ChangeCounts | None = None
    planned_changes: tuple[PlannedChange, ...] = ()
    outputs: dict[str, Any] = field(default_factory=dict)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "warning")


@dataclass(frozen=True, slots=True)
class PlanSummary:
    """A saved plan: counts from ``change_summary`` and ``has_changes`` from ``-detailed-exitcode``.

    ``has_changes`` is also true for a plan that changes only outputs (all counts zero).
    """

    add: int
    change: int
    remove: int
    has_changes: bool
    plan_file: Path
    destroy: bool
    result: CommandResult
    changes: tuple[PlannedChange, ...] = field(default=())

    def actions_for(self, address: str) -> tuple[str, ...]:
        """The planned actions of a resource address (``()`` when it is unchanged)."""
        return tuple(c.action for c in self.changes if c.address == address)


class TerraformError(Exception):
    """A Terraform command failed. ``message`` holds the diagnostics' summaries and details."""

    def __init__(
        self,
        command: str,
        exit_code: int,
        message: str,
        result: CommandResult | None = None,
    ) -> None:
        super().__init__(f"terraform {command} failed (exit code {exit_code}): {message}")
        self.command = command
        self.exit_code = exit_code
        self.message = message
        self.result = result

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.result.diagnostics if self.result else ()


@dataclass(slots=True)
class ParsedLine:
    """One line of Terraform output, reduced to what the runner needs."""

    human: list[str]
    diagnostic: Diagnostic | None = None
    changes: ChangeCounts | None = None
    planned_change: PlannedChange | None = None
    outputs: dict[str, Any] | None = None


def parse_line(line: str, *, json_stream: bool) -> ParsedLine:
    """Parse one output line; non-JSON lines (stderr, commands without ``-json``) stay as is."""
    stripped = line.rstrip("\r\n")
    if not json_stream or not stripped.startswith("{"):
        return ParsedLine(human=[stripped] if stripped.strip() else [])
    try:
        obj = json.loads(stripped)
    except ValueError:
        return ParsedLine(human=[stripped])
    if not isinstance(obj, dict):
        return ParsedLine(human=[stripped])
    kind = obj.get("type")
    message = str(obj.get("@message", ""))
    parsed = ParsedLine(human=[ln for ln in message.splitlines() if ln.strip()])
    if kind == "diagnostic" and isinstance(obj.get("diagnostic"), dict):
        parsed.diagnostic = Diagnostic.from_json(obj["diagnostic"])
        parsed.human = parsed.diagnostic.log_lines()
    elif kind == "change_summary" and isinstance(obj.get("changes"), dict):
        c = obj["changes"]
        parsed.changes = ChangeCounts(
            add=int(c.get("add", 0)),
            change=int(c.get("change", 0)),
            remove=int(c.get("remove", 0)),
            imported=int(c.get("import", 0)),
            operation=str(c.get("operation", "plan")),
        )
    elif kind == "outputs" and isinstance(obj.get("outputs"), dict):
        # After an apply, the stream carries the output values; sensitive ones have none.
        parsed.outputs = {
            name: item["value"]
            for name, item in obj["outputs"].items()
            if isinstance(item, dict) and not item.get("sensitive", False) and "value" in item
        }
    elif kind == "planned_change" and isinstance(obj.get("change"), dict):
        change = obj["change"]
        resource = change.get("resource") or {}
        parsed.planned_change = PlannedChange(
            address=str(resource.get("addr", "")), action=str(change.get("action", ""))
        )
    return parsed


def error_message_from_text(lines: list[str], *, max_chars: int = 2000) -> str:
    """Extract the ``Error:`` blocks of plain-text Terraform output (with or without box drawing).

    Without any ``Error:`` block (e.g. "failed to lock state..."), the last non-empty lines.
    """
    cleaned = [ln.strip().strip(_BOX_CHARS).strip() for ln in lines]
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for ln in cleaned:
        if ln.startswith("Error:"):
            current = [ln.removeprefix("Error:").strip()]
            blocks.append(current)
        elif ln.startswith("Warning:"):
            current = None
        elif current is not None and ln:
            current.append(ln)
    if blocks:
        text = "\n".join(" ".join(block) for block in blocks)
    else:
        text = " / ".join([ln for ln in cleaned if ln][-10:]) or "no output"
    return text if len(text) <= max_chars else text[: max_chars - 3] + "..."
