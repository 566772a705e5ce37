"""One wheel build and install per test session (per xdist worker)."""

from __future__ import annotations

import pytest

from tests.deployment.installed import Installed, build_and_install


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    return build_and_install(tmp_path_factory.mktemp("wheel"))
