"""The spec documents Idempotency-Key on every acting POST and 429 on every keyed operation."""

from __future__ import annotations

from typing import Any

from paybill_control_plane.cli.openapi_commands import build_spec

WEBHOOK = "/v1/webhooks/stripe"


def _idempotency_param(operation: dict[str, Any]) -> dict[str, Any] | None:
    for param in operation.get("parameters", []):
        if param["in"] == "header" and param["name"] == "Idempotency-Key":
            return param
    return None


def test_every_post_but_the_webhook_takes_an_optional_idempotency_key() -> None:
    spec = build_spec()
    posts = 0
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            param = _idempotency_param(operation)
            if method != "post" or path == WEBHOOK or not path.startswith("/v1/"):
                assert param is None, (method, path)
                continue
            posts += 1
            assert param is not None, path
            assert param.get("required", False) is False
            assert param["schema"]["maxLength"] == 255
            assert "409" in operation["responses"], path
    assert posts >= 10


def test_every_keyed_operation_declares_429_with_retry_after() -> None:
    spec = build_spec()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            keyed = any("Bearer" in req for req in operation.get("security", []))
            if not keyed:
                assert "429" not in operation["responses"], (method, path)
                continue
            refused = operation["responses"]["429"]
            assert "Retry-After" in refused["headers"]
            assert "application/problem+json" in refused["content"]
