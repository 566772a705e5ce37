"""`paybill stripe reconcile`: correct every tenant whose state differs from its Stripe subscription.

Webhooks can be missed (an endpoint down for longer than Stripe retries, a secret rolled wrong),
and the List Events API only reaches back 30 days (BILLING_AND_RELIABILITY.md R6). Listing the
subscriptions themselves has no such horizon, so this runs the webhook's own code path
(`apply_subscription`) on each one, as an authoritative read.
"""

from __future__ import annotations

from collections import Counter
from enum import StrEnum
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.billing import repository as billing_repo
from paybill_control_plane.billing import service
from paybill_control_plane.billing._context import BillingContext, make_reader
from paybill_control_plane.billing.desired_state import SubscriptionSnapshot
from paybill_control_plane.billing.stripe_reader import StripeSubscriptionReader
from paybill_control_plane.cli._runtime import connection_failure, database_url, run
from paybill_control_plane.config import Settings, get_settings
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.engine import make_engine, make_sessionmaker, transaction
from paybill_control_plane.errors import ControlPlaneError
from paybill_control_plane.models.enums import BillingEventStatus

stripe_app = typer.Typer(help="Stripe billing", no_args_is_help=True)


class ListStatus(StrEnum):
    all = "all"
    active = "active"
    trialing = "trialing"
    past_due = "past_due"
    unpaid = "unpaid"
    paused = "paused"
    canceled = "canceled"
    ended = "ended"
    incomplete = "incomplete"
    incomplete_expired = "incomplete_expired"


async def _reconcile_one(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    reader: StripeSubscriptionReader,
    snap: SubscriptionSnapshot,
) -> tuple[str, str]:
    """(kind, line): kind is corrected, unchanged, unbound or error."""
    ctx = BillingContext(settings, utcnow(), reader)
    head = f"{snap.id}  {snap.status:<18}"
    try:
        async with transaction(sessionmaker) as session:
            done = await service.reconcile_subscription(session, snap, ctx)
    except ControlPlaneError as exc:
        return "error", f"{head} not applied: {exc.detail}"
    except Exception as exc:  # one bad subscription does not stop the others
        if connection_failure(exc):
            raise  # …but a database out of reach stops them all, as one line (CliGroup)
        return "error", f"{head} not applied: {exc}"
    if done.tenant is None or done.applied is None:
        return "unbound", f"{head} no tenant is bound to it (skipped)"
    changes = done.applied.tenant_changes
    if done.applied.held:
        return "held", f"{head} tenant {done.tenant.slug}: unchanged, {done.applied.held}"
    if not changes:
        return "unchanged", f"{head} tenant {done.tenant.slug}: unchanged"
    return "corrected", f"{head} tenant {done.tenant.slug}: {', '.join(changes)}"


@stripe_app.command("reconcile")
def reconcile(
    status: Annotated[
        ListStatus, typer.Option(help="Which subscriptions to list from Stripe.")
    ] = ListStatus.all,
) -> None:
    """List subscriptions from Stripe and correct every tenant whose state differs."""
    settings = get_settings()
    reader = make_reader(settings)
    if reader is None:
        typer.secho(
            "PAYBILL_STRIPE_API_KEY is not set: reconcile reads the subscriptions from Stripe.",
            err=True,
            fg=typer.colors.RED,
        )
        raise typer.Exit(2)
    try:
        snapshots = list(reader.list_subscriptions(status.value))
    except Exception as exc:  # the Stripe client's errors: authentication, network
        typer.secho(f"could not list subscriptions from Stripe: {exc}", err=True, fg="red")
        raise typer.Exit(1) from exc
    url = database_url()

    async def apply_all() -> tuple[list[tuple[str, str]], str]:
        engine = make_engine(url, pool_size=2)
        try:
            sessionmaker = make_sessionmaker(engine)
            done = [await _reconcile_one(sessionmaker, settings, reader, s) for s in snapshots]
            async with transaction(sessionmaker) as session:
                return done, await _event_health(session)
        finally:
            await engine.dispose()

    results, health = run(apply_all)
    for _, line in results:
        typer.echo(line)
    counts = Counter(kind for kind, _ in results)
    typer.echo(
        f"{len(results)} subscriptions: {counts['corrected']} corrected, "
        f"{counts['unchanged']} unchanged, {counts['unbound']} without a tenant, "
        f"{counts['error']} not applied"
        + (f", {counts['held']} held by an operator's suspension" if counts["held"] else "")
    )
    typer.echo(health)


async def _event_health(session: AsyncSession) -> str:
    """One line on the stored webhook events: what failed, and how long the oldest waits."""
    counts, oldest_id, age = await billing_repo.event_health(session)
    line = "billing events: " + ", ".join(f"{n} {status}" for status, n in counts.items())
    if oldest_id is not None and age is not None:
        line += f"; oldest unprocessed {oldest_id}, waiting {age:.0f} s"
    if counts[BillingEventStatus.failed]:
        line += " — failed events need an operator: GET /v1/billing/events?status=failed"
    return line
