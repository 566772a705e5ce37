"""The generated Python client (clients/python, package `paybill_client`) against the live API."""

from __future__ import annotations

from http import HTTPStatus

from paybill_client import AuthenticatedClient
from paybill_client.api.catalog import plans_create, tiers_create
from paybill_client.api.tenants import tenants_create, tenants_list, tenants_resume
from paybill_client.models import (
    BooleanFeature,
    NumericFeature,
    PlanCreate,
    PlanOut,
    Problem,
    Sizing,
    TenantCreate,
    TenantCreateLabels,
    TenantOut,
    TenantPage,
    TierCreate,
    TierOut,
)
from paybill_client.types import UNSET, Unset

from tests.conftest import unique
from tests.live import Api, LiveServer


def test_python_client_scenario(live_server: LiveServer, admin: Api) -> None:
    client = AuthenticatedClient(
        base_url=live_server.url, token=admin.key or "", raise_on_unexpected_status=True
    )
    with client:
        tier_key = unique("py-tier")
        created_tier = tiers_create.sync_detailed(
            client=client,
            body=TierCreate(
                key=tier_key,
                name="Python tier",
                rank=10,
                default_isolation="pooled",
                allowed_isolation=["pooled", "silo"],
                features=[
                    NumericFeature(key="seats", value=10, unit="seat"),
                    BooleanFeature(key="sso", enabled=True),
                ],
                sizing=Sizing(
                    compute_units=1,
                    memory_gb=2,
                    storage_gb=20,
                    db_class="small",
                    replicas=1,
                    backup_retention_days=7,
                ),
                allowed_clouds=["local"],
            ),
        )
        assert created_tier.status_code == HTTPStatus.CREATED
        tier = created_tier.parsed
        assert isinstance(tier, TierOut) and tier.key == tier_key
        assert created_tier.headers["ETag"] == f'"{tier.version}"'
        assert [f.to_dict()["type"] for f in tier.features] == ["numeric", "boolean"]

        plan = plans_create.sync(
            client=client,
            body=PlanCreate(
                key=unique("py-plan"),
                name="Python plan",
                tier=tier_key,
                interval="month",
            ),
        )
        assert isinstance(plan, PlanOut) and plan.tier == tier_key

        created: list[TenantOut] = []
        for n in range(3):
            labels = TenantCreateLabels()
            labels["client"] = "python"
            response = tenants_create.sync_detailed(
                client=client,
                body=TenantCreate(
                    slug=unique(f"py{n}"),
                    name=f"Python tenant {n}",
                    tier=tier_key,
                    cloud="local",
                    region="local-1",
                    labels=labels,
                ),
            )
            assert response.status_code == HTTPStatus.CREATED, response.content
            assert isinstance(response.parsed, TenantOut)
            assert response.headers["Location"] == f"/v1/tenants/{response.parsed.id}"
            assert response.parsed.status == "provisioning"
            assert response.parsed.labels["client"] == "python"
            created.append(response.parsed)

        seen, pages = [], 0
        cursor: str | Unset = UNSET
        while True:
            page = tenants_list.sync(client=client, tier=tier_key, limit=2, cursor=cursor)
            assert isinstance(page, TenantPage)
            pages += 1
            seen += [tenant.id for tenant in page.items]
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        assert (seen, pages) == ([t.id for t in created], 2)

        # Only a suspended tenant can be resumed: a typed 409 problem.
        conflict = tenants_resume.sync_detailed(tenant_id=created[0].id, client=client)
        assert conflict.status_code == HTTPStatus.CONFLICT
        assert conflict.headers["Content-Type"] == "application/problem+json"
        problem = conflict.parsed
        assert isinstance(problem, Problem)
        assert problem.type_ == "https://paybill.dev/problems/invalid-transition"
        assert problem.status == 409 and problem.title and problem.detail
        assert problem.current_status == "provisioning"
        assert problem.requested_action == "resume"
        assert isinstance(problem.allowed_actions, list) and "suspend" in problem.allowed_actions


def test_readme_example(live_server: LiveServer, admin: Api) -> None:
    # clients/README.md's five lines, with this server and key.
    client = AuthenticatedClient(base_url=live_server.url, token=admin.key or "")
    page = tenants_list.sync(client=client, limit=20)  # TenantPage, or a Problem on 4xx
    assert isinstance(page, TenantPage) and len(page.items) <= 20
    print([tenant.slug for tenant in page.items], page.next_cursor)
