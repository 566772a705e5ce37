"""Catalog as code: the diff between a file and the catalog, and applying it without surprises.

The guard is about tenants, not syntax: narrowing a tier's clouds, regions or isolation models
can leave tenants on it outside its rules, and deleting a tier removes what tenants stand on.
Such a change is refused with the affected tenants listed; `allow_breaking` lets a narrowing
through, audited with those tenants named. A tier that tenants still reference is never deleted
(their rows need it): they must move to another tier first.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Literal, TypeVar

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.catalog import policies, service, views
from paybill_control_plane.catalog import repository as repo
from paybill_control_plane.catalog.schemas import (
    CatalogFile,
    PlanCreate,
    PlanFields,
    PlanUpdate,
    TierCreate,
    TierFields,
    TierUpdate,
)
from paybill_control_plane.errors import Conflict, Unprocessable
from paybill_control_plane.kit.schemas import OutputModel
from paybill_control_plane.models.enums import TenantStatus
from paybill_control_plane.models.tenant import Tenant

C = TypeVar("C", TierCreate, PlanCreate)
U = TypeVar("U", TierUpdate, PlanUpdate)

# Tenants without infrastructure are not held to their tier's placement rules any more.
_GONE = (TenantStatus.deprovisioned.value, TenantStatus.purged.value)


class FieldChange(OutputModel):
    field: str
    before: Any
    after: Any


class EntryChange(OutputModel):
    kind: Literal["tier", "plan", "policy"]
    key: str
    action: Literal["create", "update", "delete"]
    changes: list[FieldChange]

    @property
    def label(self) -> str:
        return f"{self.kind}/{self.key}"


class AffectedTenant(OutputModel):
    id: uuid.UUID
    slug: str
    status: str
    reasons: list[str]


class BreakingChange(OutputModel):
    tier: str
    action: Literal["update", "delete"]
    tenants: list[AffectedTenant]
    overridable: bool  # False: no flag makes it possible (a tier tenants still reference)


class CatalogPlan(OutputModel):
    changes: list[EntryChange]
    unchanged: list[str]
    breaking: list[BreakingChange]

    @property
    def changed(self) -> bool:
        return bool(self.changes)


class CatalogChangeBreaksTenants(Conflict):
    type_slug = "catalog-change-breaks-tenants"
    title = "The catalog change would break existing tenants"


def _field_changes(before: dict[str, Any], after: dict[str, Any], fields: Any) -> list[FieldChange]:
    return [
        FieldChange(field=name, before=before.get(name), after=after.get(name))
        for name in fields
        if before.get(name) != after.get(name)
    ]


def tier_violations(tier: TierFields, tenant: Tenant) -> list[str]:
    """Why a tenant would be outside `tier`'s placement and isolation rules (empty: it fits)."""
    reasons = []
    clouds = [c.value for c in tier.allowed_clouds]
    if tenant.cloud not in clouds:
        reasons.append(f"cloud '{tenant.cloud}' no longer allowed (allowed: {', '.join(clouds)})")
    regions = {c.value: r for c, r in tier.allowed_regions.items()}.get(tenant.cloud)
    if regions and tenant.region not in regions:
        reasons.append(f"region '{tenant.region}' no longer allowed on '{tenant.cloud}'")
    isolation = [i.value for i in tier.allowed_isolation or [tier.default_isolation]]
    if tenant.isolation_model not in isolation:
        reasons.append(f"isolation '{tenant.isolation_model}' no longer allowed")
    return reasons


def _affected(tenant: Tenant, reasons: list[str]) -> AffectedTenant:
    return AffectedTenant(id=tenant.id, slug=tenant.slug, status=tenant.status, reasons=reasons)


async def _breaking_update(session: AsyncSession, tier: TierCreate) -> BreakingChange | None:
    affected = []
    for tenant in await repo.tenants_on_tier(session, tier.key):
        reasons = tier_violations(tier, tenant) if tenant.status not in _GONE else []
        if reasons:
            affected.append(_affected(tenant, reasons))
    if not affected:
        return None
    return BreakingChange(tier=tier.key, action="update", tenants=affected, overridable=True)


def _entry_change(
    result: CatalogPlan,
    kind: Literal["tier", "plan"],
    key: str,
    before: BaseModel | None,
    after: BaseModel,
    fields: type[BaseModel],
) -> bool:
    """Add the change of one tier or plan (`before`: its response model, None if it is new) to
    `result`, or list it as unchanged; whether it is an update."""
    after_json = after.model_dump(mode="json")
    if before is None:
        changes = _field_changes({}, after_json, fields.model_fields)
        result.changes.append(EntryChange(kind=kind, key=key, action="create", changes=changes))
        return False
    changes = _field_changes(before.model_dump(mode="json"), after_json, fields.model_fields)
    if not changes:
        result.unchanged.append(f"{kind}/{key}")
        return False
    result.changes.append(EntryChange(kind=kind, key=key, action="update", changes=changes))
    return True


