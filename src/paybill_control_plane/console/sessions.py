"""Console sessions: an API key exchanged for a random cookie token, stored hashed.

Each request joins the session with its key, so a revoked key ends its sessions at once; the
idle timeout and the absolute lifetime are checked in the same statement.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.config import Settings
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.models.api_key import ApiKey
from paybill_control_plane.models.console_session import ConsoleSession
from paybill_control_plane.models.enums import Role

# last_seen_at is written at most this often per session: the idle timeout is minutes long.
_TOUCH_EVERY = timedelta(seconds=15)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token_for(token: str) -> str:
    """The session's CSRF token: derived from the cookie token, so nothing more is stored."""
    return hmac.new(token.encode(), b"paybill-console-csrf", hashlib.sha256).hexdigest()


def csrf_matches(token: str, sent: str | None) -> bool:
    return sent is not None and hmac.compare_digest(csrf_token_for(token), sent)


@dataclass(frozen=True)
class SignedIn:
    session_id: uuid.UUID
    principal: Principal
    csrf_token: str


def _cutoffs(settings: Settings, now: datetime) -> tuple[datetime, datetime]:
    return (
        now - timedelta(seconds=settings.console_idle_timeout_seconds),
        now - timedelta(seconds=settings.console_session_max_seconds),
    )


async def open_session(
    session: AsyncSession, principal: Principal, settings: Settings, user_agent: str | None
) -> str:
    """Start a session for an authenticated key; returns the cookie token (never stored)."""
    assert principal.key_id is not None
    now = utcnow()
    idle, oldest = _cutoffs(settings, now)
    # Expired sessions of any key go as a new one starts: the table stays as small as the
    # number of people signed in.
    await session.execute(
        delete(ConsoleSession).where(
            or_(ConsoleSession.last_seen_at < idle, ConsoleSession.created_at < oldest)
        )
    )
    token = secrets.token_urlsafe(32)
    row = ConsoleSession(
        id=uuid.uuid4(),
        token_hash=token_hash(token),
        api_key_id=principal.key_id,
        created_at=now,
        last_seen_at=now,
        user_agent=(user_agent or "")[:200] or None,
    )
    session.add(row)
    await session.flush()
    await audit.record(
        session,
        actor=principal,
        action="console.signed_in",
        target_type="console_session",
        target_id=row.id,
        tenant_id=principal.tenant_id,
    )
    return token


async def resolve(session: AsyncSession, token: str, settings: Settings) -> SignedIn | None:
    """The live session behind a cookie token, or None (unknown, idle, too old, key revoked)."""
    now = utcnow()
    idle, oldest = _cutoffs(settings, now)
    stmt = (
        select(
            ConsoleSession.id,
            ConsoleSession.last_seen_at,
            ApiKey.id,
            ApiKey.name,
            ApiKey.role,
            ApiKey.tenant_id,
        )
        .join(ApiKey, ApiKey.id == ConsoleSession.api_key_id)
        .where(
            ConsoleSession.token_hash == token_hash(token),
            ApiKey.revoked_at.is_(None),
            ConsoleSession.last_seen_at > idle,
            ConsoleSession.created_at > oldest,
        )
    )
    row = (await session.execute(stmt)).first()
    if row is None:
        return None
    session_id, last_seen, key_id, name, role, tenant_id = row
    if now - last_seen > _TOUCH_EVERY:
        await session.execute(
            update(ConsoleSession).where(ConsoleSession.id == session_id).values(last_seen_at=now)
        )
    principal = Principal(key_id=key_id, name=name, role=Role(role), tenant_id=tenant_id)
    return SignedIn(session_id, principal, csrf_token_for(token))


async def close_session(session: AsyncSession, signed_in: SignedIn) -> None:
    """Sign out: the session row goes, so the cookie is worthless even if kept."""
    await session.execute(delete(ConsoleSession).where(ConsoleSession.id == signed_in.session_id))
    await audit.record(
        session,
        actor=signed_in.principal,
        action="console.signed_out",
        target_type="console_session",
        target_id=signed_in.session_id,
        tenant_id=signed_in.principal.tenant_id,
    )
