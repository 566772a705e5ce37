"""The fixture/signing helpers themselves: one fixtures path, stripe's own signature format."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import stripe

from . import events


def test_fixtures_path_default_and_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(events.FIXTURES_ENV, raising=False)
    default = events.fixtures_path()
    assert default.parts[-3:] == ("billing", "fixtures", "fixtures3.json")
    assert default.is_file()

    copy = tmp_path / "fixtures3.json"
    shutil.copyfile(default, copy)
    data = json.loads(copy.read_text())
    data["resources"]["subscription"]["id"] = "sub_from_override"
    copy.write_text(json.dumps(data))
    monkeypatch.setenv(events.FIXTURES_ENV, str(copy))
    assert events.fixtures_path() == copy
    assert events.resource("subscription")["id"] == "sub_from_override"


def test_resources_are_fresh_copies() -> None:
    first = events.resource("subscription")
    first["items"]["data"].clear()
    assert events.resource("subscription")["items"]["data"]


def test_make_event_envelope() -> None:
    obj = events.subscription(id="sub_env", status="past_due")
    event = events.make_event(
        "customer.subscription.updated",
        obj,
        created=1_772_000_000,
        previous_attributes={"status": "active"},
        event_id="evt_fixed",
    )
    assert event["object"] == "event"
    assert event["id"] == "evt_fixed"
    assert event["created"] == 1_772_000_000
    assert event["data"] == {"object": obj, "previous_attributes": {"status": "active"}}
    assert events.make_event("x.y", obj, created=1)["id"].startswith("evt_")


def test_sign_matches_stripe_and_supports_two_secrets() -> None:
    body = events.encode(events.make_event("invoice.paid", events.invoice(), created=1))
    single = events.sign(body, "whsec_one", 1_700_000_000)
    assert single == stripe.WebhookSignature.generate_signature_header(
        body.decode(), "whsec_one", 1_700_000_000
    )
    double = events.sign(body, ["whsec_one", "whsec_two"], 1_700_000_000)
    t, v1_one, v1_two = double.split(",")
    assert t == "t=1700000000"
    assert single.endswith(v1_one)
    assert v1_one != v1_two
    for secret in ("whsec_one", "whsec_two"):
        assert stripe.WebhookSignature.verify_header(body, double, secret, tolerance=None)
