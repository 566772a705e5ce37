"""CI fails when openapi.json or a generated client no longer matches the code.

Each check regenerates into a temporary directory with the commands of
scripts/generate_clients.py (what `make clients` runs) and compares with what is committed.
"""

from __future__ import annotations

import ast
import difflib
from pathlib import Path

import pytest

from paybill_control_plane.cli.openapi_commands import export_spec
from scripts.generate_clients import (
    PYTHON_CLIENT,
    ROOT,
    SPEC,
    TYPESCRIPT_TYPES,
    generate_python_client,
    generate_typescript_types,
)

FIX = "run `make clients` and commit openapi.json and clients/"
# Caches, and what `pip install -e clients/python` leaves behind (pdm-backend).
IGNORED_PARTS = {"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache", ".pdm-build"}


def _diff(expected: str, actual: str, name: str, limit: int = 40) -> str:
    lines = difflib.unified_diff(
        actual.splitlines(),
        expected.splitlines(),
        f"{name} (committed)",
        f"{name} (code)",
        n=1,
        lineterm="",
    )
    return "\n".join(list(lines)[:limit])


@pytest.fixture(scope="module")
def current_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spec") / "openapi.json"
    path.write_text(export_spec(), encoding="utf-8")
    return path


def test_openapi_json_is_current(current_spec: Path) -> None:
    expected = current_spec.read_text(encoding="utf-8")
    committed = SPEC.read_text(encoding="utf-8") if SPEC.exists() else ""
    if committed != expected:
        pytest.fail(
            f"openapi.json is out of date: {FIX}\n{_diff(expected, committed, 'openapi.json')}",
            pytrace=False,
        )


def _files(root: Path) -> dict[str, Path]:
    return {
        path.relative_to(root).as_posix(): path
        for path in sorted(root.rglob("*"))
        if path.is_file() and not IGNORED_PARTS & set(path.relative_to(root).parts)
    }


def _same(expected: Path, actual: Path) -> bool:
    if expected.suffix == ".py":
        # Compared as syntax trees: a newer ruff formatting the post-hook output differently
        # is not drift; a changed model, field or operation is.
        return ast.dump(ast.parse(expected.read_text())) == ast.dump(ast.parse(actual.read_text()))
    return expected.read_bytes() == actual.read_bytes()


def test_python_client_is_current(current_spec: Path, tmp_path: Path) -> None:
    generated = tmp_path / "python"
    generate_python_client(current_spec, generated)
    expected, committed = _files(generated), _files(PYTHON_CLIENT)
    # Regeneration keeps the hand-written parts (clients/python-handwritten/).
    assert {"README.md", "paybill_client/paging.py"} <= expected.keys()
    problems = [f"missing: {name}" for name in sorted(expected.keys() - committed.keys())]
    problems += [f"not generated: {name}" for name in sorted(committed.keys() - expected.keys())]
    problems += [
        f"differs: {name}"
        for name in sorted(expected.keys() & committed.keys())
        if not _same(expected[name], committed[name])
    ]
    where = PYTHON_CLIENT.relative_to(ROOT)
    if problems:
        pytest.fail(f"{where} is out of date: {FIX}\n" + "\n".join(problems[:30]), pytrace=False)


def test_typescript_types_are_current(current_spec: Path, tmp_path: Path) -> None:
    generated = tmp_path / "schema.ts"
    generate_typescript_types(current_spec, generated)
    expected = generated.read_text(encoding="utf-8")
    committed = TYPESCRIPT_TYPES.read_text(encoding="utf-8") if TYPESCRIPT_TYPES.exists() else ""
    where = TYPESCRIPT_TYPES.relative_to(ROOT).as_posix()
    if committed != expected:
        pytest.fail(
            f"{where} is out of date: {FIX}\n{_diff(expected, committed, where)}", pytrace=False
        )
