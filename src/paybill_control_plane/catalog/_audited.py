"""The audited shape every catalog change shares: validate a patch, then add, change or remove
the row and record `<kind>.created|updated|deleted` in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.errors import Unprocessable
from paybill_control_plane.kit.problems import validation_issues
from paybill_control_plane.models.plan import Plan
from paybill_control_plane.models.policy import Policy
from paybill_control_plane.models.tier import Tier

M = TypeVar("M", bound=BaseModel)
Row = Tier | Plan | Policy
Shown = Callable[[Any], BaseModel]


def patched(model: type[M], kind: str, before: dict[str, Any], patch: BaseModel, **fixed: Any) -> M:
    """`before` with the patch's set fields applied, validated as `model` (422 names the errors)."""
    merged = {k: v for k, v in before.items() if k in model.model_fields}
    merged.update(patch.model_dump(mode="json", exclude_unset=True))
    try:
        return model.model_validate({**merged, **fixed})
    except ValidationError as exc:
        raise Unprocessable(
            f"The {kind} would not be valid after this change; see `errors`.",
            extra={"errors": validation_issues(exc)},
        ) from exc


async def add(
    session: AsyncSession, actor: Principal | str, kind: str, key: str, row: Row, show: Shown
) -> None:
    """Insert a new row and audit `<kind>.created`."""
    session.add(row)
    await _flushed(session, actor, f"{kind}.created", kind, key, None, row, show)


async def change(
    session: AsyncSession,
    actor: Principal | str,
    kind: str,
    key: str,
    row: Row,
    values: dict[str, Any],
    show: Shown,
) -> None:
    """Set `values` on the row, bump its version and audit `<kind>.updated`; nothing when no value
    differs."""
    if all(getattr(row, name) == value for name, value in values.items()):
        return
    before = show(row).model_dump(mode="json")
    for name, value in values.items():
        setattr(row, name, value)
    row.version += 1
    await _flushed(session, actor, f"{kind}.updated", kind, key, before, row, show)


async def remove(
    session: AsyncSession, actor: Principal | str, kind: str, key: str, row: Row, show: Shown
) -> None:
    """Delete the row and audit `<kind>.deleted` with what it was."""
    before = show(row).model_dump(mode="json")
    await session.delete(row)
    await _flushed(session, actor, f"{kind}.deleted", kind, key, before, None, show)


async def _flushed(
    session: AsyncSession,
    actor: Principal | str,
    action: str,
    kind: str,
    key: str,
    before: dict[str, Any] | None,
    row: Row | None,
    show: Shown,
) -> None:
    """Flush the change, then audit it (`row`, if it still exists, as the API shows it once
    flushed: with its defaults filled in)."""
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action=action,
        target_type=kind,
        target_id=key,
        before=before,
        after=show(row).model_dump(mode="json") if row is not None else None,
    )
