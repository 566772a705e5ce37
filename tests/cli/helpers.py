"""Driving `paybill` in-process, and reading what it wrote to the database."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select, text
from typer.testing import CliRunner, Result

from paybill_control_plane.cli._runtime import unit_of_work
from paybill_control_plane.cli.main import app
from paybill_control_plane.models.audit_event import AuditEvent


def paybill(
    database_url: str | None,
    *args: str,
    input: str | None = None,
    env: dict[str, str] | None = None,
) -> Result:
    """One `paybill` invocation with the environment an operator would set."""
    environ = {"PAYBILL_DATABASE_URL": database_url, **(env or {})}
    return CliRunner().invoke(app, list(args), env=environ, input=input)


def audit_events(database_url: str, target_id: str, action: str) -> list[dict[str, Any]]:
    async def read() -> list[dict[str, Any]]:
        async with unit_of_work(database_url) as session:
            rows = await session.scalars(
                select(AuditEvent)
                .where(AuditEvent.target_id == target_id, AuditEvent.action == action)
                .order_by(AuditEvent.seq)
            )
            return [
                {"actor": r.actor, "before": r.before, "after": r.after, "tenant_id": r.tenant_id}
                for r in rows
            ]

    return asyncio.run(read())


def execute(database_url: str, sql: str, **params: Any) -> None:
    """Test setup that no service offers (e.g. a run that failed)."""

    async def run() -> None:
        async with unit_of_work(database_url) as session:
            await session.execute(text(sql), params)

    asyncio.run(run())
