"""The console's outbound events page: admin only, redeliver with CSRF, over HTTP."""

from __future__ import annotations

from collections.abc import Callable

from tests.console.helpers import ConsoleClient, webhook_rows
from tests.factories import make_tenant, make_tier
from tests.live import Api


def test_events_are_admin_only_and_redeliver_goes_through_the_service(
    admin: Api, console_for: Callable[..., ConsoleClient], database_url: str
) -> None:
    tenant = make_tenant(admin, make_tier(admin)["key"])
    [event] = [
        e for e in admin.ok("GET", "/v1/events", params={"tenant_id": tenant["id"]})["items"]
        if e["type"] == "tenant.created"
    ]  # fmt: skip
    for role in ("operator", "viewer", "billing"):
        other = console_for(role)
        assert other.get("/console/events").status_code == 403, role
        assert 'href="/console/events"' not in other.get("/console/tenants").text, role
        assert other.act(f"/console/events/{event['id']}/redeliver").status_code == 403, role
    browser = console_for("admin")
    page = browser.get("/console/events?type=tenant.created")
    assert page.status_code == 200 and tenant["id"][:8] in page.text
    assert f'action="/console/events/{event["id"]}/redeliver"' in page.text
    assert browser.get("/console/events?type=nonsense").status_code == 400
    url = f"/console/events/{event['id']}/redeliver"
    assert browser.post_form(url, {}).status_code == 403
    assert browser.post_form(url, {"csrf_token": "0" * 64}).status_code == 403
    forged = browser.post_form(
        url, {"csrf_token": browser.csrf}, headers={"Origin": "https://evil.example"}
    )
    assert forged.status_code == 403
    before = admin.ok("GET", "/v1/audit-events", params={"action": "event.redelivered"})["items"]
    assert not [e for e in before if e["target_id"] == event["id"]]
    done = browser.act(url)
    assert done.status_code == 303 and done.headers["location"].startswith("/console/events?")
    assert "Redelivery queued" in browser.get(done.headers["location"]).text
    after = admin.ok("GET", "/v1/audit-events", params={"action": "event.redelivered"})["items"]
    assert [e["target_id"] for e in after if e["target_id"] == event["id"]] == [event["id"]]
    assert "Redelivery queued to 0 endpoint(s)" in browser.get(done.headers["location"]).text
    endpoint_id = webhook_rows(database_url, event["id"], tenant["id"])
    assert browser.get(f"/console/events/endpoints/{endpoint_id}").status_code == 200
    assert "Service Unavailable" in browser.get(f"/console/events/endpoints/{endpoint_id}").text
    assert operator_refused(console_for, f"/console/events/endpoints/{endpoint_id}")
    missing = "00000000-0000-0000-0000-000000000000"
    assert browser.get(f"/console/events/endpoints/{missing}").status_code == 404


def operator_refused(console_for: Callable[..., ConsoleClient], url: str) -> bool:
    return console_for("operator").get(url).status_code == 403
