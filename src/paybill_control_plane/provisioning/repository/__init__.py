"""All provisioning SQL, one module a subject; every name is importable from here.

* ``runs``: runs and their log lines (tenant-scoped for tenant-bound keys), the executor's lock;
* ``stacks``: stacks and pools, placement's pool search and its group lock;
* ``inputs``: the rows a stack is planned from (tenants, migrations, releases, snapshots, targets);
* ``approvals``: approval requests and the saved plans they bind.
"""

from __future__ import annotations

from paybill_control_plane.provisioning.repository.approvals import (
    OPEN_APPROVALS,
    approval_of_run,
    fill_plan,
    find_plan,
    list_approvals,
    newest_plan,
    open_approvals_for_update,
    pending_approval_for_update,
    supersede_plans,
)
from paybill_control_plane.provisioning.repository.inputs import (
    BOTH_SIDES,
    PRESENT,
    find_cloud_target,
    find_release,
    find_tenant,
    last_snapshot_time,
    migrations_of,
    pool_members,
    release_id,
    tenants_by_ids,
    tenants_of_run,
)
from paybill_control_plane.provisioning.repository.runs import (
    RunNotFound,
    find_run,
    get_run,
    list_runs,
    log_lines,
    queued_run_for_update,
    runs_of_tenant,
    runs_triggered_by,
)
from paybill_control_plane.provisioning.repository.stacks import (
    PoolNotFound,
    StackNotFound,
    find_pool,
    find_stack,
    get_pool,
    get_stack,
    list_pools,
    list_stacks,
    lock_pool_group,
    member_count,
    pool_details,
    pools_of_group,
    stack_of_pool,
    stack_owner,
    tenant_stack,
    tenant_stacks,
)

__all__ = [
    "BOTH_SIDES",
    "OPEN_APPROVALS",
    "PRESENT",
    "PoolNotFound",
    "RunNotFound",
    "StackNotFound",
    "approval_of_run",
    "fill_plan",
    "find_cloud_target",
    "find_plan",
    "find_pool",
    "find_release",
    "find_run",
    "find_stack",
    "find_tenant",
    "get_pool",
    "get_run",
    "get_stack",
    "last_snapshot_time",
    "list_approvals",
    "list_pools",
    "list_runs",
    "list_stacks",
    "lock_pool_group",
    "log_lines",
    "member_count",
    "migrations_of",
    "newest_plan",
    "open_approvals_for_update",
    "pending_approval_for_update",
    "pool_details",
    "pool_members",
    "pools_of_group",
    "queued_run_for_update",
    "release_id",
    "runs_of_tenant",
    "runs_triggered_by",
    "stack_of_pool",
    "stack_owner",
    "supersede_plans",
    "tenant_stack",
    "tenant_stacks",
    "tenants_by_ids",
    "tenants_of_run",
]
