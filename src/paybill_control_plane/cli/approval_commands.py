"""`paybill approvals list` and `paybill runs approve|reject`: the same services as /v1/approvals.

The CLI has no API key, so approving and rejecting act for a named operator, `cli:<name>`:
`--as NAME`, else `$PAYBILL_OPERATOR`, else the login name of the OS user. The run's requester
may not approve it; a run the CLI itself caused is requested by the anonymous `cli`, so no CLI
operator may approve it (docs/policies-and-approvals.md, "From the CLI").
"""

from __future__ import annotations

import getpass
import os
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.auth.principal import Principal, cli_operator
from paybill_control_plane.cli._output import (
    CursorOption,
    JsonOption,
    LimitOption,
    print_outcome,
    print_page,
)
from paybill_control_plane.cli._runtime import EXIT_BAD_INPUT, fail, run, unit_of_work
from paybill_control_plane.kit.pagination import next_cursor_of
from paybill_control_plane.lifecycle import runs as lifecycle_runs
from paybill_control_plane.models.approval import Approval
from paybill_control_plane.models.enums import ApprovalStatus
from paybill_control_plane.models.run import Run
from paybill_control_plane.provisioning import approvals, views
from paybill_control_plane.provisioning import repository as repo
from paybill_control_plane.provisioning.approval_schemas import ApprovalOut

approvals_app = typer.Typer(help="Runs held for approval by policies", no_args_is_help=True)
RunId = Annotated[uuid.UUID, typer.Argument(help="The run's id")]
OperatorOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="The operator deciding (recorded as cli:<name>); default $PAYBILL_OPERATOR, "
        "else the OS user.",
    ),
]

COLUMNS = (
    ("RUN", lambda a: a.run_id),
    ("STATUS", lambda a: a.status),
    ("APPROVALS", lambda a: f"{len(a.approvers)}/{a.required}"),
    ("REQUESTED_BY", lambda a: a.requested_by),
    ("EXPIRES", lambda a: a.expires_at.strftime("%Y-%m-%d %H:%M:%S")),
    ("POLICIES", lambda a: ",".join(p.name for p in a.policies) or "-"),
)


def operator(name: str | None) -> Principal:
    """The principal the CLI acts as for a decision (see the module's docstring)."""
    chosen = (name or os.environ.get("PAYBILL_OPERATOR") or "").strip()
    if not chosen:
        try:
            chosen = getpass.getuser()
        except (KeyError, OSError):
            chosen = ""
    if not chosen or len(chosen) > 100 or any(c.isspace() for c in chosen):
        raise fail("name the operator with --as NAME (no spaces, at most 100 characters)", 2)
    return cli_operator(chosen)


@approvals_app.command("list")
def approvals_list(
    status: Annotated[
        ApprovalStatus | None, typer.Option(help="Only this status, e.g. pending")
    ] = None,
    limit: LimitOption = 50,
    cursor: CursorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Approval requests, newest first (as GET /v1/approvals)."""

    async def fetch() -> tuple[list[ApprovalOut], str | None]:
        async with unit_of_work() as session:
            rows, more = await repo.list_approvals(session, status, limit=limit, cursor=cursor)
            return [views.approval_out(a) for a in rows], next_cursor_of(rows, more)

    items, next_cursor = run(fetch)
    print_page(items, next_cursor, COLUMNS, as_json=as_json, empty="No approvals match.")


def _decide(
    principal: Principal,
    run_id: uuid.UUID,
    act: Callable[[AsyncSession, Run], Awaitable[Approval]],
) -> ApprovalOut:
    """Lock the run, record the operator's decision on its approval, and present it."""

    async def decide() -> ApprovalOut:
        async with unit_of_work() as session:
            found = await repo.get_run(session, principal, run_id, for_update=True)
            return views.approval_out(await act(session, found))

    return run(decide)


def approve_command(
    run_id: RunId,
    comment: Annotated[str | None, typer.Option(help="Recorded with the approval")] = None,
    as_operator: OperatorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Approve a run's held plan (as POST /v1/runs/{id}/approve); the last approval resumes it."""
    principal = operator(as_operator)
    if comment is not None and len(comment) > 2000:
        raise fail("--comment is at most 2000 characters", EXIT_BAD_INPUT)

    out = _decide(principal, run_id, lambda s, r: approvals.approve(s, principal, r, comment))
    resumed = "; the run is queued" if out.status == ApprovalStatus.approved else ""
    print_outcome(
        out,
        f"run {out.run_id} approved by {principal.actor} "
        f"({len(out.approvers)}/{out.required}){resumed}",
        as_json=as_json,
    )


def reject_command(
    run_id: RunId,
    reason: Annotated[str, typer.Option(help="Why (recorded; the run fails with it)")],
    as_operator: OperatorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reject a run's held plan (as POST /v1/runs/{id}/reject): the run and its tenants fail."""
    principal = operator(as_operator)
    if not reason.strip() or len(reason) > 2000:
        raise fail("--reason must be 1 to 2000 characters", EXIT_BAD_INPUT)

    out = _decide(
        principal, run_id, lambda s, r: lifecycle_runs.reject_run(s, principal, r, reason)
    )
    print_outcome(out, f"run {out.run_id} rejected by {principal.actor}", as_json=as_json)
