"""Run-time files: the checkout in development, the bundled copy in an installed wheel."""

from __future__ import annotations

from pathlib import Path

import pytest

from paybill_control_plane import resources
from paybill_control_plane.db import migrate

ROOT = Path(__file__).resolve().parents[1]


def test_a_checkout_uses_its_own_files() -> None:
    assert resources.checkout_root() == ROOT
    assert resources.migrations_dir() == ROOT / "migrations"
    assert resources.alembic_ini() == ROOT / "alembic.ini"
    assert resources.terraform_modules_dir() == ROOT / "terraform-modules"
    assert resources.example_catalog() == ROOT / "examples" / "catalog.yaml"
    config = migrate.alembic_config("postgresql+psycopg://unused/db")
    assert config.get_main_option("script_location") == str(ROOT / "migrations")


def test_without_a_checkout_the_bundled_copy_is_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in resources.BUNDLED_NAMES:
        (tmp_path / name).mkdir()
    monkeypatch.setattr(resources, "checkout_root", lambda: None)
    monkeypatch.setattr(resources, "bundled_root", lambda: tmp_path)
    assert resources.migrations_dir() == tmp_path / "migrations"
    assert resources.terraform_modules_dir() == tmp_path / "terraform-modules"
    assert resources.example_catalog() == tmp_path / "examples" / "catalog.yaml"


def test_a_broken_install_says_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(resources, "checkout_root", lambda: None)
    monkeypatch.setattr(resources, "bundled_root", lambda: tmp_path)
    with pytest.raises(resources.RuntimeFilesMissing, match="'migrations'"):
        resources.migrations_dir()
