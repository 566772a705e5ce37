"""Running one drift check: `plan -refresh-only -detailed-exitcode`, then a normal plan.

The check renders the stack as it was last applied (its applied inputs and its release's files)
into the stack's working directory. It runs as a job that shares the stack's run lock, so it
never overlaps a run; a stack with a run still queued or retrying is checked later instead.
At most `drift_concurrency_per_target` checks run at once per cloud target: each holds one of
that many Postgres advisory-lock slots for the time of its Terraform commands.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.config import Settings
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.fleet import _diff, findings
from paybill_control_plane.fleet._jobs import defer_drift_check
from paybill_control_plane.kit.net_guard import EgressPolicy, guarded
from paybill_control_plane.models.enums import RunStatus, StackStatus
from paybill_control_plane.models.run import Run
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.provisioning import cloud_runtime, planner
from paybill_control_plane.provisioning.executor import terraform_state_env
from paybill_control_plane.provisioning.facts import module_files_for
from paybill_control_plane.provisioning.planner import StackSpec
from paybill_control_plane.provisioning.terraform import TerraformRunner

log = logging.getLogger(__name__)
ACTIVE_RUN = (RunStatus.queued, RunStatus.running, RunStatus.retrying)
LATER = timedelta(seconds=30)
REFRESH_PLAN = "paybill-drift-refresh.tfplan"
PLAN = "paybill-drift.tfplan"


class DriftRunner(TerraformRunner):
    """The runner plus the two commands a drift check needs."""

    async def plan_json(self, workdir: Path, plan_file: str, *, refresh_only: bool) -> Any:
        """Plan (refresh-only or normal) with `-detailed-exitcode`; the plan's JSON when it
        found changes (exit code 2), else None."""
        args = ["plan", "-input=false", "-no-color", "-json", "-detailed-exitcode"]
        args += [f"-lock-timeout={self.lock_timeout}", f"-out={plan_file}"]
        if refresh_only:
            args.append("-refresh-only")
        outcome = await self._run("plan", args, workdir, ok_codes=(0, 2))
        if outcome.result.exit_code == 0:
            return None
        shown = await self._run(
            "show", ["show", "-json", "-no-color", plan_file], workdir, capture_stdout=True
        )
        return json.loads(shown.stdout or "{}")


@dataclass
class _Prepared:
    stack_id: uuid.UUID
    workspace: str
    module: str
    tenant_id: uuid.UUID | None
    spec: StackSpec
    cloud: cloud_runtime.CloudRun
    slot_key: str


def _slot_lock_id(key: str, slot: int) -> int:
    digest = hashlib.sha256(f"paybill-drift:{key}:{slot}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class DriftChecker:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, database_url: str
    ) -> None:
        self.sessionmaker = sessionmaker
        self.settings = settings
        self.state_env = terraform_state_env(database_url)

    async def check(self, stack_id: uuid.UUID) -> None:
        """Check one stack now (or defer it when a run holds it or every slot is taken)."""
        prepared = await self._prepare(stack_id)
        if prepared is None:
            return
        async with self.sessionmaker() as lock_session:
            slot = await self._take_slot(lock_session, prepared.slot_key)
            if slot is None:
                async with transaction(self.sessionmaker) as session:
                    await defer_drift_check(session, stack_id, at=utcnow() + timedelta(seconds=5))
                return
            try:
                drift = await self._terraform(prepared)
            finally:
                await lock_session.execute(
                    text("SELECT pg_advisory_unlock(:k)"),
                    {"k": _slot_lock_id(prepared.slot_key, slot)},
                )
                await lock_session.commit()
        ignore = self.settings.drift_ignore.get(prepared.module, [])
        async with transaction(self.sessionmaker) as session:
            await findings.record_check(
                session, prepared.stack_id, prepared.tenant_id, prepared.module,
                _diff.without_ignored(drift, ignore),
            )  # fmt: skip

    async def _take_slot(self, session: AsyncSession, key: str) -> int | None:
        for slot in range(self.settings.drift_concurrency_per_target):
            got = await session.scalar(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": _slot_lock_id(key, slot)}
            )
            if got:
                return slot
        return None

    async def _prepare(self, stack_id: uuid.UUID) -> _Prepared | None:
        async with transaction(self.sessionmaker) as session:
            stack = await session.get(Stack, stack_id)
            if stack is None or stack.status != StackStatus.applied or not stack.applied_variables:
                return None  # nothing applied to compare with
            busy = await session.scalar(
                select(Run.id).where(Run.stack_id == stack.id, Run.status.in_(ACTIVE_RUN)).limit(1)
            )
            if busy is not None:
                await defer_drift_check(session, stack.id, at=utcnow() + LATER)
                return None
            owner = await cloud_runtime.stack_owner(session, stack)
            cloud = await cloud_runtime.prepare(session, stack, owner)
            model = stack.module.split("/", 1)[1]
            files = await module_files_for(session, stack)
            spec = planner.render(stack.cloud, model, stack.kind, stack.applied_variables, files)
            target = str(owner.cloud_target_id or stack.cloud)
            return _Prepared(
                stack.id, stack.workspace, stack.module, stack.tenant_id, spec, cloud, target
            )

    async def _env(self, prepared: _Prepared) -> tuple[dict[str, str], dict[str, str] | None]:
        cloud = prepared.cloud
        creds = cloud.credentials(self.settings)
        if cloud.local:
            env = cloud_runtime.terraform_env(cloud, creds)
        else:
            policy = EgressPolicy.of(self.settings.allow_insecure_endpoint_hosts)

            def call() -> dict[str, str]:
                with guarded(policy):
                    return cloud_runtime.terraform_env(cloud, creds)

            env = await asyncio.to_thread(call)
        prepared.spec, backend_config = cloud_runtime.backend(cloud, prepared.spec)
        state = self.state_env if backend_config is None else {}
        return {**state, **env}, backend_config

    def _workdir(self, prepared: _Prepared) -> Path:
        workdir = self.settings.stacks_dir.resolve() / str(prepared.stack_id)
        workdir.mkdir(parents=True, exist_ok=True)
        for name, content in prepared.spec.files.items():
            target = workdir / name
            if not target.exists() or target.read_bytes() != content:
                target.write_bytes(content)
        return workdir

    async def _terraform(self, prepared: _Prepared) -> _diff.Drift:
        env, backend_config = await self._env(prepared)
        workdir = self._workdir(prepared)
        binary = self.settings.terraform_bin
        await TerraformRunner(binary, extra_env=env).init(workdir, backend_config)
        runner = DriftRunner(binary, extra_env={**env, "TF_WORKSPACE": prepared.workspace})
        refreshed = await runner.plan_json(workdir, REFRESH_PLAN, refresh_only=True)
        planned = await runner.plan_json(workdir, PLAN, refresh_only=False)
        for name in (REFRESH_PLAN, PLAN):
            (workdir / name).unlink(missing_ok=True)
        return _diff.drift_of(refreshed, planned)
