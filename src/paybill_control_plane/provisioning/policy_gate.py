"""The policy gate between a run's saved plan and its apply.

In one transaction: the plan is stored (a re-plan supersedes the run's earlier plan and voids
any approval bound to it), every catalog policy whose `applies_to` fits the run is evaluated on
the plan and the run's context, each verdict is audited with the plan's hash, and the run goes
on (nothing blocks), fails (a `deny` matched) or waits in `awaiting_approval` (an `approval`
matched) with an approval request bound to the plan's SHA-256.

A policy whose expression fails at evaluation time counts as matched: a rule that cannot be
checked must not let a destructive change through (fail closed); the failure is in its verdict.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.catalog import repository as catalog_repo
from paybill_control_plane.config import Settings
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.kit.cel import CelError, evaluate_bool
from paybill_control_plane.models.approval import Approval
from paybill_control_plane.models.enums import ApprovalStatus, PolicyEnforcement, RunStatus
from paybill_control_plane.models.policy import Policy
from paybill_control_plane.models.run import Run
from paybill_control_plane.models.run_plan import RunPlan
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tier import Tier
from paybill_control_plane.provisioning import repository as repo
from paybill_control_plane.provisioning.plans import PlanFile, SavedPlan, changes_of, summarize

WORKER_ACTOR = "worker"


class PolicyDenied(Exception):
    """A deny-level policy matched the run's plan; retrying will not help."""


@dataclass
class Verdict:
    policy: str
    enforcement: PolicyEnforcement
    matched: bool
    message: str
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        out = {
            "policy": self.policy,
            "enforcement": self.enforcement.value,
            "matched": self.matched,
            "message": self.message,
        }
        return out | ({"error": self.error} if self.error else {})


@dataclass
class GateResult:
    plan_id: uuid.UUID
    sha256: str
    outcome: str  # apply | hold | deny | superseded (a newer attempt owns the run)
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        wanted = PolicyEnforcement.deny if self.outcome == "deny" else PolicyEnforcement.approval
        return [v.message for v in self.verdicts if v.matched and v.enforcement is wanted]


def _tier_json(tier: Tier | None) -> dict[str, Any]:
    if tier is None:
        return {"key": "", "rank": -1, "approvals_required": 1}
    return {"key": tier.key, "rank": tier.rank, "approvals_required": tier.approvals_required}


async def _context(
    session: AsyncSession, run: Run, stack: Stack, saved: SavedPlan
) -> tuple[dict[str, Any], list[Tenant], Tier | None]:
    """The CEL variables: plan, changes, counts, run, tenant, tenants, tier, snapshot."""
    ids = {uuid.UUID(t) for t in run.tenant_ids}
    if stack.tenant_id is not None:
        ids.add(stack.tenant_id)
    tenants = await repo.tenants_by_ids(session, ids)
    tiers = {t.key: t for t in await catalog_repo.list_tiers(session)} if tenants else {}
    # Several tenants (a pool run): the highest tier among them speaks for the run.
    tier = max((tiers[t.tier_key] for t in tenants if t.tier_key in tiers),
               key=lambda t: t.rank, default=None)  # fmt: skip
    snapshot_age: int | None = None
    if len(tenants) == 1:
        taken = await repo.last_snapshot_time(session, tenants[0].id)
        if taken is not None:
            snapshot_age = int((utcnow() - taken).total_seconds())
    tenant_json = [
        {"id": str(t.id), "slug": t.slug, "status": t.status, "desired_state": t.desired_state,
         "tier": t.tier_key, "isolation_model": t.isolation_model, "cloud": t.cloud,
         "region": t.region, "labels": dict(t.labels or {})}
        for t in sorted(tenants, key=lambda t: t.slug)
    ]  # fmt: skip
    summary = saved.summary
    variables = {
        "plan": saved.json,
        "changes": changes_of(saved.json),
        "counts": {k: summary[k] for k in ("add", "change", "replace", "destroy")},
        "run": {"id": str(run.id), "kind": run.kind, "trigger": run.trigger,
                "reason": run.trigger, "actor": run.requested_by, "operation": run.operation or "",
                "stack_kind": stack.kind, "cloud": stack.cloud},
        "tenant": tenant_json[0] if len(tenant_json) == 1 else {},
        "tenants": tenant_json,
        "tier": _tier_json(tier),
        "snapshot": {"age_seconds": snapshot_age},
    }  # fmt: skip
    return variables, tenants, tier


def _applies(policy: Policy, variables: dict[str, Any], tenants: list[Tenant]) -> bool:
    flt = policy.applies_to or {}
    run = variables["run"]
    if flt.get("operations") and run["operation"] not in flt["operations"]:
        return False
    if flt.get("kinds") and run["kind"] not in flt["kinds"]:
        return False
    if flt.get("clouds") and run["cloud"] not in flt["clouds"]:
        return False
    return not (flt.get("tiers") and not any(t.tier_key in flt["tiers"] for t in tenants))


def evaluate(
    policies: list[Policy], variables: dict[str, Any], tenants: list[Tenant]
) -> list[Verdict]:
    """The verdict of every policy whose filters fit the run."""
    verdicts = []
    for policy in policies:
        if not _applies(policy, variables, tenants):
            continue
        enforcement = PolicyEnforcement(policy.enforcement)
        try:
            matched, error = evaluate_bool(policy.expression, variables), None
        except CelError as exc:
            matched, error = True, str(exc)[:500]
        verdicts.append(Verdict(policy.name, enforcement, matched, policy.message, error))
    return verdicts


