"""Running one Terraform command as a subprocess: binary, environment, streaming, cancellation.

Process hygiene
---------------
* Each command runs in its own session / process group (``start_new_session=True``): a Ctrl-C in
  the worker's terminal is not delivered to Terraform directly, and the group can be killed as a
  whole.
* When the awaiting task is cancelled (run timeout, worker shutdown), Terraform's process gets
  SIGTERM. Terraform treats it like an interrupt: it stops starting new operations, waits for the
  running ones, writes the state and releases the state lock. Output keeps being read (and passed to
  ``on_output``) meanwhile, so Terraform never blocks on a full pipe. After ``kill_grace_seconds``
  the whole group gets SIGKILL. ``force-unlock`` is never used.
* If the WORKER itself is SIGKILLed, nothing signals the child: it is in its own session, so it
  gets no SIGHUP either. It keeps running to completion: writes to the now broken stdout pipe fail
  with EPIPE (the ``paybill-terraform`` shim is a Python process, and Python ignores SIGPIPE),
  Terraform still persists the state and releases the pg lock (an advisory lock of its own database
  session, which PostgreSQL would also release if the process died). The next attempt of the run
  waits for that lock through ``-lock-timeout`` and then plans against the persisted state.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import re
import shlex
import signal
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._models import (
    ChangeCounts,
    CommandResult,
    Diagnostic,
    PlannedChange,
    parse_line,
)

__all__ = [
    "SHIM_MODULE",
    "OutputCallback",
    "build_env",
    "resolve_terraform_binary",
]

logger = logging.getLogger("paybill_control_plane.provisioning.terraform")

OutputCallback = Callable[[str], Awaitable[None] | None]

SHIM_MODULE = "paybill_control_plane.terraform_shim"
SHIM_SCRIPT = "paybill-terraform"

# Variables kept from the worker's environment. Everything else is dropped: the worker's own
# secrets (database URL, Stripe keys, its cloud credentials) must not reach a tenant's Terraform
# run, where a provider would silently pick up e.g. AWS_* variables. Cloud credentials come only
# from the per-run ``extra_env``.
_PASSTHROUGH_ENV = frozenset(
    {
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TMPDIR",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
        "http_proxy",
        "https_proxy",
        "no_proxy",
        "PYTHONPATH",  # the shim is Python: keep a source checkout importable
        "TF_LOG",
        "TF_LOG_PATH",
        "TF_PLUGIN_CACHE_DIR",
    }
)
_PASSTHROUGH_PREFIXES = ("LC_",)

# Environment values that are not secrets (everything else in ``extra_env`` is scrubbed from logs).
_NOT_SECRET_ENV = re.compile(r"^TF_|(^|_)(REGION|LOCATION|ZONE|PROFILE|SCHEMA_NAME)$")
_MIN_SECRET_LEN = 6

_STREAM_LIMIT = 32 * 1024 * 1024  # `show -json` writes a single (large) line
_MAX_LINE_CHARS = 4000


def resolve_terraform_binary(binary: Sequence[str] | str | None = None) -> tuple[str, ...]:
    """The command that runs Terraform.

    1. ``binary`` (a path, or an argv prefix such as ``["tofu"]``),
    2. else ``$PAYBILL_TERRAFORM_BIN`` (split like a shell word list, e.g. ``/usr/bin/terraform``),
    3. else the ``paybill-terraform`` console script next to ``sys.executable`` (the venv's bin),
    4. else ``sys.executable -m paybill_control_plane.terraform_shim``.
    """
    if isinstance(binary, str):
        return (binary,)
    if binary:
        return tuple(binary)
    from_env = os.environ.get("PAYBILL_TERRAFORM_BIN", "").strip()
    if from_env:
        return tuple(shlex.split(from_env))
    # sys.executable is deliberately not resolved: in a venv it is a symlink into the base Python.
    script = Path(sys.executable).parent / SHIM_SCRIPT
    if script.is_file() and os.access(script, os.X_OK):
        return (str(script),)
    return (sys.executable, "-m", SHIM_MODULE)


def build_env(extra_env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a Terraform process: an allow-list of the worker's, plus ``extra_env``.

    ``TF_WORKSPACE`` and ``TF_DATA_DIR`` are never inherited: the workspace is the one selected in
    the stack's working directory (see ``TerraformRunner.ensure_workspace``).
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if k in _PASSTHROUGH_ENV or k.startswith(_PASSTHROUGH_PREFIXES)
    }
    env.update(
        {
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            # An empty CLI configuration (no ~/.terraformrc, no credentials helpers, no warning).
            "TF_CLI_CONFIG_FILE": os.devnull,
            "CHECKPOINT_DISABLE": "1",  # no version check calls to HashiCorp
        }
    )
    if extra_env:
        env.update(extra_env)
    return env


class Redactor:
    """Replaces secret values (credentials, connection strings) with ``***``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = sorted(
            {s for s in secrets if len(s) >= _MIN_SECRET_LEN}, key=len, reverse=True
        )

    @classmethod
    def for_env(cls, extra_env: Mapping[str, str] | None) -> Redactor:
        return cls(v for k, v in (extra_env or {}).items() if not _NOT_SECRET_ENV.search(k))

    def with_secrets(self, secrets: Iterable[str]) -> Redactor:
        return Redactor([*self._secrets, *secrets])

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, "***")
        return text


