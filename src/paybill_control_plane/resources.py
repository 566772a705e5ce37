"""Where the run-time files live: the checkout in development, the bundled copy when installed.

``migrations/``, ``alembic.ini``, ``terraform-modules/`` and ``examples/`` stay at the top of the
repository (that is where people add migrations and modules). A wheel carries a copy of them in
``paybill_control_plane/_bundled/`` (copied by ``setup.py`` at build time), so an installed
``paybill`` finds them without a checkout. The checkout wins when it is there, so an editable
install always runs the files being edited rather than a stale copy.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Final

__all__ = [
    "BUNDLED_NAMES",
    "RuntimeFilesMissing",
    "alembic_ini",
    "bundled_root",
    "checkout_root",
    "example_catalog",
    "migrations_dir",
    "runtime_path",
    "terraform_modules_dir",
]

#: The top-level entries of the repository that the installed package needs at run time.
BUNDLED_NAMES: Final[tuple[str, ...]] = (
    "alembic.ini",
    "migrations",
    "terraform-modules",
    "examples",
)


class RuntimeFilesMissing(RuntimeError):
    """Neither a checkout nor a bundled copy holds a file the service needs (a broken install)."""


def checkout_root() -> Path | None:
    """The repository root when this package runs from its ``src/`` tree (editable install)."""
    # src/paybill_control_plane/resources.py → parents[2] is the repository root. The marker
    # (alembic.ini next to pyproject.toml) avoids mistaking an unrelated site-packages parent.
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and (root / "alembic.ini").is_file():
        return root
    return None


def bundled_root() -> Path:
    """``paybill_control_plane/_bundled`` inside the installed package."""
    traversable = resources.files("paybill_control_plane").joinpath("_bundled")
    # Alembic and Terraform need real directories; wheels are always unpacked, never zipped.
    return Path(str(traversable))


def runtime_path(name: str) -> Path:
    """The checkout's ``name`` when running from a checkout, else the bundled copy."""
    root = checkout_root()
    if root is not None and (root / name).exists():
        return root / name
    bundled = bundled_root() / name
    if bundled.exists():
        return bundled
    raise RuntimeFilesMissing(
        f"{name!r} is neither in a checkout nor bundled in the installed package "
        f"({bundled}); rebuild the wheel with setup.py's build hook"
    )


def alembic_ini() -> Path:
    return runtime_path("alembic.ini")


def migrations_dir() -> Path:
    return runtime_path("migrations")


def terraform_modules_dir() -> Path:
    return runtime_path("terraform-modules")


def example_catalog() -> Path:
    return runtime_path("examples") / "catalog.yaml"
