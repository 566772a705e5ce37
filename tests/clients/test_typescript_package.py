"""The TypeScript client as a user gets it: `npm pack`ed, installed into a separate project,
compiled there with `tsc --strict` (no skipLibCheck) and run under Node against the live API.

The consumer (tests/clients/ts_consumer/) holds `@ts-expect-error` lines that only hold while
the package's types are real: types degraded to `any` fail the compilation (TS2578).
TypeScript and @types/node are the versions clients/typescript pins, so npm finds them in its
cache (`--prefer-offline`) after `npm ci` there. Node.js 20+ and npm are required: without
them this test fails, it does not skip.
"""

from __future__ import annotations

import pytest
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from scripts.generate_clients import TYPESCRIPT, pack_typescript_client
from tests.conftest import unique
from tests.factories import make_tier
from tests.live import Api, LiveServer

pytestmark = pytest.mark.slow

CONSUMER = Path(__file__).parent / "ts_consumer"
PACKAGE_FILES = {
    "package/package.json",
    "package/dist/index.js",
    "package/dist/index.d.ts",
    "package/dist/schema.js",
    "package/dist/schema.d.ts",
}


def _run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _pinned(name: str) -> str:
    manifest = TYPESCRIPT / "node_modules" / name / "package.json"
    return f"{name}@{json.loads(manifest.read_text())['version']}"


def test_packed_client_compiles_and_runs_in_a_consumer_project(
    live_server: LiveServer, admin: Api, tmp_path: Path
) -> None:
    npm, node = shutil.which("npm"), shutil.which("node")
    assert npm and node, "Node.js 20+ and npm are required for the TypeScript client"
    tarball = pack_typescript_client(tmp_path)
    with tarfile.open(tarball) as packed:
        # The schema types ship next to index.d.ts (their absence was TS2307 in consumers);
        # the scenario and example compiled for tests/clients do not.
        assert set(packed.getnames()) == PACKAGE_FILES

    project = tmp_path / "consumer"
    shutil.copytree(CONSUMER, project)
    tsconfig = json.loads((project / "tsconfig.json").read_text())
    assert tsconfig["compilerOptions"]["strict"] is True
    assert "skipLibCheck" not in tsconfig["compilerOptions"]
    _run(
        project,
        npm,
        "install",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        str(tarball),
        _pinned("typescript"),
        _pinned("@types/node"),
    )
    _run(project, str(project / "node_modules" / ".bin" / "tsc"), "-p", ".")

    tier = make_tier(admin)["key"]
    slug = unique("ts-consumer")
    env = {
        **os.environ,
        "PAYBILL_URL": live_server.url,
        "PAYBILL_API_KEY": admin.key or "",
        "PAYBILL_TIER": tier,
        "PAYBILL_SLUG": slug,
    }
    summary = json.loads(_run(project, node, "out/main.js", env=env).strip().splitlines()[-1])
    assert summary == {
        "created": slug,
        "status": "provisioning",
        "listed": [slug],
        "problem": "https://paybill.dev/problems/tenant-not-found",
    }
