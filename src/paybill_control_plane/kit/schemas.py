"""Base classes and shared field types for API schemas."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

SLUG_PATTERN = r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$"
KEY_PATTERN = r"^[a-z][a-z0-9_-]{0,62}$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
LabelKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,62}$")]
LabelValue = Annotated[str, StringConstraints(pattern=r"^[a-zA-Z0-9_.-]{0,63}$")]


class InputModel(BaseModel):
    """Request bodies: unknown fields are rejected so callers cannot set what they must not."""

    model_config = ConfigDict(extra="forbid")


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)
