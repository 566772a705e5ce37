"""Errors are problem+json everywhere; health, readiness, metrics and the spec are served."""

from __future__ import annotations

from tests.live import Api

PROBLEM = "application/problem+json"


def test_errors_are_problem_json(admin: Api, anon: Api) -> None:
    cases = [
        (
            admin.post(
                "/v1/tenants", content=b"{bad json", headers={"content-type": "application/json"}
            ),
            400,
            "malformed-json",
        ),
        (admin.post("/v1/tenants", content=b"{bad json"), 400, "malformed-json"),
        (admin.post("/v1/tenants", json=[1, 2]), 422, "validation-error"),
        (admin.get("/v1/no-such-route"), 404, "route-not-found"),
        (anon.get("/nothing/here"), 404, "route-not-found"),
        (admin.put("/v1/tenants"), 405, "method-not-allowed"),
        (admin.delete("/healthz"), 405, "method-not-allowed"),
    ]
    for response, status, slug in cases:
        assert response.status_code == status, (response.request.url, response.text)
        assert response.headers["content-type"] == PROBLEM
        body = response.json()
        assert body["type"] == f"https://paybill.dev/problems/{slug}"
        assert body["status"] == status and body["title"] and body["detail"]


def test_health_ready_metrics_openapi(anon: Api) -> None:
    assert anon.get("/healthz").json()["status"] == "ok"
    assert anon.get("/readyz").json()["status"] == "ready"
    anon.get("/healthz")
    metrics = anon.get("/metrics")
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    assert 'paybill_http_requests_total{method="GET",route="/healthz",status="200"}' in metrics.text
    spec = anon.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    ops = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {
        "tenants_create",
        "tenants_list",
        "tenants_get",
        "tenants_update",
        "tenants_suspend",
        "tenants_resume",
        "tenants_deprovision",
        "tenants_entitlements",
        "tiers_create",
        "plans_create",
        "api_keys_create",
        "audit_events_list",
    } <= ops
    assert spec["components"]["securitySchemes"]["Bearer"]["scheme"] == "bearer"


def test_request_id_is_generated_when_absent_or_unsafe(anon: Api) -> None:
    generated = anon.get("/healthz").headers["X-Request-ID"]
    assert len(generated) == 32
    unsafe = anon.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"}).headers[
        "X-Request-ID"
    ]
    assert unsafe != "bad id\twith spaces"
