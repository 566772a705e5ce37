"""`paybill serve` and `paybill worker` as real processes: JSON lines on stderr from every
library, the worker's own metrics endpoint."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.db import create_database, drop_database
from tests.live import free_port
from tests.telemetry.helpers import json_lines, sql


@pytest.fixture
def fresh_database() -> Iterator[str]:
    url = create_database("proc")
    yield url
    drop_database(url)


def _start(command: list[str], database_url: str, **env: str) -> subprocess.Popen[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PAYBILL_", "OTEL_"))}
    environment |= {"PAYBILL_DATABASE_URL": database_url, "PAYBILL_LOG_FORMAT": "json", **env}
    return subprocess.Popen(
        [sys.executable, "-m", "paybill_control_plane.cli.main", *command],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait(proc: subprocess.Popen[str], check: Callable[[], Any], timeout: float = 90) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            result = check()
            if result:
                return result
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("the process did not get ready")


def _stop(proc: subprocess.Popen[str]) -> tuple[str, str]:
    proc.send_signal(signal.SIGINT)
    return proc.communicate(timeout=30)


def test_serve_writes_only_json_lines(fresh_database: str) -> None:
    port = free_port()
    proc = _start(["serve", "--port", str(port)], fresh_database)
    try:
        _wait(proc, lambda: httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200)
        refused = httpx.get(f"http://127.0.0.1:{port}/v1/tenants")
        assert refused.status_code == 401
    finally:
        out, err = _stop(proc)
    first_key = next(line.strip() for line in out.splitlines() if line.strip().startswith("pbk_"))
    lines = json_lines(err)  # fails on any line that is not one JSON object
    loggers = {line["logger"] for line in lines}
    assert {"uvicorn.error", "uvicorn.access"} <= loggers, loggers
    assert any("/v1/tenants" in line["message"] and "401" in line["message"] for line in lines
               if line["logger"] == "uvicorn.access")  # fmt: skip
    assert first_key not in err  # shown once on stdout, never logged


def test_worker_logs_json_and_serves_its_metrics(fresh_database: str) -> None:
    port = free_port()
    proc = _start(["worker"], fresh_database, PAYBILL_WORKER_METRICS_PORT=str(port))

    def running() -> bool:  # registered with procrastinate: its signal handlers are in place
        return bool(sql(fresh_database, "SELECT 1 FROM procrastinate_workers"))

    try:
        body = _wait(proc, lambda: httpx.get(f"http://127.0.0.1:{port}/metrics").text)
        _wait(proc, running)
    finally:
        _, err = _stop(proc)
    assert "# TYPE paybill_run_duration_seconds histogram" in body
    lines = json_lines(err)
    assert any(line["logger"].startswith("procrastinate") for line in lines), err
