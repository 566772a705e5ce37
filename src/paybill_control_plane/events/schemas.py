"""API models of webhook endpoints, deliveries and outbound events."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from paybill_control_plane.events.types import EventType
from paybill_control_plane.kit.schemas import InputModel, OutputModel
from paybill_control_plane.models.webhook import OutboundEvent, WebhookAttempt, WebhookEndpoint

WebhookUrl = Annotated[
    str, StringConstraints(min_length=8, max_length=2000, pattern=r"^https?://[^\x00\s]+$")
]


class WebhookEndpointCreate(InputModel):
    url: WebhookUrl
    event_types: list[EventType] = Field(
        min_length=1, description="The event types this endpoint receives (at least one)."
    )
    tenant_id: uuid.UUID | None = Field(
        default=None, description="Only this tenant's events (null: every tenant's)."
    )
    description: str = Field(default="", max_length=500, pattern=r"^[^\x00]*$")
    enabled: bool = True


class WebhookEndpointUpdate(InputModel):
    url: WebhookUrl | None = None
    event_types: list[EventType] | None = Field(default=None, min_length=1)
    tenant_id: uuid.UUID | None = None
    description: str | None = Field(default=None, max_length=500, pattern=r"^[^\x00]*$")
    enabled: bool | None = Field(
        default=None, description="true re-enables an endpoint disabled after failures."
    )


class WebhookEndpointOut(OutputModel):
    id: uuid.UUID
    url: str
    event_types: list[str]
    tenant_id: uuid.UUID | None
    description: str
    enabled: bool
    disabled_reason: str | None
    failing_since: datetime | None
    rotation_ends_at: datetime | None = Field(
        description="While set, the previous secret also signs deliveries (until then)."
    )
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: WebhookEndpoint) -> WebhookEndpointOut:
        return cls.from_row(row, rotation_ends_at=row.previous_secret_expires_at)


class WebhookEndpointWithSecret(WebhookEndpointOut):
    secret: str = Field(
        description="The Standard Webhooks signing secret (`whsec_…`). Shown only now."
    )


class WebhookAttemptOut(OutputModel):
    id: uuid.UUID
    delivery_id: uuid.UUID
    event_id: uuid.UUID
    attempt: int
    attempted_at: datetime
    status_code: int | None = Field(description="The receiver's HTTP status (null: no answer).")
    latency_ms: float
    error: str | None

    @classmethod
    def of(cls, row: WebhookAttempt) -> WebhookAttemptOut:
        return cls.from_row(row)


class OutboundEventOut(BaseModel):
    """The event as receivers get it (CloudEvents 1.0 JSON, structured mode)."""

    specversion: str = "1.0"
    type: str
    source: str
    id: uuid.UUID
    time: datetime
    subject: str
    datacontenttype: str = "application/json"
    tenantid: uuid.UUID | None = Field(description="The tenant the event is about (extension).")
    sequence: int = Field(
        description="Per tenant, increasing in commit order without gaps (extension)."
    )
    data: dict[str, Any]

    @classmethod
    def of(cls, row: OutboundEvent, source: str) -> OutboundEventOut:
        return cls(
            type=row.type,
            source=source,
            id=row.id,
            time=row.occurred_at,
            subject=row.subject,
            tenantid=row.tenant_id,
            sequence=row.sequence,
            data=row.data,
        )


class Redelivery(BaseModel):
    event_id: uuid.UUID
    deliveries: int = Field(description="How many endpoint deliveries were queued.")
