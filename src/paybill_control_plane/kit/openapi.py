"""Finishing touches on the generated OpenAPI document, and its canonical serialisation.

Routes declare what is theirs (summary, description, domain errors such as 409/412, response
headers). What follows from cross-cutting machinery rather than from a route is added here, so
an endpoint added later cannot forget it:

* an operation behind the Bearer dependency can answer 401 and 403;
* an operation with parameters or a body can answer 422 (and 400 for malformed JSON, an
  unknown cursor or an If-Match that is not an ETag);
* an operation addressing a resource by path can answer 404;
* a required `If-Match` that is missing is a 428;
* a parameter is never `null` (it is absent instead), so its schema has no null branch;
* every error is `application/problem+json` only (FastAPI would also claim `application/json`),
  so FastAPI's own `HTTPValidationError` schema, which the API never sends, is dropped;
* a dict with constrained keys says every key must match (`propertyNames`);
* generic models keep their readable title as name (`TenantPage`, not `Page_TenantOut_`);
* an operation without the Bearer dependency (health, metrics, the signed Stripe webhook) says
  `security: []`: public on purpose, not forgotten (Redocly's `security-defined`);
* the document names its licence and a server: `/`, the host that serves it, since the
  same document is served by every deployment (and exported without one).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from paybill_control_plane.kit.problems import PROBLEM_MEDIA_TYPE, problem_responses
from paybill_control_plane.kit.schemas import each_schema_object

PAGINATION_NOTE = (
    "Cursor-paginated: pass the `next_cursor` of a page as `cursor` to get the next one; "
    "`next_cursor` is null on the last page. A cursor this API did not issue is a 400."
)
_PARAM_DESCRIPTIONS = {
    ("query", "cursor"): "`next_cursor` of the previous page (omit for the first page).",
    ("query", "limit"): "Page size.",
}
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_UNUSED_FASTAPI_SCHEMAS = ("HTTPValidationError", "ValidationError")
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before sending the request again.",
        "required": True,
        "schema": {"type": "integer"},
    }
}
# The project's licence (pyproject.toml); `identifier` is the SPDX id (OpenAPI 3.1).
LICENSE = {"name": "Apache 2.0", "identifier": "Apache-2.0"}
SERVERS = [{"url": "/", "description": "The deployment serving this document."}]
WWW_AUTHENTICATE = {
    "WWW-Authenticate": {
        "description": "`Bearer`: the authentication scheme to use.",
        "required": True,
        "schema": {"type": "string"},
    }
}


def _is_required_if_match(param: dict[str, Any]) -> bool:
    return bool(
        param["in"] == "header" and param["name"].lower() == "if-match" and param.get("required")
    )


def _implied_statuses(operation: dict[str, Any]) -> set[int]:
    params = operation.get("parameters", [])
    where = {(p["in"], p["name"].lower()) for p in params}
    statuses: set[int] = set()
    if any("Bearer" in requirement for requirement in operation.get("security", [])):
        # Authenticating reads the database: while it is unreachable, 503 with Retry-After.
        statuses |= {401, 403, 503}
    if params or "requestBody" in operation:
        statuses.add(422)
    if "requestBody" in operation or ("query", "cursor") in where:
        statuses.add(400)
    if ("header", "if-match") in where:
        statuses |= {400, 412}
    if any(_is_required_if_match(p) for p in params):
        statuses.add(428)
    if any(p["in"] == "path" for p in params):
        statuses.add(404)
    return statuses


def _without_null(param: dict[str, Any]) -> None:
    """A parameter is absent or a value: HTTP has no null, so drop the `null` branch."""
    schema = param.get("schema", {})
    branches = schema.get("anyOf")
    if not branches or {"type": "null"} not in branches:
        return
    rest = [b for b in branches if b != {"type": "null"}]
    del schema["anyOf"]
    if len(rest) == 1:
        schema.update({k: v for k, v in rest[0].items() if k not in schema})
    else:
        schema["anyOf"] = rest
    if "default" in schema and schema["default"] is None:
        del schema["default"]


def _is_fastapi_validation_error(response: dict[str, Any]) -> bool:
    return "#/components/schemas/HTTPValidationError" in json.dumps(response)


def _complete_operation(operation: dict[str, Any]) -> None:
    operation.setdefault("security", [])
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status, declared in problem_responses(*sorted(_implied_statuses(operation))).items():
        key = str(status)
        # FastAPI's default 422 describes its own error shape, which the API never sends.
        if key not in responses or _is_fastapi_validation_error(responses[key]):
            responses[key] = {k: v for k, v in declared.items() if k != "model"}
    for key, response in responses.items():
        content = response.get("content", {})
        if key.isdigit() and int(key) >= 400 and PROBLEM_MEDIA_TYPE in content:
            response["content"] = {PROBLEM_MEDIA_TYPE: content[PROBLEM_MEDIA_TYPE]}
    if "401" in responses:
        responses["401"].setdefault("headers", copy.deepcopy(WWW_AUTHENTICATE))
    if "503" in responses and "401" in responses:  # the database-unavailable 503 of an API route
        responses["503"].setdefault("headers", copy.deepcopy(RETRY_AFTER))
    params = operation.get("parameters", [])
    for param in params:
        _without_null(param)
        described = _PARAM_DESCRIPTIONS.get((param["in"], param["name"]))
        if described and not param.get("description"):
            param["description"] = described
    if any(p["in"] == "query" and p["name"] == "cursor" for p in params):
        description = operation.get("description", "")
        if PAGINATION_NOTE not in description:
            operation["description"] = f"{description}\n\n{PAGINATION_NOTE}".strip()


def _uses(spec: dict[str, Any], name: str) -> bool:
    ref = f'"#/components/schemas/{name}"'
    rest = {k: v for k, v in spec.get("components", {}).get("schemas", {}).items() if k != name}
    return ref in json.dumps(spec.get("paths", {})) or ref in json.dumps(rest)


def _close_pattern_properties(node: Any) -> None:
    """A dict with constrained keys: say that *every* key must match (pydantic only says what
    matching keys hold) and give generators the value type through `additionalProperties`."""
    each_schema_object(node, _close_one)


def _close_one(node: dict[str, Any]) -> None:
    patterns = node.get("patternProperties")
    if isinstance(patterns, dict) and len(patterns) == 1 and "additionalProperties" not in node:
        (pattern, value_schema), *_ = patterns.items()
        node.setdefault("propertyNames", {"pattern": pattern})
        node["additionalProperties"] = copy.deepcopy(value_schema)


def _rename_generic_schemas(spec: dict[str, Any]) -> dict[str, Any]:
    """`Page_TenantOut_` → `TenantPage` (the model's own title, which generated clients show)."""
    schemas = spec.get("components", {}).get("schemas", {})
    renames = {
        name: schema["title"]
        for name, schema in schemas.items()
        if "_" in name and schema.get("title", name) != name and schema["title"] not in schemas
    }
    if not renames:
        return spec
    text = json.dumps(spec)
    for old, new in renames.items():
        text = text.replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
    renamed: dict[str, Any] = json.loads(text)
    renamed_schemas = renamed["components"]["schemas"]
    for old, new in renames.items():
        renamed_schemas[new] = renamed_schemas.pop(old)
    return renamed


def complete_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """Add the responses, notes and descriptions the machinery implies to every operation."""
    spec.setdefault("info", {}).setdefault("license", copy.deepcopy(LICENSE))
    spec.setdefault("servers", copy.deepcopy(SERVERS))
    for path_item in spec.get("paths", {}).values():
        for method in _METHODS:
            if method in path_item:
                _complete_operation(path_item[method])
    schemas = spec.get("components", {}).get("schemas", {})
    _close_pattern_properties(schemas)
    for name in _UNUSED_FASTAPI_SCHEMAS:
        if name in schemas and not _uses(spec, name):
            del schemas[name]
    return _rename_generic_schemas(spec)


def canonical_json(spec: dict[str, Any]) -> str:
    """Sorted keys, two-space indent, trailing newline: byte-identical for the same spec."""
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
