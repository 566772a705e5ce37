"""Console sign-in, session cookies, CSRF and roles over plain HTTP."""

from __future__ import annotations

from collections.abc import Callable

import psycopg
from sqlalchemy.engine import make_url

from paybill_control_plane.db.embedded import to_libpq_url
from tests.conftest import unique
from tests.console.helpers import ConsoleClient, failed_billing_event
from tests.factories import make_tenant, make_tier
from tests.live import Api, LiveServer


def _sql(database_url: str, statement: str, *params: object) -> None:
    url = to_libpq_url(make_url(database_url).render_as_string(hide_password=False))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement, params)  # type: ignore[arg-type]


def test_sign_in_sets_a_strict_http_only_cookie_without_the_key(
    live_server: LiveServer, client_for: Callable[..., Api]
) -> None:
    key = client_for("viewer").key or ""
    with ConsoleClient(live_server.url) as browser:
        response = browser.sign_in(key)
        assert response.status_code == 303
        assert response.headers["location"] == "/console/tenants"
        cookie = next(
            v for k, v in response.headers.multi_items()
            if k == "set-cookie" and v.startswith("paybill_console=")
        )  # fmt: skip
        flags = {part.strip().lower() for part in cookie.split(";")}
        assert {"httponly", "samesite=strict", "path=/console"} <= flags
        assert "secure" not in flags  # plain http here; see the TLS test below
        assert key not in cookie and key.removeprefix("pbk_") not in cookie
        page = browser.get("/console/tenants")
        assert page.status_code == 200 and "<h1>Tenants</h1>" in page.text


def test_cookie_is_secure_over_tls(live_server: LiveServer, client_for: Callable[..., Api]) -> None:
    key = client_for("viewer").key or ""
    # uvicorn trusts X-Forwarded-Proto from 127.0.0.1: the app sees an https request, as
    # behind a TLS-terminating proxy.
    with ConsoleClient(live_server.url) as browser:
        tls = {"X-Forwarded-Proto": "https"}
        page = browser.get("/console/sign-in", headers=tls)
        assert "secure" in page.headers["set-cookie"].lower()
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        origin = live_server.url.replace("http://", "https://")
        response = browser.post(
            "/console/sign-in",
            data={"csrf_token": token, "api_key": key},
            # The sign-in cookie is Secure: httpx keeps it from this plain-http connection.
            headers={**tls, "Origin": origin, "Cookie": f"paybill_console_signin={token}"},
        )
        assert response.status_code == 303, response.text
        assert "; secure" in response.headers["set-cookie"].lower()


def test_bad_key_and_forged_sign_in_are_refused(live_server: LiveServer) -> None:
    with ConsoleClient(live_server.url) as browser:
        response = browser.sign_in("pbk_not-a-key")
        assert response.status_code == 401 and "not valid" in response.text
        assert "paybill_console=" not in response.headers.get("set-cookie", "")
    with ConsoleClient(live_server.url) as browser:
        # No sign-in cookie: a cross-site form cannot sign a victim in (login CSRF).
        forged = browser.post_form("/console/sign-in", {"csrf_token": "x", "api_key": "k"})
        assert forged.status_code == 403


def test_pages_need_a_session(live_server: LiveServer) -> None:
    with ConsoleClient(live_server.url) as browser:
        response = browser.get("/console/tenants?status=active")
        assert response.status_code == 303
        assert (
            response.headers["location"]
            == "/console/sign-in?next=%2Fconsole%2Ftenants%3Fstatus%3Dactive"
        )
        htmx = browser.get("/console/tenants", headers={"HX-Request": "true"})
        assert htmx.status_code == 204 and htmx.headers["HX-Redirect"] == "/console/sign-in"
        forged = browser.post("/console/sign-out", headers={"Cookie": "paybill_console=guess"})
        assert forged.status_code == 303 and forged.headers["location"].startswith(
            "/console/sign-in"
        )


