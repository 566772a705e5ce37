"""The TypeScript client (clients/typescript: openapi-typescript types, openapi-fetch calls),
type-checked with `tsc --strict` and run under Node against the live API.

Node.js 20+ and npm are required: without them this test fails, it does not skip.
"""

from __future__ import annotations

import pytest
import json
import os
import shutil
import subprocess

from scripts.generate_clients import TYPESCRIPT, build_typescript_client
from tests.live import Api, LiveServer

pytestmark = pytest.mark.slow


def _run(*args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        args, cwd=TYPESCRIPT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_typescript_client_scenario(live_server: LiveServer, admin: Api) -> None:
    node = shutil.which("node")
    assert node, "Node.js 20+ is required for the TypeScript client"
    build_typescript_client()
    env = {**os.environ, "PAYBILL_URL": live_server.url, "PAYBILL_API_KEY": admin.key or ""}
    summary = json.loads(_run(node, "dist/scenario.js", env=env).strip().splitlines()[-1])
    assert summary["tenants"] == 3 and summary["pages"] == 2
    assert summary["problem"] == {
        "status": 409,
        "type": "https://paybill.dev/problems/invalid-transition",
        "current_status": "provisioning",
    }
    # The README's five lines (src/example.ts) run as written.
    assert _run(node, "dist/example.js", env=env).startswith("[")
