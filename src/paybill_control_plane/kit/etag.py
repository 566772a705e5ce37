"""ETag / If-Match on the `version` column."""

from __future__ import annotations

from fastapi import Response

from paybill_control_plane.errors import BadRequest, PreconditionRequired, StaleVersion


def etag_for(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_for(version)


def parse_if_match(value: str | None, *, required: bool) -> int | None:
    """The version an If-Match header names; `*` means any version."""
    if value is None or not value.strip():
        if required:
            raise PreconditionRequired(
                'Send If-Match with the ETag you read (e.g. If-Match: "3") to update.'
            )
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


def check_if_match(current_version: int, expected: int | None) -> None:
    if expected is not None and expected != current_version:
        raise StaleVersion(
            f"If-Match names version {expected}; the current version is {current_version}.",
            extra={"current_version": current_version},
        )
