"""The hash chain: how a row's hash is computed from its predecessor's, and how rows are appended."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session, SessionTransaction

from paybill_control_plane.kit.canonical import canonical_json, sha256_hex
from paybill_control_plane.models.audit_event import AuditEvent

GENESIS_HASH = "0" * 64


def row_content(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": str(event.id),
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "actor": event.actor,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "tenant_id": str(event.tenant_id) if event.tenant_id else None,
        "before": event.before,
        "after": event.after,
        "request_id": event.request_id,
    }


def compute_row_hash(prev_hash: str, event: AuditEvent) -> str:
    return sha256_hex(prev_hash + canonical_json(row_content(event)))


# --- Appending: events wait in the session and join the chain as the transaction commits. ---
#
# The chain is serialised by one advisory lock (chain order = commit order). Taking it at the
# first `record()` held it for the whole request, so every write in the system ran one at a
# time. The events are queued instead, and `before_commit` appends them as the transaction's
# last statements: the lock is held from the append to the COMMIT, and concurrent writers
# overlap everywhere else.

_CHAIN_LOCK_SQL = text("SELECT pg_advisory_xact_lock(7311, 1)")
_PENDING = "paybill_audit_pending"
_SAVEPOINT_MARKS = "paybill_audit_savepoints"


# Domains that derive rows from audited changes (the outbound-events outbox, events/outbox.py)
# register here, so that audit imports none of them. A hook runs after the queued events are
# linked and written, with the chain lock held: what it writes commits with them, or not at all,
# in chain (commit) order.
CommitHook = Callable[[Session, list[AuditEvent]], None]
_COMMIT_HOOKS: list[CommitHook] = []


def register_commit_hook(hook: CommitHook) -> None:
    if hook not in _COMMIT_HOOKS:
        _COMMIT_HOOKS.append(hook)


def queue_event(session: Session, row: AuditEvent) -> None:
    session.info.setdefault(_PENDING, []).append(row)


def pending_events(session: Session) -> list[AuditEvent]:
    pending: list[AuditEvent] = session.info.get(_PENDING, [])
    return pending


def append_pending(session: Session) -> None:
    """Link the queued events to the chain's head and insert them (chain lock held to COMMIT)."""
    events: list[AuditEvent] = session.info.pop(_PENDING, [])
    session.info.pop(_SAVEPOINT_MARKS, None)
    if not events:
        return
    session.flush()  # the audited changes themselves are written before the lock is taken
    session.execute(_CHAIN_LOCK_SQL)
    prev = session.scalar(select(AuditEvent.row_hash).order_by(AuditEvent.seq.desc()).limit(1))
    prev = prev or GENESIS_HASH
    for row in events:
        row.prev_hash = prev
        row.row_hash = compute_row_hash(prev, row)
        prev = row.row_hash
    session.add_all(events)
    session.flush()
    for hook in _COMMIT_HOOKS:
        hook(session, events)


@event.listens_for(Session, "before_commit")
def _append_before_commit(session: Session) -> None:
    # Also fires for a savepoint's release, and a root commit fires it while savepoints are still
    # open (they are released after the hook: `SessionTransaction._prepare_impl`), so this hook
    # cannot tell the two apart. Appending in both cases never loses an event: rows appended
    # inside a savepoint live or die with it, as the audited changes do. The cost is only that a
    # savepoint released while events are queued takes the chain lock a little earlier.
    append_pending(session)


@event.listens_for(Session, "after_transaction_create")
def _mark_savepoint(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        marks = session.info.setdefault(_SAVEPOINT_MARKS, {})
        marks[id(transaction)] = len(pending_events(session))


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    # Events recorded inside a rolled-back savepoint are gone with it, as its rows are.
    if previous_transaction.nested:
        mark = session.info.get(_SAVEPOINT_MARKS, {}).pop(id(previous_transaction), None)
        if mark is not None and _PENDING in session.info:
            del session.info[_PENDING][mark:]
    elif previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_SAVEPOINT_MARKS, None)
