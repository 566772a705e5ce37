"""Where modules live: ``<root>/<cloud>/<model>/``, and the files each must hold.

The root is ``$PAYBILL_MODULES_DIR``, else the checkout's ``terraform-modules`` directory, else
the copy bundled in the installed wheel (the last two are ``resources.terraform_modules_dir``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final, Literal

from paybill_control_plane.resources import terraform_modules_dir

Cloud = Literal["local", "aws", "azure", "gcp", "oci", "ibm"]
Model = Literal["silo", "pooled", "bridge"]

CLOUDS: Final[tuple[str, ...]] = ("local", "aws", "azure", "gcp", "oci", "ibm")
MODELS: Final[tuple[str, ...]] = ("silo", "pooled", "bridge")
MODULE_FILES: Final[tuple[str, ...]] = (
    "main.tf",
    "variables.tf",
    "outputs.tf",
    "versions.tf",
    "README.md",
)


def modules_root() -> Path:
    """The directory holding ``<cloud>/<model>/`` modules.

    ``$PAYBILL_MODULES_DIR`` when set; else the repository's ``terraform-modules`` when running
    from a checkout; else the copy bundled in the installed package (see ``resources.py``).
    """
    env = os.environ.get("PAYBILL_MODULES_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return terraform_modules_dir()


#: The module root as resolved at import time; functions taking ``root=None`` resolve it anew.
MODULES_ROOT: Final[Path] = modules_root()


def module_dir(cloud: str, model: str, root: str | os.PathLike[str] | None = None) -> Path:
    """``<root>/<cloud>/<model>``; raises ValueError for an unknown cloud or model."""
    if cloud not in CLOUDS:
        raise ValueError(f"unknown cloud {cloud!r}; expected one of {', '.join(CLOUDS)}")
    if model not in MODELS:
        raise ValueError(f"unknown isolation model {model!r}; expected one of {', '.join(MODELS)}")
    base = Path(root) if root is not None else modules_root()
    return base / cloud / model


def available_modules(root: str | os.PathLike[str] | None = None) -> list[tuple[str, str]]:
    """The (cloud, model) pairs whose module directory exists and holds ``.tf`` files."""
    found: list[tuple[str, str]] = []
    for cloud in CLOUDS:
        for model in MODELS:
            path = module_dir(cloud, model, root)
            if path.is_dir() and any(path.glob("*.tf")):
                found.append((cloud, model))
    return found


def check_model(model: str) -> None:
    """Raise ValueError for an isolation model the contract does not know."""
    if model not in MODELS:
        raise ValueError(f"unknown isolation model {model!r}; expected one of {', '.join(MODELS)}")
