"""Asyncio Terraform runner used by the provisioning worker.

Terraform always runs as a subprocess (see ``shim.py`` for why), one command at a time per stack
working directory::

    runner = TerraformRunner(extra_env=credentials, on_output=run_log.append)
    await runner.init(workdir, {"conn_str": dsn, "schema_name": "terraform_state"})
    await runner.ensure_workspace(workdir, stack_workspace)
    plan = await runner.plan(workdir)
    if plan.has_changes:
        await runner.apply(workdir, plan.plan_file.name)
    outputs = await runner.output(workdir)

Every call passes ``-input=false``, ``-no-color`` and ``-json`` where the command has them, and
``-lock-timeout`` where Terraform may wait for the state lock. The environment is an allow-list of
the worker's (PATH, HOME, locale...) plus ``TF_IN_AUTOMATION=1``, ``TF_INPUT=0``, an empty CLI
configuration and the runner's ``extra_env`` (credentials, scrubbed from every log line).
It needs Terraform >= 1.9 (``init -json``) or an OpenTofu of the same vintage when
``PAYBILL_TERRAFORM_BIN`` overrides the bundled 1.15.

Backend secrets: ``-backend-config`` values are redacted from ``CommandResult.argv`` and the logs,
but Terraform stores them in ``<workdir>/.terraform/terraform.tfstate``. To keep a password off
the disk, pass it in ``extra_env`` instead (``PG_CONN_STR`` for the pg backend, ``AWS_*``...).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ._models import CommandResult, PlanSummary, TerraformError, error_message_from_text
from ._process import (
    OutputCallback,
    ProcessOutcome,
    Redactor,
    build_env,
    resolve_terraform_binary,
    run_process,
)

__all__ = ["TerraformRunner"]

logger = logging.getLogger("paybill_control_plane.provisioning.terraform")

# Transient failures of the pg backend, safe to retry because Terraform failed before changing
# anything (both measured with 5-8 concurrent processes):
# * two workspace creations at once: the pg backend takes one advisory lock (-1) for ANY workspace
#   creation in the database and fails at once instead of waiting;
# * first use of a schema by several processes at once: its CREATE ... IF NOT EXISTS statements
#   race ('pq: duplicate key value violates unique constraint "pg_class_relname_nsp_index"',
#   'pq: type "states" already exists').
_TRANSIENT_ERRORS = re.compile(
    r"Already locked for workspace creation"
    r'|pq: duplicate key value violates unique constraint "pg_'
    r"|pq: \S+ \S+ already exists"
)

# backend-config keys whose values are not secrets (all other values are redacted).
_PUBLIC_BACKEND_KEYS = frozenset(
    {
        "schema_name",
        "skip_schema_creation",
        "skip_table_creation",
        "skip_index_creation",
        "bucket",
        "key",
        "region",
        "workspace_key_prefix",
        "dynamodb_table",
        "use_lockfile",
        "prefix",
        "resource_group_name",
        "storage_account_name",
        "container_name",
    }
)


class TerraformRunner:
    """Runs Terraform commands in stack working directories. Safe to share between tasks, as long
    as two commands never run at once in the same working directory (one run per stack)."""

    def __init__(
        self,
        binary: Sequence[str] | str | None = None,
        extra_env: Mapping[str, str] | None = None,
        on_output: OutputCallback | None = None,
        lock_timeout: str = "120s",
        *,
        log_excerpt_lines: int = 40,
        kill_grace_seconds: float = 30.0,
        retry_deadline_seconds: float = 60.0,
    ) -> None:
        """
        :param binary: the Terraform command (see ``resolve_terraform_binary``).
        :param extra_env: per-run environment, typically cloud credentials; never logged.
        :param on_output: called with every human-readable output line as it arrives (``@message``
            of JSON lines); may be a coroutine function. Its exceptions are logged and ignored.
        :param lock_timeout: how long Terraform waits for a held state lock (``-lock-timeout``).
        :param kill_grace_seconds: after SIGTERM on cancellation, how long before SIGKILL.
        :param retry_deadline_seconds: total time budget to retry transient backend errors.
        """
        self.binary = resolve_terraform_binary(binary)
        self.lock_timeout = lock_timeout
        self._extra_env = dict(extra_env or {})
        self._env = build_env(self._extra_env)
        self._redact = Redactor.for_env(self._extra_env)
        self._on_output = on_output
        self._excerpt_lines = log_excerpt_lines
        self._kill_grace = kill_grace_seconds
        self._retry_deadline = retry_deadline_seconds

    # -- commands ------------------------------------------------------------------------------

    async def init(
        self, workdir: Path, backend_config: Mapping[str, str] | None = None
    ) -> CommandResult:
        """``terraform init`` with ``-backend-config=key=value`` for each item (values redacted)."""
        args = ["init", "-input=false", "-no-color", "-json", f"-lock-timeout={self.lock_timeout}"]
        secret_args: dict[str, str] = {}
        secrets: list[str] = []
        for key, value in (backend_config or {}).items():
            real = f"-backend-config={key}={value}"
            args.append(real)
            if key not in _PUBLIC_BACKEND_KEYS:
                secret_args[real] = f"-backend-config={key}=***"
                secrets.append(value)
        outcome = await self._run_retrying(
            "init", args, workdir, redact=self._redact.with_secrets(secrets), display=secret_args
        )
        return outcome.result

    async def ensure_workspace(self, workdir: Path, name: str) -> None:
        """Select workspace ``name`` in ``workdir``, creating it when it does not exist yet.

        Uses ``workspace select -or-create`` (one process, and no creation when it exists), which
        records the choice in ``<workdir>/.terraform/environment`` for the following commands.
        With the pg backend any command run with an unknown ``TF_WORKSPACE`` silently creates the
        workspace (a typo plans a whole new stack); the executor relies on that only for a stack
        it knows to be new, with ``apply_now(creates_workspace=True)`` retrying the races.
        Concurrent creations fail at once with "Already locked for workspace creation" (the pg
        backend uses one database-wide lock for them): retried with exponential backoff and jitter.
        """
        args = ["workspace", "select", "-no-color", "-or-create=true", name]
        await self._run_retrying("workspace select", args, workdir, json_stream=False)

    async def plan(
        self,
        workdir: Path,
        *,
        destroy: bool = False,
        plan_file: str = "paybill.tfplan",
        creates_workspace: bool = False,
    ) -> PlanSummary:
        """``terraform plan -out=<plan_file>``; counts from ``change_summary``, ``has_changes``
        from ``-detailed-exitcode`` (0: no changes, 2: changes, 1: error).

        ``creates_workspace``: as for ``apply_now``, the plan creates ``TF_WORKSPACE`` on the pg
        backend, and the creation races are retried."""
        args = [
            "plan",
            "-input=false",
            "-no-color",
            "-json",
            "-detailed-exitcode",
            f"-lock-timeout={self.lock_timeout}",
            f"-out={plan_file}",
        ]
        if destroy:
            args.append("-destroy")
        if creates_workspace:
            outcome = await self._run_retrying("plan", args, workdir, ok_codes=(0, 2))
        else:
            outcome = await self._run("plan", args, workdir, ok_codes=(0, 2))
        result = outcome.result
        counts = result.changes
        return PlanSummary(
            add=counts.add if counts else 0,
            change=counts.change if counts else 0,
            remove=counts.remove if counts else 0,
            has_changes=result.exit_code == 2,
            plan_file=workdir / plan_file,
            destroy=destroy,
            result=result,
            changes=result.planned_changes,
        )

    async def show_json(self, workdir: Path, plan_file: str = "paybill.tfplan") -> dict[str, Any]:
        """``terraform show -json <plan_file>``: the saved plan as JSON (stdout never logged: it
        holds sensitive values in clear text)."""
        args = ["show", "-no-color", "-json", plan_file]
        outcome = await self._run("show", args, workdir, json_stream=False, capture_stdout=True)
        parsed = _parsed(outcome, "show", "plan JSON")
        if not isinstance(parsed, dict):
            raise TerraformError("show", 0, "the plan JSON is not an object", outcome.result)
        return parsed

    async def apply(self, workdir: Path, plan_file: str = "paybill.tfplan") -> CommandResult:
        """Apply a saved plan (no approval needed; fails if the state changed since the plan)."""
        args = [
            "apply",
            "-input=false",
            "-no-color",
            "-json",
            f"-lock-timeout={self.lock_timeout}",
            plan_file,
        ]
        return (await self._run("apply", args, workdir)).result

    async def apply_now(
        self, workdir: Path, *, destroy: bool = False, creates_workspace: bool = False
    ) -> CommandResult:
        """Plan and apply in one process (``apply -auto-approve``), as a bare ``terraform apply``.

        The result carries the change counts and, after an apply, the non-sensitive output
        values from the JSON stream, so no separate ``plan`` or ``output`` process is needed.

        ``creates_workspace``: ``TF_WORKSPACE`` names a workspace that does not exist yet and
        this apply creates it (pg backend). Creations race on the backend's one lock and fail
        at once, before anything is planned: those failures are retried like
        ``ensure_workspace``'s. A separate creating process cost a third more CPU than a bare
        ``init && apply`` (docs/performance.md).
        """
        args = [
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-json",
            f"-lock-timeout={self.lock_timeout}",
        ]
        if destroy:
            args.append("-destroy")
        command = "destroy" if destroy else "apply"
        if creates_workspace:
            return (await self._run_retrying(command, args, workdir)).result
        return (await self._run(command, args, workdir)).result

    async def output(self, workdir: Path) -> dict[str, Any]:
        """The values of the non-sensitive outputs (sensitive ones are dropped, never logged)."""
        args = ["output", "-no-color", "-json"]
        outcome = await self._run("output", args, workdir, capture_stdout=True)
        raw = _parsed(outcome, "output", "output")
        values = {
            name: item.get("value")
            for name, item in raw.items()
            if isinstance(item, dict) and not item.get("sensitive", False)
        }
        hidden = len(raw) - len(values)
        await self._emit(f"Outputs read: {', '.join(sorted(values)) or 'none'}")
        if hidden:
            await self._emit(f"({hidden} sensitive output(s) not read)")
        return values

    async def destroy(
        self, workdir: Path, *, plan_file: str = "paybill-destroy.tfplan"
    ) -> CommandResult:
        """Destroy everything in the selected workspace: ``plan -destroy`` then apply that plan
        (the run log gets the destroy plan summary). Returns the apply's result, or the plan's
        when there was nothing to destroy; ``result.changes.remove`` counts destroyed instances."""
        summary = await self.plan(workdir, destroy=True, plan_file=plan_file)
        if not summary.has_changes:
            return summary.result
        return await self.apply(workdir, plan_file)

    async def delete_workspace(self, workdir: Path, name: str) -> None:
        """Delete an (empty, i.e. destroyed) workspace, e.g. when a stack is purged.

        Selects ``default`` first: Terraform cannot delete the selected workspace."""
        select = ["workspace", "select", "-no-color", "default"]
        await self._run("workspace select", select, workdir, json_stream=False)
        args = ["workspace", "delete", "-no-color", f"-lock-timeout={self.lock_timeout}", name]
        await self._run("workspace delete", args, workdir, json_stream=False)

    # -- plumbing ------------------------------------------------------------------------------

    async def _emit(self, line: str) -> None:
        if self._on_output is None:
            return
        try:
            res = self._on_output(line)
            if res is not None:
                await res
        except Exception:
            logger.exception("on_output callback failed")

    async def _run(
        self,
        command: str,
        args: Sequence[str],
        workdir: Path,
        *,
        ok_codes: Sequence[int] = (0,),
        json_stream: bool = True,
        capture_stdout: bool = False,
        redact: Redactor | None = None,
        display: Mapping[str, str] | None = None,
    ) -> ProcessOutcome:
        redact = redact or self._redact
        display = display or {}
        argv = [*self.binary, *args]
        display_argv = [display.get(a, a) for a in argv]
        try:
            outcome = await run_process(
                command=command,
                argv=argv,
                display_argv=display_argv,
                workdir=workdir,
                env=self._env,
                redact=redact,
                on_output=self._on_output,
                json_stream=json_stream,
                capture_stdout=capture_stdout,
                excerpt_lines=self._excerpt_lines,
                kill_grace_seconds=self._kill_grace,
            )
        except (FileNotFoundError, PermissionError) as exc:
            # The binary (or the working directory) is missing: same error type for the worker.
            raise TerraformError(command, 127, f"cannot run {self.binary[0]}: {exc}") from exc
        result = outcome.result
        if result.exit_code not in ok_codes:
            raise TerraformError(command, result.exit_code, _failure_message(outcome), result)
        return outcome

    async def _run_retrying(
        self,
        command: str,
        args: Sequence[str],
        workdir: Path,
        *,
        json_stream: bool = True,
        redact: Redactor | None = None,
        display: Mapping[str, str] | None = None,
        ok_codes: Sequence[int] = (0,),
    ) -> ProcessOutcome:
        """``_run``, retrying ``_TRANSIENT_ERRORS`` with full-jitter exponential backoff."""
        deadline = time.monotonic() + self._retry_deadline
        attempt = 0
        while True:
            try:
                return await self._run(
                    command,
                    args,
                    workdir,
                    json_stream=json_stream,
                    redact=redact,
                    display=display,
                    ok_codes=ok_codes,
                )
            except TerraformError as exc:
                transient = _TRANSIENT_ERRORS.search(exc.message) is not None
                remaining = deadline - time.monotonic()
                if not transient or remaining <= 0:
                    raise
                attempt += 1
                delay = min(remaining, random.uniform(0, min(5.0, 0.1 * 2**attempt)))  # noqa: S311
                logger.info(
                    "terraform %s: transient backend error, retry %d in %.2fs: %s",
                    command,
                    attempt,
                    delay,
                    exc.message.splitlines()[0],
                )
                await asyncio.sleep(delay)


def _failure_message(outcome: ProcessOutcome) -> str:
    """A readable failure message: the error diagnostics of the JSON stream, else stderr's text."""
    result = outcome.result
    if result.errors:
        return "\n".join(d.format() for d in result.errors)
    lines = list(outcome.stderr_lines) or list(result.log_excerpt)
    return error_message_from_text(lines)


def _parsed(outcome: ProcessOutcome, command: str, what: str) -> Any:
    """The command's stdout as JSON (none: `{}`); unparseable, a `TerraformError`."""
    try:
        return json.loads(outcome.stdout or "{}")
    except ValueError as exc:
        raise TerraformError(command, 0, f"unparseable {what}: {exc}", outcome.result) from None
