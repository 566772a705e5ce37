"""The console in a real browser (Debian's Chromium through Playwright), against the session's
live server: roles, a failed billing event replayed, keyboard navigation, axe on every page."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from paybill_control_plane.config import Settings
from tests.conftest import unique
from tests.console.browser_support import AXE, axe_violations, screenshot
from tests.console.conftest import sign_in
from tests.console.helpers import (
    data_tier_rows,
    drift_row,
    failed_billing_event,
    hold_run,
    migration_row,
    rollout_rows,
    webhook_rows,
)
from tests.factories import make_tenant, make_tier
from tests.live import Api, LiveServer
from tests.provisioning.stack_env import stack_environment


@pytest.fixture
def key_of(client_for: Callable[..., Api]) -> Callable[..., str]:
    def make(role: str, tenant_id: str | None = None) -> str:
        with client_for(role, tenant_id) as api:
            return api.key or ""

    return make


def test_replay_a_failed_billing_event(
    page: Page, live_server: LiveServer, database_url: str, key_of: Callable[..., str]
) -> None:
    event_id = failed_billing_event(database_url, "no plan for price price_123")
    sign_in(page, live_server.url, key_of("billing"))
    page.goto(f"{live_server.url}/console/billing?status=failed")
    row = page.locator(f"#event-{event_id}")
    expect(row).to_have_class("row-bad")
    expect(row).to_contain_text("no plan for price price_123")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Replay").click()
    expect(page.locator(f"#event-{event_id}")).to_contain_text("replay queued")
    expect(page.locator(f"#event-{event_id} .badge")).to_have_text("received")


def test_viewer_sees_no_actions(
    page: Page, live_server: LiveServer, admin: Api, database_url: str, key_of: Callable[..., str]
) -> None:
    tenant = make_tenant(admin, make_tier(admin)["key"])
    failed_billing_event(database_url, "viewer cannot replay this")
    sign_in(page, live_server.url, key_of("viewer"))
    page.goto(f"{live_server.url}/console/tenants/{tenant['id']}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(tenant["name"])
    expect(page.get_by_role("group", name="Lifecycle actions")).to_have_count(0)
    expect(page.get_by_role("button", name="Suspend")).to_have_count(0)
    page.goto(f"{live_server.url}/console/tenants")
    expect(page.get_by_role("link", name="New tenant")).to_have_count(0)
    page.goto(f"{live_server.url}/console/billing")
    expect(page.locator("tr.row-bad").first).to_be_visible()
    expect(page.get_by_role("button", name="Replay")).to_have_count(0)


def test_tenant_key_sees_no_other_tenant(
    page: Page, live_server: LiveServer, admin: Api, key_of: Callable[..., str]
) -> None:
    tier = make_tier(admin)
    mine, other = make_tenant(admin, tier["key"]), make_tenant(admin, tier["key"])
    sign_in(page, live_server.url, key_of("tenant", mine["id"]))
    expect(page).to_have_url(f"{live_server.url}/console/tenants/{mine['id']}")
    nav = page.get_by_role("navigation", name="Sections")
    expect(nav.get_by_role("link")).to_have_text(["Tenants", "Runs"])
    page.goto(f"{live_server.url}/console/tenants")
    expect(page.get_by_role("link", name=mine["slug"])).to_be_visible()
    expect(page.get_by_role("link", name=other["slug"])).to_have_count(0)
    page.goto(f"{live_server.url}/console/tenants/{other['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tenant not found")


def test_keyboard_navigation(
    page: Page, live_server: LiveServer, key_of: Callable[..., str]
) -> None:
    sign_in(page, live_server.url, key_of("admin"))
    page.keyboard.press("g")
    page.keyboard.press("r")
    expect(page).to_have_url(f"{live_server.url}/console/runs")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("g")
    page.keyboard.press("t")
    expect(page).to_have_url(f"{live_server.url}/console/tenants")
    page.keyboard.press("/")
    expect(page.locator("input[name=q]")).to_be_focused()


@pytest.fixture
def axe_page(browser: Browser) -> Iterator[Page]:
    if not AXE.exists():
        if os.environ.get("PAYBILL_REQUIRE_BROWSER"):
            pytest.fail(f"axe-core is not installed ({AXE}): `make tools` installs it")
        pytest.skip(f"axe-core is not installed ({AXE}): run `make tools`")
    # axe is injected as a script tag, which the console's CSP would refuse.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


@pytest.mark.slow
def test_every_page_passes_axe(
    axe_page: Page,
    live_server: LiveServer,
    admin: Api,
    database_url: str,
    key_of: Callable[..., str],
) -> None:
    page = axe_page
    tier = make_tier(admin, default_isolation="silo", allowed_isolation=["silo"])
    tenant = make_tenant(admin, tier["key"], name="Acme Corp", labels={"cost-center": "sales"})
    [run] = admin.ok("GET", f"/v1/tenants/{tenant['id']}/runs")["items"]
    # A pool partly filled, and tenants on their way to each desired state (no worker runs
    # here, so they stay in their running statuses).
    pooled = make_tier(admin, default_isolation="pooled", pool_capacity=5)
    for name, action in (("Globex", None), ("Initech", "suspend"), ("Umbrella", "deprovision")):
        other = make_tenant(admin, pooled["key"], name=name)
        if action:
            admin.ok("POST", f"/v1/tenants/{other['id']}/{action}", 202)
    failed_billing_event(database_url, "a failed event, for the screenshot")
    # The data page with a database and a completed snapshot; a run a policy holds.
    data_tier_rows(database_url, tenant["id"])
    held_tenant = make_tenant(admin, tier["key"], name="Hooli")
    [held] = admin.ok("GET", f"/v1/tenants/{held_tenant['id']}/runs")["items"]
    hold_run(database_url, held["id"], held["requested_by"])
    created = admin.ok("GET", "/v1/events", params={"tenant_id": tenant["id"]})["items"][0]
    endpoint_id = webhook_rows(database_url, created["id"], tenant["id"])
    migration_row(database_url, tenant, "hold")
    rollout = rollout_rows(database_url, tenant["id"], held_tenant["id"])
    drift_row(database_url, tenant["id"])
    page.goto(f"{live_server.url}/console/sign-in")
    checked: dict[str, list[dict[str, Any]]] = {"sign-in": axe_violations(page)}
    sign_in(page, live_server.url, key_of("admin"))
    pages = {
        "tenants": "/console/tenants",
        "tenants-empty-search": "/console/tenants?q=zzzz-nothing",
        "tenant": f"/console/tenants/{tenant['id']}",
        "tenant-new": "/console/tenants/new",
        "runs": "/console/runs",
        "run": f"/console/runs/{run['id']}",
        "billing": "/console/billing",
        "fleet": "/console/fleet",
        "audit": "/console/audit",
        "keys": "/console/keys",
        "data": f"/console/tenants/{tenant['id']}/data",
        "approvals": "/console/approvals",
        "approvals-empty": "/console/approvals?status=rejected",
        "run-held": f"/console/runs/{held['id']}",
        "events": "/console/events",
        "rollouts": "/console/fleet/rollouts",
        "rollout": f"/console/fleet/rollouts/{rollout}",
        "drift": "/console/fleet/drift",
        "drift-empty": "/console/fleet/drift?status=resolved",
        "migrations": f"/console/tenants/{tenant['id']}/migrations",
        "migrations-preview": f"/console/tenants/{tenant['id']}/migrations?isolation_model=pooled",
        "events-filtered": "/console/events?type=run.failed",
        "webhook-endpoint": f"/console/events/endpoints/{endpoint_id}",
        "error": "/console/tenants/00000000-0000-0000-0000-000000000000",
    }
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        checked[name] = axe_violations(page)
        if name in ("tenants", "billing", "fleet", "audit", "data", "run-held", "rollout"):
            screenshot(page, name)
    page.goto(f"{live_server.url}/console/audit")
    page.get_by_role("button", name="Verify the chain now").click()
    expect(page.locator("#verify")).to_contain_text("Chain intact")
    checked["audit-verified"] = axe_violations(page)
    assert {name: found for name, found in checked.items() if found} == {}


def _in_thread(fn: Callable[..., Any], *args: Any) -> Any:
    # The sync Playwright API marks an event loop as running in this thread; database set-up
    # (asyncio.run) goes to a thread of its own.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args).result()


@pytest.fixture
def terraform_env(tmp_path: Path) -> Iterator[tuple[Api, Settings]]:
    """A server with an embedded worker and real Terraform on `local` (applies take ~3 s)."""
    environment = stack_environment(tmp_path, local_apply_delay_seconds=3)
    pair = _in_thread(environment.__enter__)
    try:
        yield pair
    finally:
        _in_thread(environment.__exit__, None, None, None)


@pytest.mark.terraform
@pytest.mark.slow
def test_create_a_tenant_watch_it_provision_suspend_and_resume(
    page: Page, terraform_env: tuple[Api, Settings]
) -> None:
    api, _ = terraform_env
    base = str(api.base_url).rstrip("/")
    tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
    slug = unique("console")
    sign_in(page, base, api.key or "")

    page.get_by_role("link", name="New tenant").click()
    page.get_by_label("Slug").fill(slug)
    page.get_by_label("Name").fill("Console Co")
    page.get_by_label("Tier").select_option(tier["key"])
    page.get_by_role("button", name="Create tenant").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Console Co")
    tenant_url = page.url

    # The run's page follows the Terraform log while it runs: lines arrive after the page loaded.
    page.get_by_role("link", name=re.compile(r"^[0-9a-f]{8}$")).first.click()
    loaded_lines = page.locator("#log-lines .line").count()
    expect(page.locator("#log-poller[data-live]")).to_have_count(1)
    expect(page.locator("#log-lines")).to_contain_text("Apply complete", timeout=120_000)
    expect(page.locator("#run-summary .status-line .badge")).to_have_text("succeeded")
    expect(page.locator("#log-poller")).to_contain_text("Log complete.")
    assert page.locator("#log-lines .line").count() > loaded_lines
    expect(page.locator("#run-summary .steps")).to_contain_text("apply")
    screenshot(page, "run")

    page.goto(tenant_url)
    expect(page.locator("#live .status-line .badge")).to_have_text("active", timeout=60_000)
    for action, settled in (("Suspend", "suspended"), ("Resume", "active")):
        page.get_by_role("button", name=action, exact=True).click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text(f"{action} tenant “Console Co” ({slug})?")
        dialog.get_by_role("button", name=f"{action} {slug}").click()
        expect(page.get_by_role("status").first).to_contain_text(f"“{action.lower()}” requested")
        expect(page.locator("#live .status-line .badge")).to_have_text(settled, timeout=120_000)
    screenshot(page, "tenant")
    tenant = api.ok("GET", tenant_url.replace("/console/", "/v1/"))
    assert tenant["status"] == "active" and tenant["suspended_by"] is None


def test_approve_a_held_run_and_take_a_snapshot(
    page: Page, live_server: LiveServer, admin: Api, database_url: str, key_of: Callable[..., str]
) -> None:
    tier = make_tier(admin, default_isolation="silo", allowed_isolation=["silo"])
    tenant = make_tenant(admin, tier["key"], name="Approve Co")
    [run] = admin.ok("GET", f"/v1/tenants/{tenant['id']}/runs")["items"]
    hold_run(database_url, run["id"], run["requested_by"])
    data_tier_rows(database_url, tenant["id"])
    sign_in(page, live_server.url, key_of("operator"))
    page.goto(f"{live_server.url}/console/approvals")
    page.get_by_role("link", name=run["id"][:8]).click()
    expect(page.get_by_text("local_file.old_config")).to_be_visible()
    page.get_by_role("button", name="Approve", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Comment (optional)").fill("checked in the console")
    dialog.get_by_role("button", name="Approve run").click()
    expect(page.locator("#approval-title + .status-line .badge")).to_have_text("approved")
    assert admin.ok("GET", f"/v1/runs/{run['id']}")["status"] == "queued"
    page.goto(f"{live_server.url}/console/tenants/{tenant['id']}")
    page.get_by_role("link", name="Database, credentials, snapshots and restores").click()
    page.get_by_role("button", name="Take a snapshot").click()
    expect(page.get_by_role("status").first).to_contain_text("Snapshot queued")
    expect(page.locator("table.data tbody tr").first.locator(".badge")).to_have_text("pending")
