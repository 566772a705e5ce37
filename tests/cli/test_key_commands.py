"""`paybill keys create|list|revoke`."""

from __future__ import annotations

import json
import uuid

from tests.cli.helpers import audit_events, paybill
from tests.conftest import unique
from tests.live import Api


def test_list_and_revoke(database_url: str, live_server: object) -> None:
    name = unique("ops")
    made = paybill(database_url, "keys", "create", "--role", "operator", "--name", name)
    assert made.exit_code == 0, made.output
    key_id = made.stdout.split()[1]
    secret = next(line.split()[1] for line in made.stdout.splitlines() if line.startswith("key:"))

    listed = paybill(database_url, "keys", "list", "--limit", "200")
    assert listed.stdout.splitlines()[0].split()[:4] == ["ID", "NAME", "ROLE", "PREFIX"]
    row = next(r for r in listed.stdout.splitlines() if r.startswith(key_id))
    assert row.split()[1:3] == [name, "operator"]
    assert secret not in listed.stdout  # secrets are shown at creation only
    as_json = json.loads(paybill(database_url, "keys", "list", "--limit", "200", "--json").stdout)
    assert any(k["id"] == key_id and "key" not in k for k in as_json["items"])

    revoked = paybill(database_url, "keys", "revoke", key_id)
    assert revoked.exit_code == 0 and "revoked" in revoked.stdout
    assert "already revoked" in paybill(database_url, "keys", "revoke", key_id).stdout
    [event] = audit_events(database_url, key_id, "api_key.revoked")
    assert event["actor"] == "cli"
    active = paybill(database_url, "keys", "list", "--limit", "200").stdout
    assert key_id not in active
    assert (
        key_id
        in paybill(database_url, "keys", "list", "--limit", "200", "--include-revoked").stdout
    )
    with Api(live_server.url, secret) as api:  # type: ignore[attr-defined]
        assert api.get("/v1/tenants").status_code == 401

    missing = paybill(database_url, "keys", "revoke", str(uuid.uuid4()))
    assert missing.exit_code == 1 and "[api-key-not-found]" in missing.stderr
