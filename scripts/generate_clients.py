"""Regenerate the API contract and both clients from the code (`make clients`).

1. `openapi.json`: `paybill openapi export` (canonical JSON);
2. `clients/python/`: openapi-python-client with `clients/openapi-python-client.yaml`, then the
   hand-written files of `clients/python-handwritten/` (README, paging helper) copied over it:
   the generator replaces its output directory entirely, so they live outside it;
3. `clients/typescript/src/schema.ts`: openapi-typescript (run `npm ci` first if needed). A `.ts`,
   not a `.d.ts`: tsc copies no `.d.ts` input to `dist/`, so `dist/index.d.ts` would import a
   `./schema.js` the package does not ship (TS2307 in every consumer project).

tests/clients/test_generated_up_to_date.py calls the same functions into a temporary directory
and fails when the committed files differ, so the commands and flags live here only.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "openapi.json"
CLIENTS = ROOT / "clients"
PYTHON_CLIENT = CLIENTS / "python"
PYTHON_CONFIG = CLIENTS / "openapi-python-client.yaml"
PYTHON_HANDWRITTEN = CLIENTS / "python-handwritten"  # same layout as clients/python
PYTHON_META = "pdm"  # pyproject.toml with pdm-backend: `pip install clients/python` works
TYPESCRIPT = CLIENTS / "typescript"
TYPESCRIPT_TYPES = TYPESCRIPT / "src" / "schema.ts"
# Node tools of the test suite (Redocly CLI), installed by `make tools` or on first use.
TOOLS = ROOT / "tools"
# Fields with a default are optional in requests; openapi-typescript would make them required.
TYPESCRIPT_FLAGS = ("--default-non-nullable", "false")


def _tool_env() -> dict[str, str]:
    """PATH with this interpreter's bin first: the generators and their ruff post-hooks."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["RUFF_NO_CACHE"] = "true"  # no .ruff_cache inside the generated client
    return env


def _run(args: list[str], cwd: Path = ROOT) -> None:
    subprocess.run(args, cwd=cwd, env=_tool_env(), check=True)  # noqa: S603


def export_spec(path: Path = SPEC) -> None:
    """Write the canonical OpenAPI document (built in-process, no server)."""
    from paybill_control_plane.cli.openapi_commands import export_spec as canonical

    path.write_text(canonical(), encoding="utf-8")


def generate_python_client(spec: Path, output: Path) -> None:
    """(Re)create the Python client package in `output` (replaced entirely)."""
    generator = Path(sys.executable).parent / "openapi-python-client"
    _run(
        [
            str(generator),
            "generate",
            "--path",
            str(spec),
            "--config",
            str(PYTHON_CONFIG),
            "--meta",
            PYTHON_META,
            "--output-path",
            str(output),
            "--overwrite",
            "--fail-on-warning",
        ],
        cwd=output.parent,
    )
    for source in sorted(PYTHON_HANDWRITTEN.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            target = output / source.relative_to(PYTHON_HANDWRITTEN)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    # pytest-xdist workers may both need node_modules: one installs, the other waits.
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_node_modules(directory: Path = TYPESCRIPT) -> None:
    """`npm ci` in `directory` (clients/typescript, tools) unless node_modules matches its lock."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not on PATH: install Node.js 20+ (clients and tools need it)")
    lock = directory / "package-lock.json"
    installed = directory / "node_modules" / ".package-lock.json"
    with _locked(directory / ".npm-install.lock"):
        if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
            return
        _run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=directory)


def build_typescript_client() -> None:
    """`tsc --strict` in clients/typescript: the package's dist/ plus the compiled examples."""
    ensure_node_modules()
    tsc = TYPESCRIPT / "node_modules" / ".bin" / "tsc"
    # Two tests may build at once under pytest-xdist: both write the same dist/ files.
    with _locked(TYPESCRIPT / ".tsc-build.lock"):
        _run([str(tsc), "-p", ".", "--strict"], cwd=TYPESCRIPT)


def pack_typescript_client(destination: Path) -> Path:
    """Build and `npm pack` the TypeScript client into `destination`; the tarball's path."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not on PATH: install Node.js 20+ to build the TypeScript client")
    build_typescript_client()
    with _locked(TYPESCRIPT / ".tsc-build.lock"):
        # Built just above: --ignore-scripts skips the `prepack` build that `npm pack` run by
        # hand does, so the tarball holds exactly what was built under the lock.
        result = subprocess.run(  # noqa: S603
            [npm, "pack", "--ignore-scripts", "--json", "--pack-destination", str(destination)],
            cwd=TYPESCRIPT,
            env=_tool_env(),
            check=True,
            capture_output=True,
            text=True,
        )
    (packed,) = json.loads(result.stdout)
    return destination / str(packed["filename"])


def generate_typescript_types(spec: Path, output: Path) -> None:
    """Write the openapi-typescript types of `spec` to `output`."""
    ensure_node_modules()
    generator = TYPESCRIPT / "node_modules" / ".bin" / "openapi-typescript"
    _run([str(generator), str(spec), *TYPESCRIPT_FLAGS, "--output", str(output)], cwd=TYPESCRIPT)


def main() -> None:
    export_spec()
    print(f"wrote {SPEC.relative_to(ROOT)}")
    generate_python_client(SPEC, PYTHON_CLIENT)
    print(f"wrote {PYTHON_CLIENT.relative_to(ROOT)}/")
    generate_typescript_types(SPEC, TYPESCRIPT_TYPES)
    print(f"wrote {TYPESCRIPT_TYPES.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
