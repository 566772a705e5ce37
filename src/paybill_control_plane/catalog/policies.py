"""Catalog policies: the rules a run's saved plan is checked against (provisioning/policy_gate.py).

They are catalog data, like tiers and plans: applied from the catalog file (`policies:`) or one
at a time through /v1/policies, every change audited. The expression is parsed on the way in
(`policy_schemas.PolicyFields`), so a bad expression never reaches a run.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.catalog import _audited
from paybill_control_plane.catalog import repository as repo
from paybill_control_plane.catalog.policy_schemas import PolicyFields, policy_row_fields
from paybill_control_plane.catalog.views import policy_out
from paybill_control_plane.models.policy import Policy


def changed_fields(policy: Policy | None, data: PolicyFields) -> dict[str, Any]:
    """The columns `data` would change on `policy` (all of them for a new one)."""
    values = policy_row_fields(data)
    if policy is None:
        return values
    return {k: v for k, v in values.items() if getattr(policy, k) != v}


async def put_policy(
    session: AsyncSession, actor: Principal | str, name: str, data: PolicyFields
) -> Policy:
    """Create or replace the policy `name` (idempotent: an identical one is left alone)."""
    policy = await repo.find_policy(session, name, for_update=True)
    changes = changed_fields(policy, data)
    if policy is not None and not changes:
        return policy
    before = None if policy is None else policy_out(policy).model_dump(mode="json")
    if policy is None:
        policy = Policy(name=name, version=1, **changes)
        session.add(policy)
    else:
        for key, value in changes.items():
            setattr(policy, key, value)
        policy.version += 1
    await session.flush()
    await session.refresh(policy)
    await audit.record(
        session,
        actor=actor,
        action="policy.created" if before is None else "policy.updated",
        target_type="policy",
        target_id=name,
        before=before,
        after=policy_out(policy).model_dump(mode="json"),
    )
    return policy


async def delete_policy(session: AsyncSession, actor: Principal | str, name: str) -> None:
    """Remove a policy; runs already held by it keep their approval requests."""
    policy = await repo.get_policy(session, name)
    await _audited.remove(session, actor, "policy", name, policy, policy_out)