async def plan_catalog(
    session: AsyncSession, catalog: CatalogFile, *, prune: bool = False
) -> CatalogPlan:
    """What applying `catalog` would change, field by field, and which tenants it would break."""
    tiers = {t.key: t for t in await repo.list_tiers(session)}
    plans = {p.key: p for p in await repo.list_plans(session)}
    result = CatalogPlan(changes=[], unchanged=[], breaking=[])
    for tier_data in catalog.tiers:
        existing_tier = tiers.get(tier_data.key)
        before = views.tier_out(existing_tier) if existing_tier is not None else None
        if not _entry_change(result, "tier", tier_data.key, before, tier_data, TierFields):
            continue
        breaking = await _breaking_update(session, tier_data)
        if breaking:
            result.breaking.append(breaking)
    file_tiers = {t.key for t in catalog.tiers}
    for plan_data in catalog.plans:
        if plan_data.tier not in file_tiers and (plan_data.tier not in tiers or prune):
            raise Unprocessable(
                f"Plan '{plan_data.key}' grants tier '{plan_data.tier}', which is "
                + ("not in the file (and --prune removes it)." if prune else "in neither the file nor the catalog."),
                extra={"plan": plan_data.key, "tier": plan_data.tier},
            )  # fmt: skip
        existing_plan = plans.get(plan_data.key)
        before_plan = views.plan_out(existing_plan) if existing_plan is not None else None
        _entry_change(result, "plan", plan_data.key, before_plan, plan_data, PlanFields)
    await _plan_policies(session, catalog, result, prune=prune)
    if prune:
        file_plans = {p.key for p in catalog.plans}
        for key in sorted(set(plans) - file_plans):
            result.changes.append(EntryChange(kind="plan", key=key, action="delete", changes=[]))
        for key in sorted(set(tiers) - file_tiers):
            result.changes.append(EntryChange(kind="tier", key=key, action="delete", changes=[]))
            users = await repo.tenants_on_tier(session, key)
            if users:
                reason = f"tier '{key}' is deleted: the tenant must move to another tier first"
                result.breaking.append(BreakingChange(
                    tier=key, action="delete", tenants=[_affected(t, [reason]) for t in users],
                    overridable=False,
                ))  # fmt: skip
    return result


async def _plan_policies(
    session: AsyncSession, catalog: CatalogFile, result: CatalogPlan, *, prune: bool
) -> None:
    existing = {p.name: p for p in await repo.list_policies(session)}
    for data in catalog.policies:
        policy = existing.get(data.name)
        changes = policies.changed_fields(policy, data)
        if policy is not None and not changes:
            result.unchanged.append(f"policy/{data.name}")
            continue
        action: Literal["create", "update"] = "create" if policy is None else "update"
        fields = [
            FieldChange(field=k, before=None if policy is None else getattr(policy, k), after=v)
            for k, v in changes.items()
        ]
        result.changes.append(
            EntryChange(kind="policy", key=data.name, action=action, changes=fields)
        )
    if prune:
        for name in sorted(set(existing) - {p.name for p in catalog.policies}):
            result.changes.append(EntryChange(kind="policy", key=name, action="delete", changes=[]))


def _refusal(plan: CatalogPlan, allow_breaking: bool) -> list[BreakingChange]:
    return [b for b in plan.breaking if not (allow_breaking and b.overridable)]


async def _put(
    session: AsyncSession,
    actor: Principal | str,
    change: EntryChange | None,
    data: C,
    create: Callable[[AsyncSession, Principal | str, C], Awaitable[object]],
    update: Callable[[AsyncSession, Principal | str, str, U], Awaitable[object]],
    update_model: type[U],
) -> None:
    """Create or update one tier or plan of the file, as the plan's `change` says (None: no
    change); an update sends every field of the file's entry but its key."""
    if change is None:
        return
    if change.action == "create":
        await create(session, actor, data)
    else:
        fields = update_model.model_validate(data.model_dump(exclude={"key"}))
        await update(session, actor, data.key, fields)


async def apply_catalog(
    session: AsyncSession,
    actor: Principal | str,
    catalog: CatalogFile,
    *,
    prune: bool = False,
    allow_breaking: bool = False,
) -> CatalogPlan:
    """Make the catalog match the file (idempotent); refuse what would break tenants.

    Without `prune`, tiers and plans missing from the file are left alone.
    """
    plan = await plan_catalog(session, catalog, prune=prune)
    refused = _refusal(plan, allow_breaking)
    if refused:
        count = len({t.id for b in refused for t in b.tenants})
        raise CatalogChangeBreaksTenants(
            f"The change would leave {count} tenant(s) outside their tier's rules or without "
            "their tier; nothing was applied.",
            extra={"breaking": [b.model_dump(mode="json") for b in refused]},
        )
    by_label = {c.label: c for c in plan.changes}
    for tier_data in catalog.tiers:
        change = by_label.get(f"tier/{tier_data.key}")
        await _put(
            session, actor, change, tier_data, service.create_tier, service.update_tier, TierUpdate
        )
    for plan_data in catalog.plans:
        change = by_label.get(f"plan/{plan_data.key}")
        await _put(
            session, actor, change, plan_data, service.create_plan, service.update_plan, PlanUpdate
        )
    for policy_data in catalog.policies:
        if f"policy/{policy_data.name}" in by_label:
            await policies.put_policy(session, actor, policy_data.name, policy_data)
    # Plans before tiers: a pruned tier may still carry pruned plans.
    deletes: dict[str, Callable[[AsyncSession, Principal | str, str], Awaitable[None]]] = {
        "policy": policies.delete_policy,
        "plan": service.delete_plan,
        "tier": service.delete_tier,
    }
    for kind, delete in deletes.items():
        for change in plan.changes:
            if change.action == "delete" and change.kind == kind:
                await delete(session, actor, change.key)
    for breaking in plan.breaking:
        await audit.record(
            session,
            actor=actor,
            action="catalog.breaking_change_allowed",
            target_type="tier",
            target_id=breaking.tier,
            after={
                "action": breaking.action,
                "affected_tenants": [t.model_dump(mode="json") for t in breaking.tenants],
            },
        )
    return plan
