"""What every benchmark shares: a database, servers in their own processes, a load generator,
and min/median/max over interleaved repetitions, written to benchmarks/RESULTS.md.

A figure is a ratio against a bare baseline measured in the same run: A (the control plane)
and B (the baseline) run in turn, A B A B …, and the ratio is taken pair by pair, so a machine
whose speed drifts during the run (other load, thermal) moves both sides of each pair.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from paybill_control_plane.auth import service as auth_service
from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.auth.schemas import ApiKeyCreate
from paybill_control_plane.cli._runtime import unit_of_work
from paybill_control_plane.db import migrate
from paybill_control_plane.db.embedded import to_libpq_url
from tests.live import free_port

SERVER = os.environ.get(
    "PAYBILL_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/"
)
RESULTS = Path(__file__).with_name("RESULTS.md")


def arguments(description: str, default_reps: int = 5) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, same shape")
    parser.add_argument(
        "--reps", type=int, default=default_reps, help="interleaved repetitions (>= 5)"
    )
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    return parser.parse_args()


# -- database and processes ----------------------------------------------------------------------


def _admin(url: str) -> str:
    return to_libpq_url(make_url(url).set(database="postgres").render_as_string(False))


@contextmanager
def database() -> Iterator[str]:
    """A fresh, migrated database on the benchmark server, dropped afterwards."""
    name = f"paybill_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin(SERVER), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with psycopg.connect(_admin(SERVER), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def create_key(url: str, role: str = "admin") -> str:
    async def create() -> str:
        async with unit_of_work(url) as session:
            _, secret = await auth_service.create_key(
                session, CLI, ApiKeyCreate.model_validate({"name": "bench", "role": role})
            )
            return secret

    return asyncio.run(create())


@contextmanager
def process(
    argv: Sequence[str], env: dict[str, str], health: str
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server process and wait until `health` (a URL) answers 200."""
    proc = subprocess.Popen(list(argv), env={**os.environ, **env}, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(health, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"{argv} did not start")
            time.sleep(0.1)
        yield proc
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def paybill_serve(url: str, data_dir: Path, **env: str) -> Iterator[tuple[int, int]]:
    """`paybill serve` in its own process; yields (port, pid)."""
    port = free_port()
    environment = {
        "PAYBILL_DATABASE_URL": url,
        "PAYBILL_DATA_DIR": str(data_dir),
        "PAYBILL_PORT": str(port),
        "PAYBILL_LOG_LEVEL": "warning",
        # The limiter stays on (its cost is part of every request) with a limit no run
        # reaches: the default 1,200 a minute would turn a benchmark into 429s.
        "PAYBILL_RATE_LIMIT_ADMIN": str(10**9),
        **env,
    }
    argv = [sys.executable, "-m", "paybill_control_plane.cli.main", "serve"]
    with process(argv, environment, f"http://127.0.0.1:{port}/healthz") as proc:
        yield port, proc.pid


def rss_mib(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _stat_seconds(pid: int, first: int) -> float:
    """Two consecutive clock-tick fields of /proc/<pid>/stat (after the command name), summed."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[first]) + int(fields[first + 1])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far, from /proc (Linux).

    Per request, this does not depend on how much CPU other processes on the machine took, so it
    compares two servers more steadily than their throughput on a shared machine."""
    return _stat_seconds(pid, 11)  # utime, stime


def children_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process's children it has waited for (Terraform, for a worker)."""
    return _stat_seconds(pid, 13)  # cutime, cstime


def machine_cpu_seconds() -> float:
    """CPU the whole machine has been busy so far (every core; idle and I/O wait left out)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """User + system CPU of this process (the benchmark's own clients), threads included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- load ----------------------------------------------------------------------------------------


@dataclass
class Load:
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _client(port: int, requests: list[bytes], load: Load) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while requests:
            request = requests.pop()
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            length = next(
                int(line.split(b":", 1)[1])
                for line in lines
                if line.lower().startswith(b"content-length:")
            )
            await reader.readexactly(length)
            load.latencies.append(time.perf_counter() - started)
            load.statuses.append(int(lines[0].split()[1]))
    finally:
        writer.close()


def blast(port: int, requests: list[bytes], clients: int) -> Load:
    """Send `requests` over `clients` keep-alive connections (a minimal HTTP/1.1 loop, so the
    load generator takes as little of the cores as possible); latency per request."""

    async def run() -> Load:
        load = Load(0)
        started = time.perf_counter()
        await asyncio.gather(*(_client(port, requests, load) for _ in range(clients)))
        load.seconds = time.perf_counter() - started
        return load

    return asyncio.run(run())


def get_request(port: int, path: str, key: str | None) -> bytes:
    auth = f"Authorization: Bearer {key}\r\n" if key else ""
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}\r\n".encode()


# -- figures -------------------------------------------------------------------------------------


def spread(values: Sequence[float], fmt: str = "{:.3f}") -> str:
    """min / median / max."""
    return " / ".join(fmt.format(v) for v in (min(values), statistics.median(values), max(values)))


@dataclass
class Report:
    title: str
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def row(self, measure: str, figure: str, goal: str) -> None:
        self.rows.append((measure, figure, goal))
        print(f"{measure}: {figure}   (goal: {goal})", flush=True)

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(text, flush=True)

    def record(self, args: argparse.Namespace) -> None:
        if args.no_record:
            return
        load = os.getloadavg()
        lines = [
            f"### {self.title} — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
            + (" (--quick)" if args.quick else ""),
            "",
            f"Machine: {platform.node()}, {os.cpu_count()} cores, {platform.platform()}, "
            f"Python {platform.python_version()}; load average at the end "
            f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}; {args.reps} interleaved repetitions.",
            "",
            "| measure | min / median / max | goal |",
            "|---|---|---|",
            *(f"| {m} | {f} | {g} |" for m, f, g in self.rows),
            "",
            *(f"- {n}" for n in self.notes),
            "",
        ]
        with RESULTS.open("a") as out:
            out.write("\n".join(lines) + "\n")
