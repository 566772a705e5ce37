"""The data side of a migration on `local`: the source's and target's Postgres objects, the bulk
copy, the write freeze at cutover and the copy back at rollback (datatier/model_copy.py copies
whole, datatier/delta_copy.py copies what datatier/change_capture.py logged since).

Each step is idempotent: the copy replaces the target's schema whole, blocking and allowing logins
are re-assertable, and switching the tenant's `tenant_databases` row goes through the data tier's
own `ensure_tenant_database` (which flips the row to the named objects and allows the login).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from typing import Any

from paybill_control_plane.datatier import change_capture as cc
from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier.delta_copy import apply_changes
from paybill_control_plane.datatier.fingerprint import TableFingerprint, fingerprints_from_json
from paybill_control_plane.datatier.model_copy import copy_tenant_data, data_size, schema_of
from paybill_control_plane.datatier.names import TenantNames
from paybill_control_plane.datatier.provision import DataTierContext, ensure_tenant_database
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.models.enums import IsolationModel
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_migration import TenantMigration

ACTOR = "worker"
_SESSION_WAIT_POLLS = 500  # x 20 ms
NOT_LOCAL = "not done: the data phases copy `local` tenants' data only (a cloud's database moves with its module)"


def has_local_data(tenant: Tenant) -> bool:
    """Whether the tenant keeps its data on the `local` data server."""
    return tenant.cloud == "local"


@dataclass(frozen=True, slots=True)
class Side:
    model: IsolationModel
    pool_id: uuid.UUID | None
    names: TenantNames
    target: DatabaseTarget


def _side(ctx: DataTierContext, m: TenantMigration, which: str) -> Side:
    model = IsolationModel(getattr(m, f"{which}_isolation"))
    pool = getattr(m, f"{which}_pool_id") if model is IsolationModel.pooled else None
    names = ctx.server.names(model, m.tenant_id, pool)
    bridge_pool = getattr(m, f"{which}_pool_id") if model is IsolationModel.bridge else pool
    return Side(model, bridge_pool, names, ctx.server.target(names))


def source(ctx: DataTierContext, m: TenantMigration) -> Side:
    return _side(ctx, m, "source")


def target(ctx: DataTierContext, m: TenantMigration) -> Side:
    return _side(ctx, m, "target")


def _limit(ctx: DataTierContext, side: Side) -> int | None:
    return ctx.settings.silo_connection_limit if side.model is IsolationModel.silo else None


async def _copy(
    ctx: DataTierContext, m: TenantMigration, src: Side, dst: Side, label: str
) -> dict[str, Any]:
    await pg.ensure_tenant_objects(
        ctx.server.admin_dsn, dst.names, connection_limit=_limit(ctx, dst)
    )
    work = ctx.settings.data_dir / "migrations" / str(m.id) / label
    result = await copy_tenant_data(src.target, dst.target, dst.names.owner, work)
    return result.to_json()


async def bulk_copy(ctx: DataTierContext, m: TenantMigration) -> dict[str, Any]:
    """The copy phase: the target's logins stay blocked (no one writes there before cutover),
    the source's change capture starts (before the dump: every later write is logged), then the
    source's data is copied over the target and verified. The source keeps serving."""
    dst = target(ctx, m)
    await pg.ensure_tenant_objects(
        ctx.server.admin_dsn, dst.names, connection_limit=_limit(ctx, dst)
    )
    await pg.block_logins(ctx.server.admin_dsn, dst.names)
    tables = await cc.start_capture(_in_schema(source(ctx, m)))
    copied = await _copy(ctx, m, source(ctx, m), dst, "copy")
    # The target's own capture, ready for a copy back after cutover (the freeze's delta goes in
    # with triggers off, so it logs only the application's writes once the target serves).
    await cc.start_capture(_in_schema(dst))
    return {**copied, "captured_tables": tables}


def _in_schema(side: Side) -> DatabaseTarget:
    """The side's data as a schema (a silo's or bridge's is `public`)."""
    return DatabaseTarget(side.target.admin_dsn, side.target.database, schema_of(side.target))


async def _sessions_gone(ctx: DataTierContext, side: Side) -> None:
    """Wait until the side's ended sessions have exited (pg_terminate_backend only signals): a
    transaction of theirs could otherwise still commit after the freeze read the log."""
    async with pg.connect(ctx.server.admin_dsn) as conn:
        for _ in range(_SESSION_WAIT_POLLS):
            cur = await conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = ANY(%s)",
                (list(side.names.logins),),
            )
            row = await cur.fetchone()
            if row is None or row[0] == 0:
                return
            await asyncio.sleep(0.02)
    raise RuntimeError("the source's sessions did not end after their termination")


