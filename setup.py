"""Build hook: copy the run-time files kept at the repository root into the wheel.

``migrations/``, ``alembic.ini``, ``terraform-modules/`` and ``examples/`` stay at the top of the
repository, where migrations and modules are added; an installed package finds them as
``paybill_control_plane/_bundled/`` (see ``src/paybill_control_plane/resources.py``).
Everything else is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("alembic.ini", "migrations", "terraform-modules", "examples")
# Caches and local Terraform working state must never ship.
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".terraform", "*.tfstate*", ".*.swp")


class BuildPyWithRuntimeFiles(build_py):
    def run(self) -> None:
        super().run()
        # Editable installs map the package onto src/ and resources.py then reads the checkout.
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "paybill_control_plane" / "_bundled"
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for name in BUNDLED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, target / name, ignore=IGNORED)
            elif source.is_file():
                shutil.copy2(source, target / name)
            else:
                raise FileNotFoundError(f"{source} is needed at run time and is missing")


setup(cmdclass={"build_py": BuildPyWithRuntimeFiles})
