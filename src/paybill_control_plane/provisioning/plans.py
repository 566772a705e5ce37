"""Saved plans: every run plans to a file, shows it as JSON, and applies exactly that file.

The binary plan file is kept in the database (`run_plans.plan_file`) with its SHA-256: the
stack's working directory is rewritten by every attempt, and a plan that waits for a person's
approval must survive a worker crash and be applied byte for byte by whichever worker resumes
the run. Before an apply the file is written back and its hash checked against the one the
policies saw and the approvers approved.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paybill_control_plane.errors import ControlPlaneError
from paybill_control_plane.provisioning.terraform import CommandResult, TerraformRunner

PLAN_FILE = "paybill.tfplan"

# Kept from `terraform show -json`: what policies and readers need, with sensitive values
# masked. `prior_state` and `planned_values` repeat the values in clear text and are dropped.
_KEPT = ("format_version", "terraform_version", "applyable", "complete", "errored", "timestamp")
_MASK = "(sensitive)"


class PlanHashMismatch(ControlPlaneError):
    """The plan file about to be applied is not the one that was saved (and approved)."""

    status = 409
    type_slug = "plan-hash-mismatch"
    title = "The plan file does not match its saved hash"


@dataclass
class SavedPlan:
    file: bytes
    sha256: str
    json: dict[str, Any]  # masked
    summary: dict[str, Any]
    has_changes: bool
    outputs: dict[str, Any]  # the planned non-sensitive outputs (used when nothing changes)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _mask(value: Any, sensitive: Any) -> Any:
    """`value` with every part that Terraform's matching `*_sensitive` structure marks masked."""
    if sensitive is True:
        return _MASK
    if isinstance(value, dict) and isinstance(sensitive, dict):
        return {k: _mask(v, sensitive.get(k)) for k, v in value.items()}
    if isinstance(value, list) and isinstance(sensitive, list):
        return [_mask(v, sensitive[i] if i < len(sensitive) else None) for i, v in enumerate(value)]
    return value


def _masked_change(change: dict[str, Any]) -> dict[str, Any]:
    out = dict(change)
    out["before"] = _mask(change.get("before"), change.get("before_sensitive"))
    out["after"] = _mask(change.get("after"), change.get("after_sensitive"))
    return out


def masked_plan(raw: dict[str, Any]) -> dict[str, Any]:
    """The plan JSON to store and show: resource and output changes, sensitive values masked."""
    out: dict[str, Any] = {k: raw[k] for k in _KEPT if k in raw}
    out["resource_changes"] = [
        {**rc, "change": _masked_change(rc.get("change") or {})}
        for rc in raw.get("resource_changes") or []
    ]
    out["output_changes"] = {
        name: _masked_change(change) for name, change in (raw.get("output_changes") or {}).items()
    }
    declared = ((raw.get("configuration") or {}).get("root_module") or {}).get("variables") or {}
    out["variables"] = {
        name: {"value": _MASK} if (declared.get(name) or {}).get("sensitive") else item
        for name, item in (raw.get("variables") or {}).items()
    }
    return out


def action_of(actions: list[str]) -> str:
    """One word for Terraform's action list: create, update, replace, delete, read or no-op."""
    if sorted(actions) == ["create", "delete"]:
        return "replace"
    return actions[0] if len(actions) == 1 else "+".join(actions)


def changes_of(plan_json: dict[str, Any]) -> list[dict[str, Any]]:
    """Managed resource changes, flattened for policies: address, type, name, action…"""
    out = []
    for rc in plan_json.get("resource_changes") or []:
        if rc.get("mode", "managed") != "managed":
            continue
        actions = list((rc.get("change") or {}).get("actions") or ["no-op"])
        out.append(
            {
                "address": rc.get("address", ""),
                "type": rc.get("type", ""),
                "name": rc.get("name", ""),
                "module_address": rc.get("module_address", ""),
                "actions": actions,
                "action": action_of(actions),
            }
        )
    return out


def summarize(plan_json: dict[str, Any]) -> dict[str, Any]:
    """Counts and addresses of resources to add, change, replace and destroy."""
    groups: dict[str, list[str]] = {"add": [], "change": [], "replace": [], "destroy": []}
    key = {"create": "add", "update": "change", "replace": "replace", "delete": "destroy"}
    for change in changes_of(plan_json):
        group = key.get(change["action"])
        if group is not None:
            groups[group].append(change["address"])
    return {**{name: len(addrs) for name, addrs in groups.items()}, "addresses": groups}


def _planned_outputs(raw: dict[str, Any]) -> dict[str, Any]:
    outputs = (raw.get("planned_values") or {}).get("outputs") or {}
    return {
        name: item.get("value")
        for name, item in outputs.items()
        if isinstance(item, dict) and not item.get("sensitive", False) and "value" in item
    }


@dataclass
class PlanFile:
    """`terraform plan -out`: the file's bytes and hash, before it is shown."""

    file: bytes
    sha256: str
    has_changes: bool


async def plan_to_file(
    runner: TerraformRunner, workdir: Path, *, destroy: bool, creates_workspace: bool
) -> PlanFile:
    """`terraform plan -out=paybill.tfplan`: the saved plan file and its SHA-256."""
    planned = await runner.plan(
        workdir, destroy=destroy, plan_file=PLAN_FILE, creates_workspace=creates_workspace
    )
    data = (workdir / PLAN_FILE).read_bytes()
    return PlanFile(data, sha256_of(data), planned.has_changes)


async def show(runner: TerraformRunner, workdir: Path, planned: PlanFile) -> SavedPlan:
    """`terraform show -json` of the saved plan: masked JSON, summary and planned outputs."""
    raw = await runner.show_json(workdir, PLAN_FILE)
    shown = masked_plan(raw)
    return SavedPlan(
        file=planned.file,
        sha256=planned.sha256,
        json=shown,
        summary=summarize(shown),
        has_changes=planned.has_changes,
        outputs=_planned_outputs(raw),
    )


async def make_plan(
    runner: TerraformRunner, workdir: Path, *, destroy: bool, creates_workspace: bool
) -> SavedPlan:
    """`plan -out` then `show -json`: the saved plan, its hash, masked JSON and summary."""
    planned = await plan_to_file(
        runner, workdir, destroy=destroy, creates_workspace=creates_workspace
    )
    return await show(runner, workdir, planned)


def restore(workdir: Path, data: bytes, sha256: str) -> None:
    """Write a saved plan file back into the working directory, checking its hash."""
    if sha256_of(data) != sha256:
        raise PlanHashMismatch(f"The saved plan's content does not hash to {sha256}.")
    (workdir / PLAN_FILE).write_bytes(data)


async def apply_saved(runner: TerraformRunner, workdir: Path, sha256: str) -> CommandResult:
    """`terraform apply <plan file>` after checking that the file on disk is the one hashed."""
    if sha256_of((workdir / PLAN_FILE).read_bytes()) != sha256:
        raise PlanHashMismatch(f"The plan file in {workdir} does not hash to {sha256}.")
    return await runner.apply(workdir, PLAN_FILE)


def is_stale_plan(message: str) -> bool:
    """Terraform refused a saved plan because the state changed since it was made."""
    return "Saved plan is stale" in message
