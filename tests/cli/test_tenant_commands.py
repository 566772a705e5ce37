"""`paybill tenants …`: the tenant services, with the CLI principal as the audited actor."""

from __future__ import annotations

import json
from typing import Any

from tests.cli.helpers import audit_events, execute, paybill
from tests.factories import make_tenant, make_tier
from tests.live import Api


def test_list_filters_like_the_api(admin: Api, database_url: str) -> None:
    tier = make_tier(admin)["key"]
    other = make_tier(admin)["key"]
    first = make_tenant(admin, tier)
    second = make_tenant(admin, tier)
    make_tenant(admin, other)

    table = paybill(database_url, "tenants", "list", "--tier", tier)
    assert table.exit_code == 0, table.output
    header, *rows = table.stdout.splitlines()
    assert header.split() == [
        "ID",
        "SLUG",
        "STATUS",
        "DESIRED",
        "TIER",
        "ISOLATION",
        "CLOUD",
        "REGION",
    ]
    assert [r.split()[1] for r in rows] == [first["slug"], second["slug"]]
    assert rows[0].split()[2:] == ["provisioning", "active", tier, "pooled", "local", "local-1"]

    page = json.loads(
        paybill(database_url, "tenants", "list", "--tier", tier, "--limit", "1", "--json").stdout
    )
    assert [t["id"] for t in page["items"]] == [first["id"]] and page["next_cursor"]
    rest = paybill(
        database_url, "tenants", "list", "--tier", tier, "--json", "--cursor", page["next_cursor"]
    )
    assert [t["id"] for t in json.loads(rest.stdout)["items"]] == [second["id"]]
    # The same shape as the API's page.
    api_page = admin.ok("GET", "/v1/tenants", params={"tier": tier, "limit": 1})
    assert api_page == page

    none = paybill(
        database_url, "tenants", "list", "--tier", tier, "--status", "suspended", "--cloud", "aws"
    )
    assert none.exit_code == 0 and none.stdout.strip() == "No tenants match."
    bad = paybill(database_url, "tenants", "list", "--status", "sleeping")
    assert bad.exit_code == 2 and "sleeping" in bad.stderr


def test_get_by_id_or_slug(admin: Api, database_url: str) -> None:
    tenant = make_tenant(admin, make_tier(admin)["key"])
    by_slug = json.loads(paybill(database_url, "tenants", "get", tenant["slug"], "--json").stdout)
    by_id = json.loads(paybill(database_url, "tenants", "get", tenant["id"], "--json").stdout)
    api = admin.ok("GET", f"/v1/tenants/{tenant['id']}")
    assert by_slug == by_id == api
    fields = paybill(database_url, "tenants", "get", tenant["slug"]).stdout.splitlines()
    assert any(line.split() == ["slug", tenant["slug"]] for line in fields)
    missing = paybill(database_url, "tenants", "get", "no-such-tenant")
    assert missing.exit_code == 1
    assert (
        missing.stderr.strip() == "error: No tenant with slug 'no-such-tenant'. [tenant-not-found]"
    )


def _actions(database_url: str, tenant: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return audit_events(database_url, tenant["id"], action)


def test_suspend_resume_deprovision_are_audited_as_the_cli(admin: Api, database_url: str) -> None:
    tenant = make_tenant(admin, make_tier(admin)["key"])
    suspended = paybill(database_url, "tenants", "suspend", tenant["slug"])
    assert suspended.exit_code == 0, suspended.output
    assert "suspend accepted" in suspended.stdout
    assert admin.ok("GET", f"/v1/tenants/{tenant['id']}")["desired_state"] == "suspended"
    [event] = _actions(database_url, tenant, "tenant.suspend")
    assert event["actor"] == "cli"

    # Still provisioning, so not resumable: the API's refusal, as one line and exit 1.
    refused = paybill(database_url, "tenants", "resume", tenant["id"])
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error: ") and "[invalid-transition]" in refused.stderr

    execute(database_url, "UPDATE tenants SET status = 'suspended' WHERE id = :id", id=tenant["id"])
    resumed = json.loads(paybill(database_url, "tenants", "resume", tenant["id"], "--json").stdout)
    assert resumed["desired_state"] == "active" and resumed["status"] == "updating"
    assert _actions(database_url, tenant, "tenant.resume")[0]["actor"] == "cli"

    aborted = paybill(database_url, "tenants", "deprovision", tenant["slug"], input="n\n")
    assert aborted.exit_code == 1 and "Aborted" in aborted.output
    assert _actions(database_url, tenant, "tenant.deprovision") == []
    confirmed = paybill(database_url, "tenants", "deprovision", tenant["slug"], input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert admin.ok("GET", f"/v1/tenants/{tenant['id']}")["desired_state"] == "deprovisioned"
    assert _actions(database_url, tenant, "tenant.deprovision")[0]["actor"] == "cli"
