"""How the run executor reports what a finished run means for its tenants.

Provisioning sits below the lifecycle layer, which alone changes a tenant's status: the executor
calls this interface, and the lifecycle layer's implementation (`lifecycle.runs.TenantRunOutcomes`)
is handed to it where the worker is built (`worker/app.py`). A callback rather than a follow-up
job: the tenant settles in the same transaction that records the run's end, so no window shows a
finished run with a tenant still `provisioning`, and onboarding pays no extra queue round trip.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.config import Settings
from paybill_control_plane.models.tenant import Tenant


class RunOutcomes(Protocol):
    async def run_succeeded(
        self, session: AsyncSession, tenant: Tenant, settings: Settings, actor: Principal | str
    ) -> None:
        """A run touching `tenant` succeeded (or had nothing to do): settle it if converged."""

    async def run_failed(
        self, session: AsyncSession, tenant: Tenant, actor: Principal | str, reason: str
    ) -> None:
        """A run touching `tenant` failed for good (or gave up waiting)."""
