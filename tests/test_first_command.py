"""The README's first command: `paybill serve` on the embedded Postgres, first admin key printed once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.factories import tier_body
from tests.live import free_port

pytestmark = pytest.mark.slow


def _start(data_dir: Path, port: int) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYBILL_")}
    env["PAYBILL_DATA_DIR"] = str(data_dir)
    return subprocess.Popen(
        [sys.executable, "-m", "paybill_control_plane.cli.main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_ready(port: int, proc: subprocess.Popen[str], timeout: float = 60) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("paybill serve did not become ready")


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=30)
    return out


def test_serve_on_embedded_postgres(tmp_path: Path) -> None:
    port = free_port()
    proc = _start(tmp_path / "data", port)
    try:
        cold = _wait_ready(port, proc)
        print(f"\ncold start to /readyz: {cold:.2f}s")
    finally:
        out = _stop(proc)
    lines = out.splitlines()
    key = next(line.strip() for line in lines if line.strip().startswith("pbk_"))
    assert "First admin API key" in out

    port = free_port()
    proc = _start(tmp_path / "data", port)
    try:
        _wait_ready(port, proc)
        base, headers = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {key}"}
        tiers = httpx.get(f"{base}/v1/tiers", headers=headers)
        assert tiers.status_code == 200, tiers.text
        # The embedded worker provisions for real: a local tenant reaches `active`.
        tier = httpx.post(
            f"{base}/v1/tiers",
            headers=headers,
            json=tier_body(default_isolation="silo", allowed_isolation=["silo"]),
        )
        assert tier.status_code == 201, tier.text
        created = httpx.post(
            f"{base}/v1/tenants",
            headers=headers,
            json={
                "slug": "first-tenant",
                "name": "First",
                "tier": tier.json()["key"],
                "cloud": "local",
                "region": "local-1",
            },
        )
        assert created.status_code == 201, created.text
        deadline = time.monotonic() + 60
        status = created.json()["status"]
        while status != "active" and time.monotonic() < deadline:
            time.sleep(0.2)
            status = httpx.get(f"{base}/v1/tenants/{created.json()['id']}", headers=headers).json()[
                "status"
            ]
        assert status == "active"
    finally:
        second = _stop(proc)
    assert "pbk_" not in second, "the first admin key must be printed once only"
