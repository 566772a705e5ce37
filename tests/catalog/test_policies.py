"""Catalog policies: CEL parsed on the way in (API and catalog file), audited, listed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from paybill_control_plane.catalog.files import CatalogFileError, parse_catalog
from tests.catalog.pages import every_item
from tests.conftest import unique
from tests.live import Api

GOOD = {
    "enforcement": "approval",
    "expression": 'run.kind == "deprovision" && tier.rank >= 30',
    "message": "Deprovisioning a high tier needs approval.",
    "applies_to": {"operations": ["destroy"]},
}


def test_put_get_list_delete_policy(admin: Api) -> None:
    name = unique("pol")
    created = admin.ok("PUT", f"/v1/policies/{name}", json=GOOD)
    assert created["version"] == 1 and created["applies_to"]["operations"] == ["destroy"]
    same = admin.ok("PUT", f"/v1/policies/{name}", json=GOOD)
    assert same["version"] == 1, "an identical policy is left alone"
    changed = admin.ok("PUT", f"/v1/policies/{name}", json={**GOOD, "enforcement": "deny"})
    assert changed["version"] == 2 and changed["enforcement"] == "deny"
    assert name in {p["name"] for p in every_item(admin, "/v1/policies")}
    params = {"action": "policy.updated", "limit": 200}
    updates = []
    while True:
        page = admin.ok("GET", "/v1/audit-events", params=params)
        updates += [e for e in page["items"] if e["target_id"] == name]
        if not page["next_cursor"]:
            break
        params["cursor"] = page["next_cursor"]
    [update] = updates
    assert (
        update["before"]["enforcement"] == "approval" and update["after"]["enforcement"] == "deny"
    )
    admin.ok("DELETE", f"/v1/policies/{name}", 204)
    assert admin.get(f"/v1/policies/{name}").status_code == 404


@pytest.mark.parametrize(
    "expression",
    ["counts.destroy >", "run.kind == ", "changes.exists(c, c.action == )", "'unterminated"],
)
def test_bad_cel_is_a_clear_422(admin: Api, expression: str) -> None:
    response = admin.put(f"/v1/policies/{unique('pol')}", json={**GOOD, "expression": expression})
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"].endswith("validation-error")
    [error] = problem["errors"]
    assert error["loc"][-1] == "expression" and "invalid CEL expression" in error["msg"]
    assert "Syntax error" in error["msg"] or "error" in error["msg"].lower()


def test_unknown_enforcement_and_fields_are_refused(admin: Api) -> None:
    name = unique("pol")
    assert (
        admin.put(f"/v1/policies/{name}", json={**GOOD, "enforcement": "warn"}).status_code == 422
    )
    extra = {**GOOD, "applies_to": {"regions": ["eu"]}}
    assert admin.put(f"/v1/policies/{name}", json=extra).status_code == 422


def test_tenant_and_billing_keys_cannot_write_policies(client_for: Callable[..., Api]) -> None:
    with client_for("billing") as billing, client_for("viewer") as viewer:
        for key in (billing, viewer):
            assert key.put(f"/v1/policies/{unique('pol')}", json=GOOD).status_code == 403
            assert key.get("/v1/approvals").status_code == 403


def test_catalog_file_points_at_a_bad_expression(tmp_path: Path) -> None:
    text = (
        "policies:\n"
        "  - name: broken\n"
        "    enforcement: deny\n"
        "    expression: 'counts.destroy >'\n"
        "    message: never\n"
    )
    with pytest.raises(CatalogFileError) as caught:
        parse_catalog(text, "catalog.yaml")
    [issue] = caught.value.issues
    assert issue.line == 4 and "invalid CEL expression" in issue.message
    assert "policies[0].expression" in issue.message


def test_example_catalog_policies_parse() -> None:
    catalog = parse_catalog(Path("examples/catalog.yaml").read_text(), "examples/catalog.yaml")
    assert {p.name for p in catalog.policies} == {
        "database-destroy-needs-fresh-snapshot",
        "deprovision-high-tier-needs-approval",
        "mass-destroy-needs-approval",
    }
