"""The layers of CONTRIBUTING.md hold: `lint-imports` checks pyproject's [tool.importlinter]."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(config)],
        cwd=ROOT / "src",  # the package is found from here even without an installed copy
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_layer_contract_is_kept() -> None:
    result = lint_imports(ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_broken_contract_fails_the_check(tmp_path: Path) -> None:
    """The check bites: a contract that the code breaks (kit does import errors) fails it."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    config = tmp_path / ".importlinter"
    config.write_text(
        f"[importlinter]\nroot_package = {settings['root_package']}\n\n"
        "[importlinter:contract:broken]\nname = kit imports no errors module\n"
        "type = forbidden\nsource_modules = paybill_control_plane.kit\n"
        "forbidden_modules = paybill_control_plane.errors\n"
    )
    result = lint_imports(config)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout and "paybill_control_plane.kit" in result.stdout