async def void_open_approvals(
    session: AsyncSession, run_id: uuid.UUID, why: str, actor: str = WORKER_ACTOR
) -> None:
    """Void the run's pending or approved requests (their plan is no longer the one to apply)."""
    for approval in await repo.open_approvals_for_update(session, run_id):
        before = approval.status
        approval.status = ApprovalStatus.void
        approval.decided_at = utcnow()
        approval.reason = why
        await audit.record(
            session, actor=actor, action="approval.voided", target_type="run",
            target_id=run_id, before={"status": before},
            after={"status": approval.status, "plan_sha256": approval.plan_sha256, "reason": why},
        )  # fmt: skip


def saved_file(saved: SavedPlan) -> PlanFile:
    return PlanFile(saved.file, saved.sha256, saved.has_changes)


async def store_plan(
    session: AsyncSession, run: Run, planned: PlanFile, saved: SavedPlan | None
) -> RunPlan:
    """Save the plan as the run's current one: earlier plans superseded, their approvals void.
    Without `saved` (not shown yet: no policy applies) its JSON is filled in by `fill_plan`."""
    now = utcnow()
    await repo.supersede_plans(session, run.id, now)
    await void_open_approvals(session, run.id, "the run was planned again")
    row = RunPlan(
        id=uuid.uuid4(), run_id=run.id, attempt=run.attempt, operation=run.operation or "apply",
        revision=run.revision, sha256=planned.sha256, plan_file=planned.file,
        plan_json=saved.json if saved else {}, summary=saved.summary if saved else summarize({}),
        created_at=now,
    )  # fmt: skip
    session.add(row)
    await session.flush()  # before an approval row refers to it (no ORM relationship orders them)
    return row


async def fill_plan(session: AsyncSession, plan_id: uuid.UUID, saved: SavedPlan) -> None:
    """The shown JSON and summary of a plan saved before it was shown."""
    await repo.fill_plan(session, plan_id, saved.json, saved.summary)


async def needs_gate(session: AsyncSession, run: Run, stack: Stack) -> bool:
    """Whether any policy's `applies_to` fits the run (its expression needs the shown plan)."""
    policies = await catalog_repo.list_policies(session)
    if not policies:
        return False
    ids = {uuid.UUID(t) for t in run.tenant_ids} | ({stack.tenant_id} - {None})
    tenants = await repo.tenants_by_ids(session, ids)
    facts = {"run": {"operation": run.operation or "", "kind": run.kind, "cloud": stack.cloud}}
    return any(_applies(p, facts, tenants) for p in policies)


async def gate(
    session: AsyncSession,
    settings: Settings,
    run: Run,
    stack: Stack,
    saved: SavedPlan,
) -> GateResult:
    """Store `saved` as the run's plan and decide: apply, hold for approval, or deny."""
    now = utcnow()
    row = await store_plan(session, run, saved_file(saved), saved)
    policies = await catalog_repo.list_policies(session)
    if not policies:
        return GateResult(row.id, saved.sha256, "apply")
    variables, tenants, tier = await _context(session, run, stack, saved)
    verdicts = evaluate(policies, variables, tenants)
    tenant_id = tenants[0].id if len(tenants) == 1 else None
    for verdict in verdicts:
        await audit.record(
            session, actor=WORKER_ACTOR, action="policy.evaluated", target_type="run",
            target_id=run.id, tenant_id=tenant_id,
            after={**verdict.to_json(), "plan_sha256": saved.sha256},
        )  # fmt: skip
    matched = [v for v in verdicts if v.matched]
    if any(v.enforcement is PolicyEnforcement.deny for v in matched):
        return GateResult(row.id, saved.sha256, "deny", verdicts)
    holding = [v for v in matched if v.enforcement is PolicyEnforcement.approval]
    if not holding:
        return GateResult(row.id, saved.sha256, "apply", verdicts)
    approval = Approval(
        id=uuid.uuid4(), run_id=run.id, run_plan_id=row.id, plan_sha256=saved.sha256,
        status=ApprovalStatus.pending, required=tier.approvals_required if tier else 1,
        requested_by=run.requested_by,
        policies=[{"name": v.policy, "message": v.message} for v in holding], approvers=[],
        created_at=now, expires_at=now + timedelta(hours=settings.approval_ttl_hours),
    )  # fmt: skip
    session.add(approval)
    run.status = RunStatus.awaiting_approval
    await audit.record(
        session, actor=WORKER_ACTOR, action="run.awaiting_approval", target_type="run",
        target_id=run.id, tenant_id=tenant_id,
        after={"approval_id": str(approval.id), "plan_sha256": saved.sha256,
               "required": approval.required, "policies": approval.policies,
               "summary": {k: saved.summary[k] for k in ("add", "change", "replace", "destroy")}},
    )  # fmt: skip
    return GateResult(row.id, saved.sha256, "hold", verdicts)


async def approved_plan(session: AsyncSession, run: Run) -> tuple[RunPlan, Approval] | None:
    """The run's current plan with its granted, unexpired approval, if it has one."""
    approval = await repo.approval_of_run(session, run.id, ApprovalStatus.approved)
    if approval is None or approval.expires_at <= utcnow():
        return None
    plan = await repo.find_plan(session, approval.run_plan_id)
    if plan is None or plan.superseded_at is not None or plan.sha256 != approval.plan_sha256:
        return None
    return plan, approval
