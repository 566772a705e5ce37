"""Per-request values that audit records and logs need, without threading them through calls."""

from __future__ import annotations

from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("paybill_request_id", default=None)
# Set where known (a tenant-scoped key, a job about one tenant, a run) so log lines carry them.
tenant_id_var: ContextVar[str | None] = ContextVar("paybill_tenant_id", default=None)
run_id_var: ContextVar[str | None] = ContextVar("paybill_run_id", default=None)


def current_request_id() -> str | None:
    return request_id_var.get()
