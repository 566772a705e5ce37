"""The console's data-tier page: roles, tenant scoping and CSRF over plain HTTP."""

from __future__ import annotations

from collections.abc import Callable

from tests.console.helpers import ConsoleClient, data_tier_rows
from tests.factories import make_tenant, make_tier
from tests.live import Api


def _silo_tenant(admin: Api) -> dict[str, str]:
    tier = make_tier(admin, default_isolation="silo", allowed_isolation=["silo"])
    return make_tenant(admin, tier["key"])


def test_empty_states_say_what_to_do(admin: Api, console_for: Callable[..., ConsoleClient]) -> None:
    tenant = _silo_tenant(admin)
    operator = console_for("operator")
    assert (
        f'href="/console/tenants/{tenant["id"]}/data"'
        in operator.get(f"/console/tenants/{tenant['id']}").text
    )
    page = operator.get(f"/console/tenants/{tenant['id']}/data")
    assert page.status_code == 200
    assert "No database yet" in page.text and "first successful provisioning run" in page.text
    assert "No snapshots yet" in page.text
    # Nothing to snapshot: no button, and the API's refusal if posted anyway.
    assert "Take a snapshot" not in page.text and "Rotate password" not in page.text
    refused = operator.act(f"/console/tenants/{tenant['id']}/data/snapshots")
    assert refused.status_code == 409 and "no database to snapshot" in refused.text


def test_operator_takes_a_snapshot_and_restores_through_the_api_services(
    admin: Api, console_for: Callable[..., ConsoleClient], database_url: str
) -> None:
    tenant = _silo_tenant(admin)
    snapshot_id = data_tier_rows(database_url, tenant["id"])
    operator = console_for("operator")
    page = operator.get(f"/console/tenants/{tenant['id']}/data").text
    assert "Take a snapshot" in page and f'data-opens="restore-{snapshot_id}"' in page
    assert "Rotate password" in page and f"Restore {tenant['slug']}" in page
    taken = operator.act(f"/console/tenants/{tenant['id']}/data/snapshots")
    assert taken.status_code == 303 and taken.headers["location"].endswith("?done=snapshot")
    items = admin.ok("GET", f"/v1/tenants/{tenant['id']}/snapshots")["items"]
    assert [s["status"] for s in items] == ["pending", "completed"]
    assert items[0]["requested_by"].startswith("apikey:")
    url = f"/console/tenants/{tenant['id']}/data/snapshots/{snapshot_id}/restore"
    assert operator.act(url, mode="sideways").status_code == 400
    restored = operator.act(url, mode="new_database")
    assert restored.status_code == 303
    after = operator.get(restored.headers["location"]).text
    assert "Restore under way" in after and "new_database" in after
    # A second restore while one is pending: the API's 409, shown as a page.
    again = operator.act(url, mode="in_place")
    assert again.status_code == 409
    [event] = admin.ok(
        "GET",
        "/v1/audit-events",
        params={"tenant_id": tenant["id"], "action": "snapshot.requested"},
    )["items"]
    assert event["actor"].startswith("apikey:")


def test_viewer_and_tenant_keys_see_no_data_actions(
    admin: Api, console_for: Callable[..., ConsoleClient], database_url: str
) -> None:
    mine, other = _silo_tenant(admin), _silo_tenant(admin)
    snapshot_id = data_tier_rows(database_url, mine["id"])
    data_tier_rows(database_url, other["id"])
    viewer = console_for("viewer")
    page = viewer.get(f"/console/tenants/{mine['id']}/data")
    assert page.status_code == 200 and "available" in page.text
    assert (
        "data-opens=" not in page.text
        and f'action="/console/tenants/{mine["id"]}/data/' not in (page.text)
    )
    refused = viewer.act(f"/console/tenants/{mine['id']}/data/snapshots")
    assert refused.status_code == 403 and "tenants:write" in refused.text
    restore = f"/console/tenants/{mine['id']}/data/snapshots/{snapshot_id}/restore"
    assert viewer.act(restore).status_code == 403
    assert viewer.act(f"/console/tenants/{mine['id']}/data/credentials").status_code == 403
    tenant_key = console_for("tenant", mine["id"])
    own = tenant_key.get(f"/console/tenants/{mine['id']}/data")
    assert own.status_code == 200 and snapshot_id[:8] in own.text
    # A tenant key may rotate its own password (as the API allows) but not snapshot or restore.
    assert "Rotate password" in own.text and "Take a snapshot" not in own.text
    assert f'data-opens="restore-{snapshot_id}"' not in own.text
    assert tenant_key.act(f"/console/tenants/{mine['id']}/data/snapshots").status_code == 403
    assert tenant_key.act(restore).status_code == 403
    for path in ("data", "data/snapshots", "data/credentials"):
        url = f"/console/tenants/{other['id']}/{path}"
        answer = tenant_key.get(url) if path == "data" else tenant_key.act(url)
        assert answer.status_code == 404, path
    assert admin.ok("GET", f"/v1/tenants/{mine['id']}/snapshots")["items"][0]["status"] == (
        "completed"
    )


def test_data_forms_need_the_csrf_token(
    admin: Api, console_for: Callable[..., ConsoleClient], database_url: str
) -> None:
    tenant = _silo_tenant(admin)
    snapshot_id = data_tier_rows(database_url, tenant["id"])
    operator = console_for("operator")
    base = f"/console/tenants/{tenant['id']}/data"
    for url in (
        f"{base}/snapshots",
        f"{base}/snapshots/{snapshot_id}/restore",
        f"{base}/credentials",
    ):
        assert operator.post_form(url, {}).status_code == 403, url
        assert operator.post_form(url, {"csrf_token": "0" * 64}).status_code == 403, url
        forged = operator.post_form(
            url, {"csrf_token": operator.csrf}, headers={"Origin": "https://evil.example"}
        )
        assert forged.status_code == 403, url
    assert [s["id"] for s in admin.ok("GET", f"/v1/tenants/{tenant['id']}/snapshots")["items"]] == [
        snapshot_id
    ]
