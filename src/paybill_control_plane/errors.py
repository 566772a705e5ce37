"""The ControlPlaneError hierarchy; each error becomes an RFC 9457 problem+json response."""

from __future__ import annotations

from typing import Any, ClassVar

PROBLEM_BASE = "https://paybill.dev/problems/"


class ControlPlaneError(Exception):
    """An expected failure with a stable `type` slug and an HTTP status."""

    status: ClassVar[int] = 400
    type_slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(self, detail: str, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra or {}

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        return problem(self.status, self.type_slug, self.title, self.detail, instance, self.extra)


def problem(
    status: int,
    type_slug: str,
    title: str,
    detail: str,
    instance: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + type_slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if extra:
        body.update(extra)
    return body


class BadRequest(ControlPlaneError):
    status = 400
    type_slug = "bad-request"
    title = "Bad request"


class MalformedJson(BadRequest):
    type_slug = "malformed-json"
    title = "Malformed JSON"


class InvalidCursor(BadRequest):
    type_slug = "invalid-cursor"
    title = "Invalid pagination cursor"


class Unauthenticated(ControlPlaneError):
    status = 401
    type_slug = "unauthenticated"
    title = "Authentication required"


class Forbidden(ControlPlaneError):
    status = 403
    type_slug = "forbidden"
    title = "Not allowed for this API key's role"


class NotFound(ControlPlaneError):
    status = 404
    type_slug = "not-found"
    title = "Not found"


class Conflict(ControlPlaneError):
    status = 409
    type_slug = "conflict"
    title = "Conflict"


class InvalidTransition(Conflict):
    type_slug = "invalid-transition"
    title = "Invalid lifecycle transition"


class AlreadyExists(Conflict):
    type_slug = "already-exists"
    title = "Already exists"


class InUse(Conflict):
    type_slug = "in-use"
    title = "Still referenced"


class StaleVersion(ControlPlaneError):
    status = 412
    type_slug = "stale-version"
    title = "The resource changed since you read it"


class PreconditionRequired(ControlPlaneError):
    status = 428
    type_slug = "precondition-required"
    title = "If-Match header required"


class Unprocessable(ControlPlaneError):
    status = 422
    type_slug = "validation-error"
    title = "The request is not valid"


class NotReady(ControlPlaneError):
    status = 503
    type_slug = "not-ready"
    title = "Not ready"


class TransientConflict(ControlPlaneError):
    status = 503
    type_slug = "transient-conflict"
    title = "Concurrent change, try again"


class DatabaseUnavailable(ControlPlaneError):
    status = 503
    type_slug = "database-unavailable"
    title = "Database unavailable"


class InternalError(ControlPlaneError):
    """The answer to a bug (logged), not raised."""

    status = 500
    type_slug = "internal-error"
    title = "Internal error"
