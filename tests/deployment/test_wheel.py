"""`pip install` of the wheel (not editable) migrates, serves and finds its modules without a checkout."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from tests.db import create_empty_database, drop_database
from tests.deployment.installed import ROOT, Installed, stop, wait_ready, wheel_names
from tests.live import free_port

pytestmark = pytest.mark.slow


def test_wheel_bundles_the_run_time_files(installed: Installed) -> None:
    names = wheel_names(installed.wheel)
    bundled = "paybill_control_plane/_bundled/"
    for path in ROOT.glob("migrations/versions/*.py"):
        assert f"{bundled}migrations/versions/{path.name}" in names
    for required in (
        "alembic.ini",
        "migrations/env.py",
        "migrations/script.py.mako",
        "examples/catalog.yaml",
    ):
        assert bundled + required in names, required
    modules = {str(p.relative_to(ROOT)) for p in ROOT.glob("terraform-modules/**/*") if p.is_file()}
    assert modules and {bundled + m for m in modules} <= names
    assert not [n for n in names if "__pycache__" in n or "/.terraform/" in n]
    # The console's templates and static files (htmx, Swagger UI for /docs, with licences).
    console = ROOT / "src" / "paybill_control_plane" / "console"
    shipped = {
        str(p.relative_to(ROOT / "src"))
        for folder in ("templates", "static")
        for p in (console / folder).rglob("*")
        if p.is_file()
    }
    assert "paybill_control_plane/console/static/vendor/htmx/LICENSE" in shipped
    assert shipped <= names, sorted(shipped - names)


def _python(installed: Installed, code: str, cwd: Path, **settings: str) -> str:
    done = subprocess.run(
        [str(installed.bin / "python"), "-c", code],
        cwd=cwd,
        env=installed.env(**settings),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.strip()


def test_installed_package_is_the_wheel_and_resolves_bundled_files(
    installed: Installed, tmp_path: Path
) -> None:
    code = (
        "import paybill_control_plane as p, paybill_control_plane.resources as r;"
        "from paybill_control_plane.provisioning.contract import modules_root;"
        "print(p.__file__); print(r.checkout_root()); print(r.migrations_dir()); print(modules_root())"
    )
    package, checkout, migrations, modules = _python(installed, code, tmp_path).splitlines()
    site = installed.site_packages.resolve()
    assert Path(package).resolve().is_relative_to(site), "imported from src/, not from the wheel"
    assert not Path(package).resolve().is_relative_to(ROOT)
    assert checkout == "None"
    assert Path(migrations) == site / "paybill_control_plane" / "_bundled" / "migrations"
    assert Path(modules) == site / "paybill_control_plane" / "_bundled" / "terraform-modules"
    # PAYBILL_MODULES_DIR still wins over the bundled modules.
    override = _python(installed, code, tmp_path, modules_dir=str(tmp_path)).splitlines()[-1]
    assert Path(override) == tmp_path.resolve()


def test_installed_wheel_migrates_and_serves_from_an_empty_directory(
    installed: Installed, tmp_path: Path
) -> None:
    url = create_empty_database("wheel")
    workdir = tmp_path / "run"
    workdir.mkdir()
    env = installed.env(database_url=url, data_dir=str(workdir / "data"), embedded_worker="false")
    proc = None
    try:
        upgraded = installed.run("db", "upgrade", cwd=workdir, env=env)
        assert upgraded.returncode == 0, upgraded.stderr
        example = installed.run("catalog", "example", cwd=workdir, env=env)
        assert example.returncode == 0, example.stderr
        assert example.stdout == (ROOT / "examples" / "catalog.yaml").read_text()

        port = free_port()
        log = tmp_path / "serve.log"
        proc = installed.start("serve", "--port", str(port), cwd=workdir, env=env, log=log)
        wait_ready(f"http://127.0.0.1:{port}", [proc], [log])
        assert "pbk_" in log.read_text(), "the first admin key is printed on a fresh database"
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/console/sign-in").status_code == 200
        docs = httpx.get(f"{base}/docs")
        assert docs.status_code == 200 and "/console/static/vendor/swagger-ui/" in docs.text
        bundle = httpx.get(f"{base}/console/static/vendor/swagger-ui/swagger-ui-bundle.js")
        assert bundle.status_code == 200
    finally:
        stop(proc)
        drop_database(url)
