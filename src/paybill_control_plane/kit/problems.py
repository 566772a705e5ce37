"""The problem+json schema and the error responses every route declares in OpenAPI."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

PROBLEM_MEDIA_TYPE = "application/problem+json"


class ValidationIssue(BaseModel):
    """One invalid field of a 422 (or one reason a 400 body is not JSON)."""

    loc: list[str | int] = Field(description='Where: e.g. ["body", "sizing", "replicas"].')
    msg: str
    type: str = Field(description="Pydantic error type, e.g. `missing`, `string_too_short`.")


class Problem(BaseModel):
    """RFC 9457 problem details; `type` is stable, extra members depend on the type."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "type": "https://paybill.dev/problems/invalid-transition",
                    "title": "Invalid lifecycle transition",
                    "status": 409,
                    "detail": "A tenant in status 'active' cannot be asked to resume.",
                    "instance": "/v1/tenants/0b7e59a4-3c41-4e1b-9a51-5bb1ee5c7d3e/resume",
                    "current_status": "active",
                    "requested_action": "resume",
                    "allowed_actions": ["suspend", "deprovision", "reconcile"],
                }
            ]
        },
    )

    type: str = Field(
        description="A URI naming the kind of problem; stable, safe to branch on.",
        examples=["https://paybill.dev/problems/tenant-not-found"],
    )
    title: str = Field(description="Short summary of the problem type.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong this time, for a human.")
    instance: str | None = Field(default=None, description="The request path.")
    # Members some problem types add; others may appear (additionalProperties).
    errors: list[ValidationIssue] | None = Field(
        default=None, description="validation-error, malformed-json: the invalid fields."
    )
    current_status: str | None = Field(
        default=None, description="invalid-transition: the tenant's status."
    )
    requested_action: str | None = Field(
        default=None, description="invalid-transition: the refused action."
    )
    requested_status: str | None = Field(
        default=None, description="invalid-transition: the refused target status."
    )
    allowed_actions: list[str] | None = Field(
        default=None, description="invalid-transition: the actions valid from `current_status`."
    )
    allowed_transitions: list[str] | None = Field(
        default=None, description="invalid-transition: the statuses reachable from here."
    )
    current_version: int | None = Field(
        default=None, description="stale-version: the version to send in If-Match."
    )
    required_permission: str | None = Field(
        default=None, description="forbidden: the permission the key's role lacks."
    )


def validation_issues(exc: ValidationError, *, at: tuple[str, ...] = ("body",)) -> list[Any]:
    """A pydantic error as the `errors` member of a 422 problem (JSON-safe)."""
    return [
        ValidationIssue(
            loc=[*at, *(p if isinstance(p, int) else str(p) for p in e["loc"])],
            msg=e["msg"],
            type=e["type"],
        ).model_dump()
        for e in exc.errors()
    ]


_DESCRIPTIONS = {
    400: "Malformed request (bad JSON, a cursor or If-Match this API did not issue, bad signature)",
    401: "Missing or invalid API key",
    403: "The key's role does not allow this",
    404: "Not found (also for resources of a tenant the key cannot see)",
    409: "Conflict (invalid lifecycle transition, duplicate, still in use)",
    412: "If-Match does not match the current version",
    422: "The request body or parameters are not valid",
    428: "If-Match header required",
    429: "Rate limit of the API key exceeded (see Retry-After and the RateLimit headers)",
    502: "The cloud's API could not be used (one uniform answer whatever the cause)",
    503: "The database is unavailable; retry after `Retry-After` seconds",
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
