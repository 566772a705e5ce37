"""The production compose file and image, checked without a Docker engine.

`docker compose config` validates the file when a compose binary is installed; the properties an
operator relies on (one-shot migration, health checks, restart policies, secrets only from
.env) are asserted on the parsed YAML in every case.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from paybill_control_plane.config import Settings
from tests.deployment.installed import ROOT

PAYBILL_SERVICES = ("migrate", "api", "worker")
SECRET_NAME = re.compile(r"SECRET|PASSWORD|API_KEY|DATABASE_URL|TOKEN", re.IGNORECASE)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())  # type: ignore[no-any-return]


def _compose_binary() -> list[str] | None:
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_docker_compose_config_accepts_the_file(tmp_path: Path) -> None:
    binary = _compose_binary()
    if binary is None:
        pytest.skip("no docker compose binary on this machine; structure checked below")
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    done = subprocess.run(
        [*binary, "config", "--quiet"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_migrate_runs_once_and_everything_waits_for_it(compose: dict[str, Any]) -> None:
    services = compose["services"]
    migrate = services["migrate"]
    assert migrate["command"] == ["paybill", "db", "upgrade"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("api", "worker"):
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"}
        }, name
    assert services["worker"]["command"] == ["paybill", "worker"]
    assert services["worker"]["deploy"]["replicas"] >= 2


def test_health_checks_and_restart_policies(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert "/readyz" in " ".join(services["api"]["healthcheck"]["test"])
    assert services["postgres"]["healthcheck"]["test"]
    for name in ("postgres", "api", "worker"):
        assert services[name]["restart"] in ("always", "unless-stopped"), name


def test_secrets_come_from_the_env_file_only(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        env_file = service.get("env_file")
        assert env_file in (".env", [".env"]), name
        inline = service.get("environment", {})
        assert not [k for k in inline if SECRET_NAME.search(k)], (name, inline)
    example = (ROOT / ".env.example").read_text()
    names = dict(
        line.split("=", 1) for line in example.splitlines() if line and not line.startswith("#")
    )
    for required in (
        "PAYBILL_DATABASE_URL",
        "PAYBILL_SECRET_KEY",
        "PAYBILL_STRIPE_API_KEY",
        "PAYBILL_STRIPE_WEBHOOK_SECRETS",
    ):
        assert required in names, required
    assert not names["PAYBILL_SECRET_KEY"] and not names["PAYBILL_STRIPE_API_KEY"]
    known = {f"PAYBILL_{field.upper()}" for field in Settings.model_fields}
    assert {n for n in names if n.startswith("PAYBILL_")} <= known
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_image_installs_the_wheel_as_a_non_root_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+\S+\s+AS\s+(\w+)", dockerfile, re.MULTILINE | re.IGNORECASE)
    assert len(stages) >= 2, "a build stage and a runtime stage"
    assert "pip wheel" in dockerfile
    assert " -e " not in dockerfile and "[all]" not in dockerfile
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r'^ARG PAYBILL_EXTRAS=""$', dockerfile, re.MULTILINE)
    assert "/readyz" in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored and ".venv" in ignored, (
        "secrets and the dev venv stay out of the image"
    )