def test_every_post_needs_the_session_csrf_token_and_origin(
    admin: Api, console_for: Callable[..., ConsoleClient]
) -> None:
    tier = make_tier(admin)
    tenant = make_tenant(admin, tier["key"])
    browser = console_for("operator")
    url = f"/console/tenants/{tenant['id']}/actions/deprovision"
    assert browser.post_form(url, {}).status_code == 403
    assert browser.post_form(url, {"csrf_token": "0" * 64}).status_code == 403
    other = console_for("operator")
    assert browser.post_form(url, {"csrf_token": other.csrf}).status_code == 403
    foreign = browser.post_form(
        url, {"csrf_token": browser.csrf}, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    assert admin.ok("GET", f"/v1/tenants/{tenant['id']}")["desired_state"] == "active"
    # htmx sends the token as a header (hx-headers on <body>).
    via_header = browser.post(
        url, headers={"X-CSRF-Token": browser.csrf, "Origin": browser.origin, "HX-Request": "true"}
    )
    assert via_header.status_code == 303
    assert admin.ok("GET", f"/v1/tenants/{tenant['id']}")["desired_state"] == "deprovisioned"
    [event] = admin.ok(
        "GET",
        "/v1/audit-events",
        params={"tenant_id": tenant["id"], "action": "tenant.deprovision"},
    )["items"]
    assert event["actor"].startswith("apikey:")


def test_sign_out_ends_the_session(console_for: Callable[..., ConsoleClient]) -> None:
    browser = console_for("viewer")
    cookie = browser.cookies["paybill_console"]
    assert browser.act("/console/sign-out").status_code == 303
    with ConsoleClient(browser.origin) as replay:
        response = replay.get("/console/tenants", headers={"Cookie": f"paybill_console={cookie}"})
        assert response.status_code == 303


def test_revoked_key_and_idle_session_are_signed_out(
    admin: Api, database_url: str, console_for: Callable[..., ConsoleClient]
) -> None:
    browser = console_for("viewer")
    assert browser.get("/console/tenants").status_code == 200
    [key] = [
        k for k in admin.ok("GET", "/v1/api-keys", params={"limit": 200})["items"]
        if browser.api_key.startswith(k["prefix"])  # type: ignore[attr-defined]
    ]  # fmt: skip
    admin.ok("DELETE", f"/v1/api-keys/{key['id']}")
    assert browser.get("/console/tenants").status_code == 303

    idle = console_for("viewer")
    assert idle.get("/console/tenants").status_code == 200
    _sql(
        database_url,
        "UPDATE console_sessions SET last_seen_at = now() - interval '31 minutes' "
        "WHERE api_key_id = (SELECT id FROM api_keys WHERE prefix = %s)",
        idle.api_key[:10],  # type: ignore[attr-defined]
    )
    assert idle.get("/console/tenants").status_code == 303


def test_viewer_sees_no_actions_and_is_refused(
    admin: Api, console_for: Callable[..., ConsoleClient]
) -> None:
    tenant = make_tenant(admin, make_tier(admin)["key"])
    viewer = console_for("viewer")
    page = viewer.get(f"/console/tenants/{tenant['id']}")
    assert page.status_code == 200 and tenant["slug"] in page.text
    assert "data-opens=" not in page.text and "/actions/" not in page.text
    assert "New tenant" not in viewer.get("/console/tenants").text
    refused = viewer.act(f"/console/tenants/{tenant['id']}/actions/suspend")
    assert refused.status_code == 403 and "tenants:write" in refused.text
    operator = console_for("operator")
    assert 'data-opens="confirm-suspend"' in operator.get(f"/console/tenants/{tenant['id']}").text


def test_tenant_key_sees_only_its_tenant(
    admin: Api, console_for: Callable[..., ConsoleClient]
) -> None:
    # Silo: each tenant has runs of its own (a shared pool run is visible, in part, to each).
    tier = make_tier(admin, default_isolation="silo", allowed_isolation=["silo"])
    mine = make_tenant(admin, tier["key"])
    other = make_tenant(admin, tier["key"])
    browser = console_for("tenant", mine["id"])
    listing = browser.get("/console/tenants")
    assert mine["slug"] in listing.text and other["slug"] not in listing.text
    assert browser.get(f"/console/tenants/{other['id']}").status_code == 404
    assert browser.get(f"/console/tenants/{mine['id']}").status_code == 200
    for section in ("/console/billing", "/console/fleet", "/console/audit", "/console/keys"):
        assert browser.get(section).status_code == 403
    nav = browser.get("/console/runs").text
    assert 'href="/console/billing"' not in nav and 'href="/console/audit"' not in nav
    [other_run] = admin.ok("GET", f"/v1/tenants/{other['id']}/runs")["items"]
    [my_run] = admin.ok("GET", f"/v1/tenants/{mine['id']}/runs")["items"]
    assert browser.get(f"/console/runs/{other_run['id']}").status_code == 404
    assert browser.get(f"/console/runs/{other_run['id']}/log").status_code == 404
    assert browser.get(f"/console/runs/{my_run['id']}").status_code == 200
    runs = browser.get("/console/runs").text
    assert my_run["id"][:8] in runs and other_run["id"][:8] not in runs


def test_tenant_search_uses_the_slug_prefix(
    admin: Api, console_for: Callable[..., ConsoleClient]
) -> None:
    tier = make_tier(admin)
    prefix = unique("find")
    found = make_tenant(admin, tier["key"], slug=f"{prefix}-a")
    make_tenant(admin, tier["key"], slug=unique("other"))
    browser = console_for("viewer")
    page = browser.get("/console/tenants", params={"q": prefix}, headers={"HX-Request": "true"})
    assert page.status_code == 200 and found["slug"] in page.text and "<html" not in page.text
    assert page.text.count('href="/console/tenants/') == 1
    api = admin.ok("GET", "/v1/tenants", params={"slug_prefix": prefix})["items"]
    assert [t["slug"] for t in api] == [found["slug"]]
    assert browser.get("/console/tenants", params={"q": "NOT_A_SLUG"}).status_code == 400


def test_docs_work_offline(anon: Api) -> None:
    page = anon.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower() and "/console/static/vendor/swagger-ui/" in page.text
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"):
        assert anon.get(f"/console/static/vendor/swagger-ui/{asset}").status_code == 200
    assert anon.get("/console/static/vendor/htmx/htmx.min.js").status_code == 200
    assert anon.get("/console/static/vendor/htmx/LICENSE").status_code == 200


def test_pages_carry_a_strict_csp(console_for: Callable[..., ConsoleClient]) -> None:
    browser = console_for("admin")
    for path in ("/console/tenants", "/console/runs", "/console/billing", "/console/fleet",
                 "/console/audit", "/console/keys", "/console/tenants/new"):  # fmt: skip
        page = browser.get(path)
        assert page.status_code == 200, (path, page.text[:500])
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert page.headers["cache-control"] == "no-store"
    verify = browser.post(
        "/console/audit/verify",
        headers={"X-CSRF-Token": browser.csrf, "Origin": browser.origin, "HX-Request": "true"},
    )
    assert verify.status_code == 200 and "Chain intact" in verify.text


def test_refused_htmx_action_answers_a_reason(
    database_url: str, console_for: Callable[..., ConsoleClient]
) -> None:
    event_id = failed_billing_event(database_url, "to be replayed twice")
    browser = console_for("billing")
    htmx = {"X-CSRF-Token": browser.csrf, "Origin": browser.origin, "HX-Request": "true"}
    first = browser.post(f"/console/billing/events/{event_id}/replay", headers=htmx)
    assert first.status_code == 200 and "replay queued" in first.text and "<html" not in first.text
    again = browser.post(f"/console/billing/events/{event_id}/replay", headers=htmx)
    assert again.status_code == 409 and again.headers["content-type"].startswith("text/plain")
    assert "already waiting" in again.text