@dataclass(slots=True)
class _Collector:
    """Accumulates what one command printed."""

    json_stream: bool
    excerpt: deque[str]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    planned_changes: list[PlannedChange] = field(default_factory=list)
    changes: ChangeCounts | None = None
    outputs: dict[str, Any] = field(default_factory=dict)
    stderr_lines: list[str] = field(default_factory=list)
    stdout_raw: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ProcessOutcome:
    result: CommandResult
    stdout: str  # only filled when the stdout was captured instead of streamed
    stderr_lines: tuple[str, ...]


async def run_process(
    *,
    command: str,
    argv: Sequence[str],
    display_argv: Sequence[str],
    workdir: Path,
    env: Mapping[str, str],
    redact: Redactor,
    on_output: OutputCallback | None,
    json_stream: bool,
    capture_stdout: bool = False,
    excerpt_lines: int = 40,
    kill_grace_seconds: float = 30.0,
) -> ProcessOutcome:
    """Run ``argv`` in ``workdir``, streaming its output lines to ``on_output`` as they arrive.

    ``capture_stdout``: keep stdout to the caller only (never logged), for ``output -json`` whose
    stdout holds sensitive values in clear text.
    Raises ``FileNotFoundError``/``PermissionError`` when the binary cannot be started.
    """
    collector = _Collector(json_stream=json_stream, excerpt=deque(maxlen=excerpt_lines))
    emit_lock = asyncio.Lock()

    async def emit(lines: list[str]) -> None:
        async with emit_lock:
            for line in lines:
                text = redact(line)
                if len(text) > _MAX_LINE_CHARS:
                    text = text[: _MAX_LINE_CHARS - 3] + "..."
                collector.excerpt.append(text)
                if on_output is None:
                    continue
                try:
                    res = on_output(text)
                    if isinstance(res, Awaitable):
                        await res
                except Exception:  # a failing log sink must not abort a running apply
                    logger.exception("terraform %s: on_output callback failed", command)

    async def pump(stream: asyncio.StreamReader, is_stderr: bool) -> None:
        while True:
            try:
                raw = await stream.readline()
            except ValueError:  # a line over _STREAM_LIMIT: the reader dropped it
                await emit([f"(an output line longer than {_STREAM_LIMIT} bytes was dropped)"])
                continue
            if not raw:
                return
            line = raw.decode("utf-8", errors="replace")
            if is_stderr:
                collector.stderr_lines.append(redact(line.rstrip("\r\n")))
                await emit(parse_line(line, json_stream=False).human)
                continue
            if capture_stdout:
                collector.stdout_raw.append(line)
                continue
            # Redacted before and after parsing: JSON escapes could hide a secret in the raw line.
            parsed = parse_line(redact(line), json_stream=json_stream)
            if parsed.diagnostic is not None:
                collector.diagnostics.append(_redact_diagnostic(parsed.diagnostic, redact))
            if parsed.changes is not None:
                collector.changes = parsed.changes
            if parsed.outputs is not None:
                collector.outputs = parsed.outputs
            if parsed.planned_change is not None:
                collector.planned_changes.append(parsed.planned_change)
            await emit(parsed.human)

    logger.debug("terraform %s: %s (in %s)", command, shlex.join(display_argv), workdir)
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        *argv,
        cwd=workdir,
        env=dict(env),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
        limit=_STREAM_LIMIT,
    )
    assert proc.stdout is not None and proc.stderr is not None

    async def communicate() -> int:
        assert proc.stdout is not None and proc.stderr is not None
        await asyncio.gather(pump(proc.stdout, False), pump(proc.stderr, True))
        return await proc.wait()

    task = asyncio.ensure_future(communicate())
    try:
        # shield: a cancellation of the caller must not stop the reading of the output while
        # Terraform shuts down gracefully.
        exit_code = await asyncio.shield(task)
    except asyncio.CancelledError:
        try:
            await _stop(proc, task, command, kill_grace_seconds)
        finally:
            _kill_group(proc)
            task.add_done_callback(_consume_result)
        raise
    except BaseException:
        # Reading the output failed (a bug, or an on_output BaseException): stop Terraform the
        # same graceful way rather than leave it running unobserved with the state lock.
        try:
            await _stop(proc, asyncio.ensure_future(proc.wait()), command, kill_grace_seconds)
        finally:
            _kill_group(proc)
        raise
    result = CommandResult(
        command=command,
        argv=tuple(display_argv),
        exit_code=exit_code,
        duration_seconds=round(time.monotonic() - started, 3),
        log_excerpt=tuple(collector.excerpt),
        diagnostics=tuple(collector.diagnostics),
        changes=collector.changes,
        outputs=collector.outputs,
        planned_changes=tuple(collector.planned_changes),
    )
    logger.debug("terraform %s: exit code %s in %.2fs", command, exit_code, result.duration_seconds)
    return ProcessOutcome(
        result=result,
        stdout="".join(collector.stdout_raw),
        stderr_lines=tuple(collector.stderr_lines),
    )


