"""The package as an operator gets it: a wheel built from this checkout, installed in a new venv.

Only the wheel is new: the venv reaches the dev venv's site-packages (the dependencies) through a
plain path in a ``.pth`` file. Such a path does not run the ``.pth`` files inside it, so the
editable install's import hook stays off and ``paybill_control_plane`` comes from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
# What `pip install .` sees of a checkout (everything a wheel build reads).
SOURCE_ENTRIES = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "alembic.ini",
    "src",
    "migrations",
    "terraform-modules",
    "examples",
)
IGNORED = shutil.ignore_patterns(
    "__pycache__", "*.pyc", "*.egg-info", ".terraform", "*.tfstate*", "build"
)


@dataclass(frozen=True)
class Installed:
    venv: Path
    wheel: Path

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    @property
    def site_packages(self) -> Path:
        return Path(
            sysconfig.get_path("purelib", vars={"base": str(self.venv), "platbase": str(self.venv)})
        )

    def env(self, **settings: str) -> dict[str, str]:
        """The environment of a deployed process: no PAYBILL_ leftovers, no dev venv on PATH."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("PAYBILL_") and k not in ("PYTHONPATH", "VIRTUAL_ENV")
        }
        dev_bin = str(Path(sys.executable).parent)
        path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != dev_bin]
        env["PATH"] = os.pathsep.join([str(self.bin), *path])
        env.update({f"PAYBILL_{k.upper()}": v for k, v in settings.items()})
        return env

    def run(
        self, *args: str, cwd: Path, env: dict[str, str], timeout: float = 180
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / "paybill"), *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self, *args: str, cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[str]:
        with log.open("w") as out:
            return subprocess.Popen(
                [str(self.bin / "paybill"), *args],
                cwd=cwd,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
            )


def build_and_install(tmp: Path) -> Installed:
    source = tmp / "source"
    source.mkdir(parents=True)
    for name in SOURCE_ENTRIES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=IGNORED)
        else:
            shutil.copy2(path, source / name)
    dist = tmp / "dist"
    # No build isolation and no index: setuptools comes from the dev extras, nothing downloads.
    _check(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "--wheel-dir",
        str(dist),
        str(source),
    )
    [wheel] = dist.glob("paybill_control_plane-*.whl")
    venv = tmp / "venv"
    _check(sys.executable, "-m", "venv", "--without-pip", str(venv))
    installed = Installed(venv=venv, wheel=wheel)
    _check(
        sys.executable,
        "-m",
        "pip",
        "--python",
        str(venv / "bin" / "python"),
        "install",
        "--quiet",
        "--no-deps",
        "--no-index",
        str(wheel),
    )
    # After the install, so pip never sees the dev venv's editable paybill-control-plane.
    dev_site = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (installed.site_packages / "_paybill_dev_dependencies.pth").write_text(
        "".join(f"{path}\n" for path in sorted(dev_site))
    )
    return installed


def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _check(*cmd: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, (cmd, done.stdout, done.stderr)


def wait_ready(base_url: str, procs: list[subprocess.Popen[str]], logs: list[Path]) -> None:
    """Poll /readyz until 200; fail at once (with the logs) if a process died."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for proc, log in zip(procs, logs, strict=True):
            assert proc.poll() is None, f"{log.name} exited {proc.returncode}:\n{log.read_text()}"
        try:
            if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("never ready:\n" + "\n".join(log.read_text() for log in logs))


def stop(*procs: subprocess.Popen[str] | None) -> None:
    for proc in procs:
        if proc is not None and proc.poll() is None:
            proc.terminate()
    for proc in procs:
        if proc is not None:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
