"""Webhook endpoint rules: creation with a one-time secret, rotation, changes, redelivery."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.config import Settings
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.errors import Conflict, Unprocessable
from paybill_control_plane.events import repository as repo
from paybill_control_plane.events import signing
from paybill_control_plane.events._jobs import defer_delivery
from paybill_control_plane.events.schemas import (
    WebhookEndpointCreate,
    WebhookEndpointOut,
    WebhookEndpointUpdate,
)
from paybill_control_plane.kit.etag import check_if_match
from paybill_control_plane.kit.net_guard import EgressPolicy, EgressRefused, check_url
from paybill_control_plane.kit.secret_key import required_secret_key
from paybill_control_plane.models.enums import WebhookDeliveryStatus
from paybill_control_plane.models.webhook import WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

URL_REFUSED = (
    "url is not allowed: it must be an https URL whose host resolves only to public addresses "
    "(plain http and private addresses are allowed only for the hosts an operator lists in "
    "PAYBILL_ALLOW_INSECURE_ENDPOINT_HOSTS)."
)


class InvalidWebhookUrl(Unprocessable):
    type_slug = "invalid-webhook-url"
    title = "The webhook URL is not allowed"


class SigningKeyNotConfigured(Conflict):
    type_slug = "secret-key-not-configured"
    title = "Signing secrets cannot be stored or read"


def egress_policy(settings: Settings) -> EgressPolicy:
    """The cloud targets' SSRF rules (kit/net_guard.py), with the same operator opt-ins."""
    return EgressPolicy.of(settings.allow_insecure_endpoint_hosts)


def secret_key(settings: Settings) -> str:
    return required_secret_key(settings, SigningKeyNotConfigured, "webhook signing secrets")


async def check_destination(url: str, settings: Settings) -> None:
    """422 when the URL is refused by the egress guard; why goes to the log only."""
    try:
        # DNS is consulted: off the event loop.
        await asyncio.to_thread(check_url, url, egress_policy(settings))
    except EgressRefused as exc:
        log.info("webhook url refused: %s", exc)
        raise InvalidWebhookUrl(URL_REFUSED) from None


def signing_secrets(endpoint: WebhookEndpoint, settings: Settings) -> list[str]:
    """The current secret, and the previous one while its rotation window lasts."""
    key = secret_key(settings)
    found = [signing.unseal(key, endpoint.id, endpoint.secret_encrypted)]
    if (
        endpoint.previous_secret_encrypted is not None
        and endpoint.previous_secret_expires_at is not None
        and endpoint.previous_secret_expires_at > utcnow()
    ):
        found.append(signing.unseal(key, endpoint.id, endpoint.previous_secret_encrypted))
    return found


def _audited(endpoint: WebhookEndpoint) -> dict[str, object]:
    return WebhookEndpointOut.of(endpoint).model_dump(mode="json")


