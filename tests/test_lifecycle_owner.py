"""The lifecycle layer is the one owner of a tenant's status and desired state (issue 14).

import-linter keeps domains from calling the layer; this keeps them from going round it: no
module outside `lifecycle/` assigns a tenant's `status` or `desired_state` (a new tenant starts
`pending` in its constructor, which is not an assignment)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "paybill_control_plane"
OWNED = {"status", "desired_state", "status_changed_at"}


def _tenant_state_writes(path: Path, root: Path = PACKAGE) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if (
                isinstance(target, ast.Attribute)
                and target.attr in OWNED
                and isinstance(target.value, ast.Name)
                and "tenant" in target.value.id
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_only_the_lifecycle_layer_writes_a_tenants_state() -> None:
    writes = [
        hit
        for path in sorted(PACKAGE.rglob("*.py"))
        if "lifecycle" not in path.relative_to(PACKAGE).parts[:1]
        for hit in _tenant_state_writes(path)
    ]
    assert writes == []


def test_the_check_sees_a_write(tmp_path: Path) -> None:
    module = tmp_path / "x.py"
    module.write_text(
        "def f(tenant, run):\n    tenant.status = 'active'\n    run.status = 'done'\n"
    )
    assert _tenant_state_writes(module, tmp_path) == ["x.py:2"]
