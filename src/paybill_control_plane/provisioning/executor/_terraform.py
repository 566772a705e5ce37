"""Phase 2, Terraform: render the stack's directory, init, plan (gated), apply."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

from paybill_control_plane.provisioning import plan_phase
from paybill_control_plane.provisioning._data_overlap import overlapped_data_tier
from paybill_control_plane.provisioning.executor._base import _Claim
from paybill_control_plane.provisioning.executor._cloud import _CloudPhase
from paybill_control_plane.provisioning.executor._log import _RunLog
from paybill_control_plane.provisioning.planner import TFVARS_FILE, StackSpec
from paybill_control_plane.provisioning.steps import Step
from paybill_control_plane.provisioning.terraform import TerraformRunner
from paybill_control_plane.provisioning.terraform.init_reuse import clear_leftovers, init_key


class _TerraformPhase(_CloudPhase):
    """Phase 2: terraform."""

    def _workdir(self, stack_id: uuid.UUID, spec: StackSpec) -> Path:
        workdir = self.settings.stacks_dir.resolve() / str(stack_id)
        workdir.mkdir(parents=True, exist_ok=True)
        clear_leftovers(workdir)
        for existing in workdir.iterdir():
            if existing.is_file() and existing.name not in spec.files:
                existing.unlink()
        for name, content in spec.files.items():
            target = workdir / name
            if not target.exists() or target.read_bytes() != content:
                target.write_bytes(content)
        return workdir

    async def _terraform(self, claim: _Claim, runlog: _RunLog, steps: list[Step]) -> dict[str, Any]:
        creds, cloud_env, backend_config = await self._cloud_setup(claim, steps)
        step = await self._step(
            claim, steps, "render", f"{claim.spec.module} revision {claim.spec.revision[:12]}"
        )
        workdir = self._workdir(claim.stack_id, claim.spec)
        await self._done(claim, steps, step)
        overlapped = overlapped_data_tier(claim.spec, claim.operation)
        # A create no policy can fit is never held nor denied (decided now, not asked again):
        # on `local` its data tier works while Terraform inits, plans and applies.
        ungated = overlapped and not claim.workspace_exists and claim.ungated
        if ungated:
            claim.alongside.start(self._data_tier(claim, steps, None))
        # init runs in the default workspace (which always exists); TF_WORKSPACE then points
        # apply at the stack's workspace, and on the pg backend apply itself creates a new
        # one: a separate creating process (even overlapped with init) cost a third more CPU
        # than a bare `init && apply` and showed as slower steps on 2 cores.
        binary = self.settings.terraform_bin
        # The pg backend's connection goes only to stacks whose state is in pg.
        env = {**(self.state_env if backend_config is None else {}), **cloud_env}
        runner = TerraformRunner(binary, extra_env=env, on_output=runlog.line)
        detail = claim.workspace if claim.workspace_exists else f"{claim.workspace} (created)"
        step = await self._step(claim, steps, "init", f"workspace {detail}")
        creates_workspace = not claim.workspace_exists and backend_config is None
        # The pg backend's init result is the same for every stack of a module release: it is
        # written from the first one's (terraform/init_reuse.py), not made by another process.
        key = None if backend_config else init_key(runner.binary, claim.spec.files, TFVARS_FILE)
        if key is not None and self.init_reuse.restore(key, workdir):
            detail = f"{detail}; init reused"
        else:
            await runner.init(workdir, backend_config)
            if key is not None:
                self.init_reuse.remember(key, workdir)
            if not (claim.workspace_exists or creates_workspace):
                # a remote backend: its workspace is created through the stack's own directory
                await runner.ensure_workspace(workdir, claim.workspace)
        await self._done(claim, steps, step, f"workspace {detail}")
        applier = TerraformRunner(
            binary,
            extra_env={**env, "TF_WORKSPACE": claim.workspace},
            on_output=runlog.line,
        )
        # Saved plans: plan to a file, gate it on the policies, apply exactly that file.
        ready = await plan_phase.plan(
            self, claim, steps, applier, workdir, creates_workspace, ungated=ungated
        )
        if claim.operation == "destroy":
            # The data goes first (a final snapshot before the drop), once the policies have
            # let the plan through: a run held for approval has dropped nothing.
            await self._data_tier(claim, steps, None)
        step = await self._step(claim, steps, claim.operation, f"plan sha256 {ready.sha256}")
        if overlapped and not claim.alongside.started:
            # The plan was judged: on `local` the data tier works while that plan is applied.
            claim.alongside.start(self._data_tier(claim, steps, None))
        result = await plan_phase.apply(self, claim, applier, workdir, ready)
        counts = result.changes
        summary = {
            "add": counts.add if counts else 0,
            "change": counts.change if counts else 0,
            "destroy": counts.remove if counts else 0,
        }
        detail = (
            f"{summary['add']} added, {summary['change']} changed, {summary['destroy']} destroyed"
            f"; plan sha256 {ready.sha256}"
        )
        await self._done(claim, steps, step, detail)
        claim.plan_summary = summary
        if claim.operation == "destroy":
            shutil.rmtree(workdir, ignore_errors=True)
            await self._remove_boundary(claim, steps, creds)
        elif not overlapped:  # a real cloud's data tier reads the module's outputs
            await self._data_tier(claim, steps, dict(result.outputs))
        return dict(result.outputs)