async def _freeze_copy(
    ctx: DataTierContext, m: TenantMigration, src: Side, dst: Side, label: str,
    baseline: dict[str, TableFingerprint], switched_before: bool, capture_on_target: bool,
) -> dict[str, Any]:  # fmt: skip
    """Only the changes since the bulk copy (change capture), verified; the whole data again when
    the capture cannot be used (none, DDL since) or the target may have been written (its logins
    were allowed: a previous attempt switched, or credentials were asked meanwhile)."""
    try:
        if switched_before:
            raise cc.CaptureUnusable("the target's login was allowed before this freeze")
        done = await apply_changes(_in_schema(src), _in_schema(dst), baseline)
        return done.to_json()
    except cc.CaptureUnusable as why:
        whole = await _copy(ctx, m, src, dst, label)
        if capture_on_target:  # the copy replaced the target's tables and their triggers
            await cc.start_capture(_in_schema(dst))
        return {**whole, "mode": "whole", "reason": str(why)}


async def freeze_and_switch(
    ctx: DataTierContext, m: TenantMigration, src: Side, dst: Side, label: str, *,
    baseline: dict[str, TableFingerprint], capture_on_target: bool,
) -> dict[str, Any]:  # fmt: skip
    """The write freeze: the source's logins are blocked and their sessions ended, what changed
    since the bulk copy is copied and verified, and the tenant's connection details become the
    target's, whose login is allowed. After the freeze the source's capture is dropped. Returns
    the measured freeze and its parts."""
    admin = ctx.server.admin_dsn
    started = time.perf_counter()
    switched_before = any([await pg.login_enabled(admin, r) for r in dst.names.logins])
    await pg.block_logins(admin, dst.names)  # re-asserted: no one writes the target yet
    ended = await pg.block_logins(admin, src.names)
    await _sessions_gone(ctx, src)
    blocked = time.perf_counter()
    copied = await _freeze_copy(
        ctx, m, src, dst, label, baseline, switched_before, capture_on_target
    )
    copy_done = time.perf_counter()
    row = await ensure_tenant_database(
        ctx, m.tenant_id, dst.model, dst.pool_id, suspended=False, actor=ACTOR
    )
    done = time.perf_counter()
    await cc.stop_capture(_in_schema(src))  # frozen, and it will not serve again from its log
    return {
        "write_freeze_ms": int((done - started) * 1000),
        "freeze_breakdown_ms": {
            "block_and_end_sessions": int((blocked - started) * 1000),
            "copy_and_verify": int((copy_done - blocked) * 1000),
            "switch_and_allow_login": int((done - copy_done) * 1000),
        },
        "sessions_ended": ended,
        "delta": copied.get("mode", "whole"),
        "copy": copied,
        "database": row.database,
        "schema": row.schema,
        "username": row.username,
    }


def _baseline(m: TenantMigration, phase: str, *path: str) -> dict[str, TableFingerprint]:
    """The verified fingerprints a phase recorded (the target equals the source there)."""
    found = [p for p in m.phases if p["name"] == phase and p.get("status") == "succeeded"]
    detail: Any = found[-1].get("detail") if found else None
    for key in path:
        detail = detail.get(key) if isinstance(detail, dict) else None
    return fingerprints_from_json(detail) if isinstance(detail, dict) else {}


async def cutover(ctx: DataTierContext, m: TenantMigration) -> dict[str, Any]:
    return await freeze_and_switch(
        ctx, m, source(ctx, m), target(ctx, m), "cutover",
        baseline=_baseline(m, "copy", "tables"), capture_on_target=True,
    )  # fmt: skip


async def copy_back(ctx: DataTierContext, m: TenantMigration) -> dict[str, Any]:
    """Rollback after cutover: the writes made on the target (its capture since cutover) come
    back to the source."""
    return await freeze_and_switch(
        ctx, m, target(ctx, m), source(ctx, m), "rollback",
        baseline=_baseline(m, "cutover", "copy", "tables"), capture_on_target=False,
    )  # fmt: skip


async def release_captures(ctx: DataTierContext, m: TenantMigration) -> None:
    """Both sides' change captures are dropped (at decommission and at the end of a rollback;
    idempotent, a side whose database is gone is fine)."""
    for side in (source(ctx, m), target(ctx, m)):
        await cc.stop_capture(_in_schema(side))


async def estimated_bytes(ctx: DataTierContext, m_source: DatabaseTarget) -> int:
    return await data_size(m_source)
