"""API key schemas. The secret appears in exactly one response: the creation's."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field, model_validator

from paybill_control_plane.kit.schemas import InputModel, Name, OutputModel
from paybill_control_plane.models.enums import Role


class ApiKeyCreate(InputModel):
    name: Name
    role: Role
    tenant_id: uuid.UUID | None = Field(
        default=None, description="Required for (and only for) the `tenant` role."
    )

    @model_validator(mode="after")
    def _tenant_binding(self) -> ApiKeyCreate:
        if self.role is Role.tenant and self.tenant_id is None:
            raise ValueError("a tenant key needs tenant_id")
        if self.role is not Role.tenant and self.tenant_id is not None:
            raise ValueError("only tenant keys are bound to a tenant_id")
        return self

    model_config = {"json_schema_extra": {"examples": [{"name": "portal", "role": "operator"}]}}


class ApiKeyOut(OutputModel):
    id: uuid.UUID
    name: str
    role: Role
    tenant_id: uuid.UUID | None
    prefix: str = Field(description="First characters of the key, to recognise it.")
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The secret. Shown once; store it now.")
