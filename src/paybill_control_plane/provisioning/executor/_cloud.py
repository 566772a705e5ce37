"""The cloud: credentials, the tenant's boundary, the provider environment, and the data tier
that follows the stack."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from paybill_control_plane.datatier.runs import converge_stack
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.kit.net_guard import EgressPolicy, guarded
from paybill_control_plane.models.enums import StepStatus
from paybill_control_plane.provisioning import cloud_runtime
from paybill_control_plane.provisioning import repository as repo
from paybill_control_plane.provisioning.cloud_runtime import CloudRun
from paybill_control_plane.provisioning.executor._base import (
    WORKER_ACTOR,
    _Claim,
    _ExecutorBase,
    _steps_json,
)
from paybill_control_plane.provisioning.steps import Step

T = TypeVar("T")


class _CloudPhase(_ExecutorBase):
    """The cloud: credentials, boundary, provider environment."""

    async def _cloud_call(self, cloud: CloudRun, fn: Callable[..., T], *args: Any) -> T:
        # SDK calls block; the local adapter does nothing worth a thread.
        if cloud.local:
            return fn(*args)
        policy = EgressPolicy.of(self.settings.allow_insecure_endpoint_hosts)

        def call() -> T:
            # Every connection the SDK opens is checked and pinned (kit/net_guard.py).
            with guarded(policy):
                return fn(*args)

        return await asyncio.to_thread(call)

    async def _cloud_setup(
        self, claim: _Claim, steps: list[Step]
    ) -> tuple[dict[str, str], dict[str, str], dict[str, str] | None]:
        """Credentials, the tenant's boundary before its stack's first apply, the provider's
        environment and the state backend: (credentials, env, backend config or None for pg)."""
        cloud = claim.cloud
        assert cloud is not None
        if cloud.bound_tenant is not None:
            async with transaction(self.sessionmaker) as session:
                await cloud_runtime.record_binding(session, cloud)
        creds = cloud.credentials(self.settings)
        claim.secrets = cloud_runtime.secret_values(creds)
        if claim.operation == "apply" and cloud.boundary_request and cloud.boundary is None:
            await self._ensure_boundary(claim, steps, cloud, creds)
        env = await self._cloud_call(cloud, cloud_runtime.terraform_env, cloud, creds)
        claim.secrets = cloud_runtime.secret_values(creds, env)
        claim.spec, backend_config = cloud_runtime.backend(cloud, claim.spec)
        return creds, env, backend_config

    async def _ensure_boundary(
        self, claim: _Claim, steps: list[Step], cloud: CloudRun, creds: dict[str, str]
    ) -> None:
        step = await self._step(claim, steps, "boundary", f"ensure on {cloud.config.name}")
        boundary = await self._cloud_call(
            cloud, cloud.adapter.ensure_boundary, cloud.config, creds, cloud.boundary_request
        )
        recorded = cloud_runtime.boundary_json(boundary, cloud.target)
        cloud.boundary = recorded
        spec = claim.spec
        claim.spec = cloud_runtime.with_boundary(claim.spec, recorded)
        step.close(StepStatus.succeeded, f"{boundary.kind} {boundary.id}")
        if cloud.local and claim.spec is spec:
            # Nothing exists outside: the outcome records it (a next attempt computes the same).
            claim.boundary_to_record = recorded
            await self._save_steps(claim, steps)
            return
        async with transaction(self.sessionmaker) as session:
            # Locks in the executor's order (run, then stack). The boundary exists in the cloud
            # now: it is recorded even if a newer attempt took the run over (ensure_boundary is
            # idempotent, so both name the same one).
            run = await repo.find_run(session, claim.run_id, for_update=True)
            stack = await repo.find_stack(session, claim.stack_id, for_update=True)
            assert stack is not None
            stack.boundary = recorded
            if run is not None and run.attempt == claim.attempt:
                stack.desired_revision = claim.spec.revision
                stack.variables = claim.spec.variables
                run.revision = claim.spec.revision
                run.steps = _steps_json(run, claim, steps)

    async def _remove_boundary(
        self, claim: _Claim, steps: list[Step], creds: dict[str, str]
    ) -> None:
        cloud = claim.cloud
        assert cloud is not None
        if cloud.boundary is None:
            return
        boundary = cloud_runtime.boundary_of(cloud.boundary)
        step = await self._step(claim, steps, "boundary", f"remove {boundary.kind} {boundary.id}")
        await self._cloud_call(cloud, cloud.adapter.remove_boundary, cloud.config, creds, boundary)
        await self._done(claim, steps, step)

    async def _data_tier(
        self, claim: _Claim, steps: list[Step], outputs: dict[str, Any] | None
    ) -> None:
        """The tenants' real databases follow the stack (datatier/runs.py): made, suspended,
        resumed after an apply; dropped before a destroy."""
        step = await self._step(claim, steps, "database")
        detail = await converge_stack(
            self.data_tier, claim.stack_id, claim.operation, outputs, actor=WORKER_ACTOR
        )
        await self._done(claim, steps, step, detail)