async def _stop(
    proc: asyncio.subprocess.Process,
    finished: asyncio.Future[int],
    command: str,
    grace: float,
) -> None:
    """SIGTERM Terraform, let it finish its running operations and release its lock, then kill."""
    if proc.returncode is not None:
        return
    logger.warning("terraform %s interrupted: sending SIGTERM to pid %s", command, proc.pid)
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(signal.SIGTERM)
    # asyncio.wait (not asyncio.timeout): this task is already being cancelled.
    done, _ = await asyncio.wait({finished}, timeout=grace)
    if not done:
        logger.error(
            "terraform %s did not stop within %.0fs of SIGTERM: killing it", command, grace
        )


def _redact_diagnostic(diagnostic: Diagnostic, redact: Redactor) -> Diagnostic:
    return dataclasses.replace(
        diagnostic,
        summary=redact(diagnostic.summary),
        detail=redact(diagnostic.detail),
        values=tuple(redact(v) for v in diagnostic.values),
    )


def _kill_group(proc: asyncio.subprocess.Process) -> None:
    """SIGKILL whatever is left of the process group (Terraform, providers, local-exec children)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _consume_result(task: asyncio.Future[int]) -> None:
    if not task.cancelled():
        task.exception()  # mark as retrieved: the command was cancelled, its outcome is moot
