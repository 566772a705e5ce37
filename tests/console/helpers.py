"""A browser-like HTTP client for the console: cookies, form posts, CSRF tokens from pages."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import httpx
import psycopg
from sqlalchemy.engine import make_url

from paybill_control_plane.db.embedded import to_libpq_url
from tests.billing import events

_CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
_CSRF_HEADER = re.compile(r'"X-CSRF-Token": "([0-9a-f]+)"')


class ConsoleClient(httpx.Client):
    def __init__(self, base_url: str) -> None:
        super().__init__(base_url=base_url, timeout=30, follow_redirects=False)
        self.origin = base_url
        self.csrf = ""

    def sign_in(self, key: str) -> httpx.Response:
        page = self.get("/console/sign-in")
        token = _CSRF_INPUT.search(page.text)
        assert token, page.text
        response = self.post_form(
            "/console/sign-in", {"csrf_token": token.group(1), "api_key": key}
        )
        if response.status_code == 303:
            landing = self.get(response.headers["location"])
            found = _CSRF_HEADER.search(landing.text)
            self.csrf = found.group(1) if found else ""
        return response

    def post_form(self, url: str, data: dict[str, str], **kwargs: Any) -> httpx.Response:
        headers = {"Origin": self.origin, **kwargs.pop("headers", {})}
        return self.post(url, data=data, headers=headers, **kwargs)

    def act(self, url: str, **extra: str) -> httpx.Response:
        """A form POST as the console's pages send it (with this session's CSRF token)."""
        return self.post_form(url, {"csrf_token": self.csrf, **extra})


def failed_billing_event(database_url: str, error: str) -> str:
    """A stored Stripe event whose processing failed (as test_replay.py stores one)."""
    event = events.make_event(
        "customer.subscription.updated", events.subscription(), created=int(time.time())
    )
    url = to_libpq_url(make_url(database_url).render_as_string(hide_password=False))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO billing_events (id, stripe_event_id, type, livemode, event_created_at, "
            "payload, status, attempts, error) VALUES (gen_random_uuid(), %s, %s, false, now(), "
            "%s::jsonb, 'failed', 10, %s)",
            (event["id"], event["type"], json.dumps(event), error),
        )
    return str(event["id"])
