"""ETag / If-Match on the `version` column."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Header, Response

from paybill_control_plane.errors import BadRequest, PreconditionRequired, StaleVersion

IF_MATCH_REQUIRED = 'Send If-Match with the ETag you read (e.g. If-Match: "3") to update.'
# What parse_if_match accepts; documented on the header, checked by parse_if_match (400).
# An empty optional If-Match counts as absent; an empty required one is a 428.
IF_MATCH_PATTERN = r'^ *(\*|(W/)?"?[0-9]+"?) *$'
OPTIONAL_IF_MATCH_PATTERN = r'^ *(\*|(W/)?"?[0-9]+"?)? *$'
ETAG_HEADER = {
    "ETag": {
        "description": 'The resource\'s version, e.g. `"3"`: send it back as `If-Match`.',
        "required": True,
        "schema": {"type": "string"},
    }
}

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='ETag of the version you read, e.g. `"3"`; `*` or absent: any version.',
        json_schema_extra={"pattern": OPTIONAL_IF_MATCH_PATTERN},
    ),
]
IfMatchRequired = Annotated[
    str,
    Header(
        alias="If-Match",
        description='ETag of the version you read, e.g. `"3"` (`*`: any version). Missing: 428.',
        json_schema_extra={"pattern": IF_MATCH_PATTERN},
    ),
]


def etag_response(status: int = 200) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entry declaring the ETag header on the success response."""
    return {status: {"headers": ETAG_HEADER}}


def etag_for(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_for(version)


def parse_if_match(value: str | None, *, required: bool) -> int | None:
    """The version an If-Match header names; `*` means any version."""
    if value is None or not value.strip():
        if required:
            raise PreconditionRequired(IF_MATCH_REQUIRED)
        return None
    raw = value.strip()
    if raw == "*":
        return None
    if raw.startswith("W/"):
        raw = raw[2:]
    raw = raw.strip('"')
    if not raw.isdigit():
        raise BadRequest(f"If-Match '{value}' is not an ETag this API issued.")
    return int(raw)


def check_if_match(current_version: int, expected: int | None, *, noun: str = "") -> None:
    """412 `stale-version` when `expected` (from If-Match; None: any) is not the current version;
    `noun` names the resource in the detail ("the endpoint is at version 4")."""
    if expected is None or expected == current_version:
        return
    detail = (
        f"Version {expected} is stale; the {noun} is at version {current_version}."
        if noun
        else f"If-Match names version {expected}; the current version is {current_version}."
    )
    raise StaleVersion(detail, extra={"current_version": current_version})
