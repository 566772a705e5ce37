"""How provisioning is shown: runs, stacks, pools, approvals, saved plans and plan previews as
the API (and the console) present them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.models.approval import Approval
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.run import Run
from paybill_control_plane.models.run_plan import RunPlan
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.provisioning import planner
from paybill_control_plane.provisioning import repository as repo
from paybill_control_plane.provisioning.approval_schemas import (
    ApprovalOut,
    RunPlanOut,
    SavedPlanSummary,
)
from paybill_control_plane.provisioning.approvals import effective_status
from paybill_control_plane.provisioning.planner import StackSpec
from paybill_control_plane.provisioning.preview import TenantPlan
from paybill_control_plane.provisioning.schemas import PoolOut, RunOut, StackOut, TenantPlanOut


def shared_run_hidden(run: Run, principal: Principal) -> bool:
    """A tenant key sees its part of a shared pool run, not its neighbours."""
    return principal.is_tenant_scoped and len(run.tenant_ids) != 1


def run_out(run: Run, principal: Principal) -> RunOut:
    out = RunOut.model_validate(run)
    if shared_run_hidden(run, principal):
        out.tenant_ids = [principal.tenant_id] if principal.tenant_id else []
        out.log_excerpt = None
    return out


def stack_out(stack: Stack) -> StackOut:
    return StackOut.model_validate(stack)


async def pool_outs(session: AsyncSession, pools: list[Pool]) -> list[PoolOut]:
    """Pools as the API shows them, with their member counts and stack ids."""
    details = await repo.pool_details(session, pools)
    return [
        PoolOut(
            id=p.id,
            cloud=p.cloud,
            region=p.region,
            tier_group=p.tier_group,
            ordinal=p.ordinal,
            capacity=p.capacity,
            members=details[p.id][0],
            stack_id=details[p.id][1],
            created_at=p.created_at,
        )
        for p in pools
    ]


def approval_out(approval: Approval) -> ApprovalOut:
    out = ApprovalOut.model_validate(approval)
    out.status = effective_status(approval)
    return out


def run_plan_out(run: Run, plan: RunPlan) -> RunPlanOut:
    return RunPlanOut(
        run_id=run.id, plan_id=plan.id, sha256=plan.sha256, operation=plan.operation,
        revision=plan.revision, attempt=plan.attempt, created_at=plan.created_at,
        superseded=plan.superseded_at is not None,
        summary=SavedPlanSummary.model_validate(plan.summary), plan=plan.plan_json,
    )  # fmt: skip


def tfvars_text(spec: StackSpec) -> str:
    return spec.files[planner.TFVARS_FILE].decode()


def stack_files(spec: StackSpec) -> list[str]:
    return sorted(spec.files)


def tenant_plan_out(plan: TenantPlan) -> TenantPlanOut:
    """The response body of GET /v1/tenants/{id}/plan."""
    tenant, target = plan.tenant, plan.target
    return TenantPlanOut.model_validate(
        {
            "tenant_id": tenant.id,
            "cloud": tenant.cloud,
            "region": tenant.region,
            "isolation_model": tenant.isolation_model,
            "tier": tenant.tier_key,
            "desired_state": tenant.desired_state,
            "cloud_target_id": target.id if target else None,
            "cloud_target_name": target.name if target else None,
            "state_backend": (target.state_backend.get("kind") if target else None) or "pg",
            "notes": plan.notes,
            "stacks": [
                {
                    "kind": p.spec.kind,
                    "module": p.spec.module,
                    "stack_id": p.stack.id if p.stack else None,
                    "workspace": p.stack.workspace if p.stack else None,
                    "revision": p.spec.revision,
                    "applied_revision": p.stack.applied_revision if p.stack else None,
                    "up_to_date": bool(p.stack and p.stack.applied_revision == p.spec.revision),
                    "variables": p.spec.variables,
                    "files": stack_files(p.spec),
                    "tfvars_json": tfvars_text(p.spec),
                    "placeholders": p.placeholders,
                    "boundary_inputs": p.boundary_inputs,
                    "boundary": p.stack.boundary if p.stack else None,
                }
                for p in plan.stacks
            ],
        }
    )
