"""Rotating a tenant's database password through the console, on a real local data tier:
the new password is on the answer page once, works, and is never shown again."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest

from paybill_control_plane.config import Settings
from tests.console.helpers import ConsoleClient
from tests.datatier.helpers import connect_as, ensure, purge, tenant_in
from tests.live import Api

_SECRET = re.compile(r'<code class="secret">([^<]+)</code>')


@pytest.fixture(scope="module", autouse=True)
def _purged(settings: Settings, database_url: str) -> Iterator[None]:
    yield
    purge(settings, database_url)


def test_rotate_shows_the_password_once(
    admin: Api, settings: Settings, database_url: str, console_for: Callable[..., ConsoleClient]
) -> None:
    tenant = tenant_in(admin, "silo")
    ensure(settings, database_url, tenant)
    browser = console_for("tenant", tenant["id"])  # a tenant key may rotate its own
    url = f"/console/tenants/{tenant['id']}/data"
    before = admin.ok("GET", f"/v1/tenants/{tenant['id']}/database")
    page = browser.get(url)
    assert 'data-opens="confirm-rotate"' in page.text and "Copy it now" not in page.text
    answer = browser.act(f"{url}/credentials")
    assert answer.status_code == 200 and "no-store" in answer.headers["cache-control"]
    found = _SECRET.search(answer.text)
    assert found and "shown this once" in answer.text
    password = found.group(1)
    after = admin.ok("GET", f"/v1/tenants/{tenant['id']}/database")
    assert after["username"] != before["username"] and after["credentials_rotated_at"]
    assert f"The previous login {before['username']} keeps working" in answer.text
    with connect_as(after, password) as conn:
        assert conn.execute("SELECT session_user").fetchone() == (after["username"],)
    again = browser.get(url).text
    assert password not in again and "Copy it now" not in again
    [event] = admin.ok(
        "GET",
        "/v1/audit-events",
        params={"tenant_id": tenant["id"], "action": "database.credentials_rotated"},
    )["items"]
    assert event["actor"].startswith("apikey:") and password not in str(event)
