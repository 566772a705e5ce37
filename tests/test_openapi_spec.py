"""The OpenAPI document is one clients can be generated from: every operation tagged, named,
secured and with every response it can give documented (errors as problem+json)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from paybill_control_plane.cli.main import app as cli
from paybill_control_plane.cli.openapi_commands import build_spec, export_spec
from paybill_control_plane.kit.openapi import PAGINATION_NOTE
from paybill_control_plane.models.enums import (
    Cloud,
    IsolationModel,
    PlanInterval,
    Role,
    TenantStatus,
)
from tests.live import Api

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
PUBLIC = {"health_live", "health_ready", "health_metrics"}  # and webhooks (signed instead)
Operation = tuple[str, str, dict[str, Any]]


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return build_spec()


def operations(spec: dict[str, Any]) -> Iterator[Operation]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def test_export_is_canonical_and_stable() -> None:
    first = export_spec()
    assert first == export_spec()
    assert first.endswith("}\n") and '"openapi": "3.1' in first
    result = CliRunner().invoke(cli, ["openapi", "export"])
    assert result.exit_code == 0, result.output
    assert result.stdout == first


def test_served_spec_is_the_exported_one(anon: Api, spec: dict[str, Any]) -> None:
    assert anon.get("/openapi.json").json() == spec


def test_operations_are_named_tagged_and_summarised(spec: dict[str, Any]) -> None:
    declared_tags = {tag["name"] for tag in spec["tags"]}
    ids = [op["operationId"] for _, _, op in operations(spec)]
    assert len(ids) == len(set(ids))
    for method, path, op in operations(spec):
        where = f"{method.upper()} {path}"
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", op["operationId"]), where
        assert op.get("tags") and set(op["tags"]) <= declared_tags, where
        assert op.get("summary"), where


def test_bearer_on_every_operation_but_health_and_webhooks(spec: dict[str, Any]) -> None:
    assert spec["components"]["securitySchemes"]["Bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key: `Bearer pbk_…`",
    }
    for method, path, op in operations(spec):
        public = op["operationId"] in PUBLIC or path.startswith("/v1/webhooks/")
        # Public on purpose says so (`[]`), so a forgotten dependency cannot pass for one.
        assert op.get("security") == ([] if public else [{"Bearer": []}]), (method, path)


def test_document_names_its_licence_and_server(spec: dict[str, Any]) -> None:
    assert spec["info"]["license"] == {"name": "Apache 2.0", "identifier": "Apache-2.0"}
    # Relative: whichever deployment serves the document is the server.
    assert [server["url"] for server in spec["servers"]] == ["/"]


def test_every_error_is_documented_as_problem_json(spec: dict[str, Any]) -> None:
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    for method, path, op in operations(spec):
        where, responses = f"{method.upper()} {path}", op["responses"]
        statuses = set(responses)
        if op.get("security"):
            assert {"401", "403", "422"} <= statuses, where
            assert "WWW-Authenticate" in responses["401"]["headers"], where
        if "requestBody" in op:
            assert {"400", "422"} <= statuses, where
        params = {(p["in"], p["name"]): p for p in op.get("parameters", [])}
        if ("header", "If-Match") in params:
            assert {"400", "412"} <= statuses, where
            if params["header", "If-Match"]["required"]:
                assert "428" in statuses, where
        if any(where_ == "path" for where_, _ in params):
            assert "404" in statuses, where
        for status, response in responses.items():
            assert response.get("description"), (where, status)
            if int(status) >= 400:
                assert response["content"] == PROBLEM, (where, status)
            elif status != "204":
                (media,) = response["content"].values()
                assert media["schema"], (where, status)


def test_patch_needs_if_match_and_returns_etag(spec: dict[str, Any]) -> None:
    for method, path, op in operations(spec):
        if method == "patch":
            names = {p["name"] for p in op.get("parameters", [])}
            assert "If-Match" in names, path
            assert "ETag" in op["responses"]["200"]["headers"], path


def test_lists_are_cursor_paginated_and_say_so(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    paginated = 0
    for _, path, op in operations(spec):
        names = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
        if "cursor" not in names:
            continue
        paginated += 1
        assert "limit" in names and PAGINATION_NOTE in op["description"], path
        ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        page = schemas[ref.rsplit("/", 1)[1]]
        assert page["properties"]["items"]["type"] == "array", path
        assert "next_cursor" in page["properties"], path
    assert paginated >= 6


def test_main_request_bodies_have_examples(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for name in (
        "TierCreate",
        "TierUpdate",
        "PlanCreate",
        "PlanUpdate",
        "TenantCreate",
        "TenantUpdate",
        "ApiKeyCreate",
    ):
        assert schemas[name].get("examples"), name


def test_statuses_clouds_and_isolation_models_are_enums(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for enum in (TenantStatus, Cloud, IsolationModel, Role, PlanInterval):
        assert schemas[enum.__name__] == {
            "enum": [member.value for member in enum],
            "title": enum.__name__,
            "type": "string",
        }
    tenant = schemas["TenantOut"]["properties"]
    assert tenant["status"] == {"$ref": "#/components/schemas/TenantStatus"}
    assert tenant["cloud"] == {"$ref": "#/components/schemas/Cloud"}
    assert tenant["isolation_model"] == {"$ref": "#/components/schemas/IsolationModel"}
    assert schemas["RunOut"]["properties"]["status"]["enum"]


def test_parameters_are_never_null(spec: dict[str, Any]) -> None:
    for method, path, op in operations(spec):
        for param in op.get("parameters", []):
            assert "null" not in str(param["schema"].get("anyOf", "")), (method, path, param)
