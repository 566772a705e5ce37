"""The problem+json schema and the error responses every route declares in OpenAPI."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"


class Problem(BaseModel):
    """RFC 9457 problem details; `type` is stable, extra members depend on the type."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=["https://paybill.dev/problems/tenant-not-found"])
    title: str
    status: int
    detail: str
    instance: str | None = None


_DESCRIPTIONS = {
    400: "Malformed request (bad JSON, bad cursor, bad signature)",
    401: "Missing or invalid API key",
    403: "The key's role does not allow this",
    404: "Not found (also for resources of a tenant the key cannot see)",
    409: "Conflict (invalid lifecycle transition, duplicate, still in use)",
    412: "If-Match does not match the current version",
    422: "The request body or parameters are not valid",
    428: "If-Match header required",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the given error statuses."""
    return {
        status: {
            "description": _DESCRIPTIONS[status],
            "model": Problem,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


# Errors any authenticated route can answer.
AUTHED = (400, 401, 403, 422)
