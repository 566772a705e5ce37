"""`paybill catalog apply`: tiers and plans as code, with a diff and a guard for tenants."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.catalog.apply import (
    BreakingChange,
    CatalogChangeBreaksTenants,
    CatalogPlan,
    apply_catalog,
    plan_catalog,
)
from paybill_control_plane.catalog.files import CatalogFileError, load_catalog
from paybill_control_plane.cli._output import JsonOption, print_json
from paybill_control_plane.cli._runtime import EXIT_BAD_INPUT, EXIT_FAILED, run, unit_of_work
from paybill_control_plane.resources import example_catalog

catalog_app = typer.Typer(help="Tiers and plans as code", no_args_is_help=True)
_SIGN = {"create": "+", "update": "~", "delete": "-"}


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _print_plan(plan: CatalogPlan, *, done: bool) -> None:
    for change in plan.changes:
        typer.echo(f"{_SIGN[change.action]} {change.label} ({change.action})")
        if change.action == "update":
            for field in change.changes:
                typer.echo(f"    {field.field}: {_value(field.before)} -> {_value(field.after)}")
    counts = {a: sum(c.action == a for c in plan.changes) for a in _SIGN}
    if done:
        typer.echo(
            f"{counts['create']} created, {counts['update']} updated, "
            f"{counts['delete']} deleted, {len(plan.unchanged)} unchanged"
        )
    else:
        typer.echo(
            f"{counts['create']} to create, {counts['update']} to update, "
            f"{counts['delete']} to delete, {len(plan.unchanged)} unchanged"
        )


def _print_breaking(breaking: list[BreakingChange], *, allowed: bool) -> None:
    for change in breaking:
        what = "is deleted" if change.action == "delete" else "changes"
        head = "allowed" if allowed and change.overridable else "refused"
        typer.echo(
            f"{head}: tier/{change.tier} {what}; {len(change.tenants)} tenant(s) affected:",
            err=True,
        )
        for tenant in change.tenants:
            typer.echo(
                f"    {tenant.slug}  {tenant.id}  {tenant.status}  {'; '.join(tenant.reasons)}",
                err=True,
            )
    if any(c.overridable for c in breaking) and not allowed:
        typer.echo("Pass --allow-breaking to apply the rule changes anyway (audited).", err=True)
    if any(not c.overridable for c in breaking):
        typer.echo("A tier is deleted only once no tenant is on it; move them first.", err=True)


@catalog_app.command("apply")
def catalog_apply(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The catalog YAML")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the diff; write nothing")
    ] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="Delete tiers and plans absent from the file")
    ] = False,
    allow_breaking: Annotated[
        bool,
        typer.Option(
            "--allow-breaking",
            help="Apply rule changes that leave tenants outside their tier's rules (audited)",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Make tiers and plans match a YAML file (idempotent).

    Refused, with the affected tenants listed, when it would leave tenants outside their tier's
    clouds, regions or isolation models, or delete a tier tenants are on.
    """
    try:
        catalog = load_catalog(path)
    except CatalogFileError as exc:
        for issue in exc.issues:
            typer.echo(f"error: {issue}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None

    async def diff() -> CatalogPlan:
        async with unit_of_work() as session:
            return await plan_catalog(session, catalog, prune=prune)

    async def apply() -> CatalogPlan:
        async with unit_of_work() as session:
            return await apply_catalog(
                session, CLI, catalog, prune=prune, allow_breaking=allow_breaking
            )

    if dry_run:
        plan = run(diff)
        refused = [b for b in plan.breaking if not (allow_breaking and b.overridable)]
        if as_json:
            print_json(plan)
        else:
            _print_plan(plan, done=False)
            _print_breaking(plan.breaking, allowed=allow_breaking)
            typer.echo("Dry run: nothing was written.")
        raise typer.Exit(EXIT_FAILED if refused else 0)
    try:
        plan = run(apply)
    except CatalogChangeBreaksTenants as exc:
        breaking = [BreakingChange.model_validate(b) for b in exc.extra["breaking"]]
        if as_json:
            print_json(exc.to_problem())
        _print_breaking(breaking, allowed=allow_breaking)
        typer.echo(f"error: catalog not applied: {exc.detail}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    if as_json:
        print_json(plan)
        return
    _print_breaking(plan.breaking, allowed=True)
    if plan.changed:
        _print_plan(plan, done=True)
    else:
        typer.echo(
            f"No changes: the catalog already matches {path} ({len(plan.unchanged)} entries)."
        )


@catalog_app.command("example")
def catalog_example() -> None:
    """Print the example catalog shipped with the package (redirect it to a file to edit it)."""
    typer.echo(example_catalog().read_text(), nl=False)
