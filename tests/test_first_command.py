"""The README's first command: `paybill serve` on the embedded Postgres, first admin key printed once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.live import free_port


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
        tiers = httpx.get(
            f"http://127.0.0.1:{port}/v1/tiers", headers={"Authorization": f"Bearer {key}"}
        )
        assert tiers.status_code == 200, tiers.text
    finally:
        second = _stop(proc)
    assert "pbk_" not in second, "the first admin key must be printed once only"
