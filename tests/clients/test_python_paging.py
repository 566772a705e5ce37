"""The Python client's hand-written paging helper (paybill_client.paging) against the live API,
and what a type checker makes of it and of plain-string enum arguments."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from mypy import api as mypy_api
from paybill_client import AuthenticatedClient
from paybill_client.api.tenants import tenants_list
from paybill_client.models import Problem, TenantOut, TenantPage
from paybill_client.paging import ProblemError, aiterate, iterate

from tests.factories import make_tenant, make_tier
from tests.live import Api, LiveServer


@pytest.fixture(scope="module")
def five_tenants(admin: Api) -> tuple[str, list[str]]:
    tier = make_tier(admin)["key"]
    return tier, [make_tenant(admin, tier)["id"] for _ in range(5)]


def test_iterate_follows_every_cursor(
    live_server: LiveServer, admin: Api, five_tenants: tuple[str, list[str]]
) -> None:
    tier, ids = five_tenants
    pages: list[TenantPage] = []

    def spy(**kwargs: Any) -> TenantPage | Problem | None:
        page = tenants_list.sync(**kwargs)
        assert isinstance(page, TenantPage)
        pages.append(page)
        return page

    with AuthenticatedClient(base_url=live_server.url, token=admin.key or "") as client:
        tenants = iterate(spy, client=client, tier=tier, cloud="local", limit=2)
        first = next(tenants)
        assert isinstance(first, TenantOut) and str(first.id) == ids[0]
        assert len(pages) == 1  # lazy: the next page waits until this one is used up
        rest = list(tenants)
    assert [str(t.id) for t in [first, *rest]] == ids
    assert [len(page.items) for page in pages] == [2, 2, 1]


async def test_aiterate_follows_every_cursor(
    live_server: LiveServer, admin: Api, five_tenants: tuple[str, list[str]]
) -> None:
    tier, ids = five_tenants
    client = AuthenticatedClient(base_url=live_server.url, token=admin.key or "")
    async with client:
        seen = [str(t.id) async for t in aiterate(tenants_list.asyncio, client=client, tier=tier)]
    assert seen == ids


def test_a_problem_on_a_page_raises(live_server: LiveServer, admin: Api) -> None:
    with AuthenticatedClient(base_url=live_server.url, token=admin.key or "") as client:
        with pytest.raises(ProblemError) as raised:
            list(iterate(tenants_list.sync, client=client, cursor="not-a-cursor"))
    assert raised.value.problem.status == 400
    assert raised.value.problem.type_ == "https://paybill.dev/problems/invalid-cursor"


def test_types_of_items_and_plain_string_enums(tmp_path: Path) -> None:
    # `--warn-unused-ignores` turns the ignore below into an error if a wrong cloud stopped
    # being a type error (enums degraded to `str`), the way `@ts-expect-error` does for tsc.
    usage = tmp_path / "usage.py"
    usage.write_text(
        textwrap.dedent(
            """
            from paybill_client import AuthenticatedClient
            from paybill_client.api.tenants import tenants_list
            from paybill_client.paging import iterate

            client = AuthenticatedClient(base_url="http://127.0.0.1:8000", token="pbk_x")
            for tenant in iterate(tenants_list.sync, client=client, cloud="local", limit=10):
                reveal_type(tenant)
                reveal_type(tenant.status)
            tenants_list.sync(client=client, cloud="mars")  # type: ignore[arg-type]
            """
        )
    )
    out, err, status = mypy_api.run(
        [
            "--strict",
            "--warn-unused-ignores",
            "--no-incremental",
            "--cache-dir=/dev/null",
            str(usage),
        ]
    )
    assert status == 0, out + err
    assert 'Revealed type is "paybill_client.models.tenant_out.TenantOut"' in out, out
    assert "Literal['provisioning'" in out, out
    assert "error:" not in out, out
