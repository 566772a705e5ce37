"""The console's migrations page: dry-run preview, start, rollback/cancel; roles and CSRF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.console.helpers import ConsoleClient, migration_row
from tests.console.test_sessions import _sql
from tests.factories import make_tenant, make_tier
from tests.live import Api


def _tenant(admin: Api) -> dict[str, Any]:
    tier = make_tier(
        admin, default_isolation="silo", allowed_isolation=["silo", "pooled"], pool_capacity=5
    )
    return make_tenant(admin, tier["key"])


def activate(database_url: str, tenant_id: str) -> None:
    _sql(database_url, "UPDATE tenants SET status = 'active' WHERE id = %s", tenant_id)


def test_preview_shows_the_plan_or_the_refusal(
    admin: Api, console_for: Callable[..., ConsoleClient], database_url: str
) -> None:
    tenant = _tenant(admin)
    operator = console_for("operator")
    base = f"/console/tenants/{tenant['id']}/migrations"
    assert f'href="{base}"' in operator.get(f"/console/tenants/{tenant['id']}").text
    empty = operator.get(base)
    assert empty.status_code == 200 and "No migrations" in empty.text
    assert "Preview (dry run)" in empty.text
    # No worker here: the tenant is still provisioning, and the dry run says what starting
    # would meet (the API's 409 `tenant-not-migratable`), on the page.
    refused = operator.get(f"{base}?isolation_model=pooled")
    assert refused.status_code == 200 and "only an active tenant can be migrated" in refused.text
    assert "Start migration" not in refused.text
    assert operator.get(f"{base}?isolation_model=sideways").status_code == 400
    started = operator.act(base, isolation_model="pooled")
    assert started.status_code == 409 and "only an active tenant" in started.text
    assert admin.ok("GET", f"/v1/tenants/{tenant['id']}/migrations")["items"] == []
    # Once active (as its provisioning run leaves it), the dry run is the API's plan.
    activate(database_url, tenant["id"])
    planned = operator.get(f"{base}?isolation_model=pooled").text
    assert "silo</strong> → " in planned and "provision_target → copy → cutover" in planned
    assert "Start migration" in planned
    started = operator.act(base, isolation_model="pooled")
    assert started.status_code in (200, 303), started.text
    [migration] = admin.ok("GET", f"/v1/tenants/{tenant['id']}/migrations")["items"]
    assert migration["target"]["isolation_model"] == "pooled"


def test_cancel_and_rollback_go_through_the_service(
    admin: Api, console_for: Callable[..., ConsoleClient], database_url: str
) -> None:
    tenant = _tenant(admin)
    copying = migration_row(database_url, tenant, "copy")
    operator = console_for("operator")
    base = f"/console/tenants/{tenant['id']}/migrations"
    page = operator.get(base).text
    assert "provision_target" in page and "2.0 s" in page
    assert f'data-opens="confirm-cancel-{copying}"' in page
    assert f'data-opens="confirm-rollback-{copying}"' in page
    assert operator.act(f"/console/migrations/{copying}/explode").status_code == 400
    cancelled = operator.act(f"/console/migrations/{copying}/cancel")
    assert cancelled.status_code == 303 and cancelled.headers["location"] == f"{base}?done=cancel"
    got = admin.ok("GET", f"/v1/migrations/{copying}")
    assert got["status"] == "rolling_back" and got["phases"][-1]["name"] == "rollback"
    after = operator.get(base).text
    assert f'data-opens="confirm-cancel-{copying}"' not in after
    # After cutover: no cancel, only rollback (as the service allows).
    holding = migration_row(database_url, _tenant(admin), "hold")
    held = admin.ok("GET", f"/v1/migrations/{holding}")
    page = operator.get(f"/console/tenants/{held['tenant_id']}/migrations").text
    assert f'data-opens="confirm-cancel-{holding}"' not in page
    assert f'data-opens="confirm-rollback-{holding}"' in page
    assert operator.act(f"/console/migrations/{holding}/cancel").status_code == 409
    assert operator.act(f"/console/migrations/{holding}/rollback").status_code == 303
    assert admin.ok("GET", f"/v1/migrations/{holding}")["status"] == "rolling_back"


def test_viewer_and_tenant_keys_cannot_act(
    admin: Api, console_for: Callable[..., ConsoleClient], database_url: str
) -> None:
    mine, other = _tenant(admin), _tenant(admin)
    migration = migration_row(database_url, mine)
    theirs = migration_row(database_url, other)
    for role, tenant_id in (("viewer", None), ("tenant", mine["id"])):
        browser = console_for(role, tenant_id)
        page = browser.get(f"/console/tenants/{mine['id']}/migrations")
        assert page.status_code == 200 and migration[:8] in page.text, role
        assert "data-opens=" not in page.text and "Preview (dry run)" not in page.text, role
        refused = browser.act(f"/console/migrations/{migration}/rollback")
        assert refused.status_code == 403 and "tenants:write" in refused.text, role
        start = browser.act(f"/console/tenants/{mine['id']}/migrations", isolation_model="pooled")
        assert start.status_code == 403, role
    tenant_key = console_for("tenant", mine["id"])
    assert tenant_key.get(f"/console/tenants/{other['id']}/migrations").status_code == 404
    assert tenant_key.act(f"/console/migrations/{theirs}/cancel").status_code == 404
    assert admin.ok("GET", f"/v1/migrations/{migration}")["status"] == "running"


def test_migration_forms_need_the_csrf_token(
    admin: Api, console_for: Callable[..., ConsoleClient], database_url: str
) -> None:
    tenant = _tenant(admin)
    migration = migration_row(database_url, tenant)
    operator = console_for("operator")
    urls = (
        f"/console/tenants/{tenant['id']}/migrations",
        f"/console/migrations/{migration}/cancel",
        f"/console/migrations/{migration}/rollback",
    )
    for url in urls:
        assert operator.post_form(url, {"isolation_model": "pooled"}).status_code == 403, url
        assert operator.post_form(url, {"csrf_token": "0" * 64}).status_code == 403, url
        forged = operator.post_form(
            url, {"csrf_token": operator.csrf}, headers={"Origin": "https://evil.example"}
        )
        assert forged.status_code == 403, url
    assert admin.ok("GET", f"/v1/migrations/{migration}")["status"] == "running"