async def create_endpoint(
    session: AsyncSession, actor: Principal, data: WebhookEndpointCreate, settings: Settings
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it with its secret (shown once)."""
    await check_destination(data.url, settings)
    key = secret_key(settings)
    endpoint_id = uuid.uuid4()
    secret = signing.new_secret()
    now = utcnow()
    endpoint = WebhookEndpoint(
        id=endpoint_id, url=data.url, description=data.description,
        event_types=sorted({t.value for t in data.event_types}), tenant_id=data.tenant_id,
        enabled=data.enabled, secret_encrypted=signing.seal(key, endpoint_id, secret),
        version=1, created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(endpoint)
    await session.flush()
    await audit.record(
        session, actor=actor, action="webhook_endpoint.created", target_type="webhook_endpoint",
        target_id=endpoint.id, tenant_id=data.tenant_id, after=_audited(endpoint),
    )  # fmt: skip
    return endpoint, secret


async def update_endpoint(
    session: AsyncSession,
    actor: Principal,
    endpoint_id: uuid.UUID,
    data: WebhookEndpointUpdate,
    expected_version: int | None,
    settings: Settings,
) -> WebhookEndpoint:
    """Change the given fields; `enabled: true` clears a disabling."""
    endpoint = await repo.get_endpoint(session, endpoint_id, for_update=True)
    check_if_match(endpoint.version, expected_version, noun="endpoint")
    before = _audited(endpoint)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("url") is not None:
        await check_destination(changes["url"], settings)
        endpoint.url = changes["url"]
    if changes.get("event_types") is not None:
        endpoint.event_types = sorted({str(t) for t in changes["event_types"]})
    if "tenant_id" in changes:
        endpoint.tenant_id = changes["tenant_id"]
    if changes.get("description") is not None:
        endpoint.description = changes["description"]
    if changes.get("enabled") is not None:
        endpoint.enabled = changes["enabled"]
        if endpoint.enabled:
            endpoint.disabled_reason = None
            endpoint.failing_since = None
        else:
            endpoint.disabled_reason = endpoint.disabled_reason or "disabled by an operator"
    if _audited(endpoint) == before:
        return endpoint
    endpoint.version += 1
    endpoint.updated_at = utcnow()
    await session.flush()
    await audit.record(
        session, actor=actor, action="webhook_endpoint.updated", target_type="webhook_endpoint",
        target_id=endpoint.id, tenant_id=endpoint.tenant_id, before=before,
        after=_audited(endpoint),
    )  # fmt: skip
    return endpoint


async def delete_endpoint(
    session: AsyncSession, actor: Principal, endpoint_id: uuid.UUID, expected_version: int | None
) -> None:
    endpoint = await repo.get_endpoint(session, endpoint_id, for_update=True)
    check_if_match(endpoint.version, expected_version, noun="endpoint")
    before = _audited(endpoint)
    await session.delete(endpoint)
    await session.flush()
    await audit.record(
        session, actor=actor, action="webhook_endpoint.deleted", target_type="webhook_endpoint",
        target_id=endpoint_id, tenant_id=endpoint.tenant_id, before=before,
    )  # fmt: skip


async def rotate_secret(
    session: AsyncSession, actor: Principal, endpoint_id: uuid.UUID, settings: Settings
) -> tuple[WebhookEndpoint, str]:
    """A new secret (returned once); the current one keeps signing for the rotation window."""
    key = secret_key(settings)
    endpoint = await repo.get_endpoint(session, endpoint_id, for_update=True)
    secret = signing.new_secret()
    endpoint.previous_secret_encrypted = endpoint.secret_encrypted
    endpoint.previous_secret_expires_at = utcnow() + timedelta(
        hours=settings.webhook_secret_rotation_hours
    )
    endpoint.secret_encrypted = signing.seal(key, endpoint.id, secret)
    endpoint.version += 1
    endpoint.updated_at = utcnow()
    await session.flush()
    await audit.record(
        session, actor=actor, action="webhook_endpoint.secret_rotated",
        target_type="webhook_endpoint", target_id=endpoint.id, tenant_id=endpoint.tenant_id,
        after={"rotation_ends_at": endpoint.previous_secret_expires_at},
    )  # fmt: skip
    return endpoint, secret


async def redeliver(session: AsyncSession, actor: Principal, event_id: uuid.UUID) -> int:
    """Queue a new delivery of the event to every enabled endpoint that wants it now."""
    event = await repo.get_event(session, event_id)
    endpoint_ids = await repo.matching_endpoints(session, event)
    now = utcnow()
    for endpoint_id in endpoint_ids:
        delivery = WebhookDelivery(
            id=uuid.uuid4(), event_id=event.id, endpoint_id=endpoint_id,
            status=WebhookDeliveryStatus.pending.value, attempts=0, created_at=now,
        )  # fmt: skip
        session.add(delivery)
        await session.flush()
        await defer_delivery(session, delivery.id)
    await audit.record(
        session, actor=actor, action="event.redelivered", target_type="event",
        target_id=event.id, tenant_id=event.tenant_id,
        after={"endpoints": [str(e) for e in endpoint_ids]},
    )  # fmt: skip
    return len(endpoint_ids)
