"""Executing one run: claim it, converge its stack with real Terraform, record steps, settle tenants.

A run is idempotent: it renders what its stack should be *now* and converges to it, so a job
that is picked up again after a worker crash finishes the work instead of repeating it. Every
database write is a short transaction; Terraform runs outside them. `attempt` is the fencing
token: an execution that finds a newer attempt recorded stops without writing.
"""

from __future__ import annotations

import logging
import traceback
import uuid

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.clouds import CloudError
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.provision import DataTierContext
from paybill_control_plane.db.embedded import to_libpq_url
from paybill_control_plane.kit.request_context import run_id_var, tenant_id_var
from paybill_control_plane.provisioning import cloud_runtime, plan_phase
from paybill_control_plane.provisioning._step_writer import StepWriter
from paybill_control_plane.provisioning.cloud_runtime import CloudTargetUnusable
from paybill_control_plane.provisioning.executor._claim import _ClaimPhase
from paybill_control_plane.provisioning.executor._log import _RunLog
from paybill_control_plane.provisioning.executor._outcome import _OutcomePhase
from paybill_control_plane.provisioning.executor._terraform import _TerraformPhase
from paybill_control_plane.provisioning.outcomes import RunOutcomes
from paybill_control_plane.provisioning.steps import Step
from paybill_control_plane.provisioning.terraform import TerraformError
from paybill_control_plane.provisioning.terraform.init_reuse import InitReuse
from paybill_control_plane.telemetry import tracing
from paybill_control_plane.telemetry.redact import secrets_in_scope

log = logging.getLogger(__name__)


def terraform_state_env(database_url: str) -> dict[str, str]:
    """The pg backend's connection, passed by environment so no stack file holds it."""
    conn = to_libpq_url(database_url)
    if "sslmode=" not in conn:
        conn += ("&" if "?" in conn else "?") + "sslmode=disable"
    return {"PG_CONN_STR": conn, "PG_SCHEMA_NAME": "terraform_state"}


class RunExecutor(_ClaimPhase, _TerraformPhase, _OutcomePhase):
    """Runs one attempt of a run: claim (`_claim.py`), Terraform (`_terraform.py`, with the cloud
    in `_cloud.py`), outcome (`_outcome.py`); the log in `_log.py`, the steps in `_base.py`."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        settings: Settings,
        database_url: str,
        outcomes: RunOutcomes,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.settings = settings
        # What a finished run means for its tenants is the lifecycle layer's to decide.
        self.outcomes = outcomes
        self.state_env = terraform_state_env(database_url)
        self.data_tier = DataTierContext(sessionmaker, settings, database_url)
        # What `terraform init` made, per module release, for this worker's later stacks.
        self.init_reuse = InitReuse()

    async def execute(self, run_id: uuid.UUID) -> None:
        """Run one attempt; its log lines carry the run id (and the tenant's, when it has one)."""
        run_token = run_id_var.set(str(run_id))
        tenant_token = tenant_id_var.set(None)
        try:
            with tracing.span("run.execute", {tracing.RUN_ID: str(run_id)}):
                await self._execute(run_id)
        finally:
            tenant_id_var.reset(tenant_token)
            run_id_var.reset(run_token)

    async def _execute(self, run_id: uuid.UUID) -> None:
        claim = await self._claim(run_id)
        if claim is None:
            return
        if len(claim.tenant_ids) == 1:
            tenant_id_var.set(claim.tenant_ids[0])
        tracing.set_attributes(
            {
                "paybill.operation": claim.operation,
                "paybill.attempt": claim.attempt,
                "paybill.stack_id": str(claim.stack_id),
            }
        )
        runlog = _RunLog(self.sessionmaker, claim.run_id, claim.attempt)
        steps: list[Step] = []
        claim.steps_writer = StepWriter(lambda: self._write_steps(claim, steps))
        try:
            # Any log line of this attempt masks the run's decrypted credentials.
            with secrets_in_scope(lambda: claim.secrets):
                async with claim.alongside:  # settled before the outcome, cancelled with it
                    outputs = await self._terraform(claim, runlog, steps)
        except plan_phase.RunHeld:  # awaiting approval (the gate recorded it), or fenced out
            await runlog.flush()
            return
        except Exception as exc:  # any failure is recorded on the run, never lost
            await runlog.flush()
            expected = isinstance(
                exc, (TerraformError, CloudError, CloudTargetUnusable, plan_phase.PolicyDenied)
            )
            if isinstance(exc, TerraformError):
                message = exc.message
            else:
                message = str(exc) if expected else f"{type(exc).__name__}: {exc}"
            message = cloud_runtime.scrub(message, claim.secrets)
            retryable = not (
                cloud_runtime.is_permanent(exc) or isinstance(exc, plan_phase.PolicyDenied)
            )
            await self._fail(claim, steps, message, runlog.tail, retryable=retryable)
            if not expected:
                trace = "".join(traceback.format_exception(exc))
                log.error(
                    "run %s failed\n%s", claim.run_id, cloud_runtime.scrub(trace, claim.secrets)
                )
            return
        await self._succeed(claim, steps, outputs, runlog)
