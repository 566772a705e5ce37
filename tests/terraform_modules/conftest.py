"""Fixtures of the module tests: every module parsed once per test session (one child process
for all of them, shared by every file here)."""

from __future__ import annotations

import pytest

from paybill_control_plane.provisioning import contract as mc
from tests.terraform_modules.modules import ALL_MODULES, ROOT


@pytest.fixture(scope="session")
def specs() -> dict[tuple[str, str], mc.ModuleSpec]:
    """Every module, parsed once (one child process for all of them)."""
    dirs = {pair: mc.module_dir(*pair, ROOT) for pair in ALL_MODULES}
    loaded = mc.load_modules(list(dirs.values()))
    return {pair: loaded[d.resolve()] for pair, d in dirs.items()}
