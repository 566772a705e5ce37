"""Releases, tier pins and rollout controls through the API (no worker: steps run by hand)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from paybill_control_plane.cli._runtime import unit_of_work
from paybill_control_plane.config import Settings
from paybill_control_plane.fleet import _tick
from paybill_control_plane.fleet.releases import snapshot
from paybill_control_plane.models.fleet import RolloutTarget
from paybill_control_plane.models.run import Run
from paybill_control_plane.models.tenant import Tenant
from tests.factories import make_tenant, make_tier, tier_body
from tests.fleet.fleet_seed import seed
from tests.live import Api


def _release(api: Api, version: str, expected: int = 201, **extra: Any) -> dict[str, Any]:
    body = {"module": "local/silo", "version": version, **extra}
    return api.ok("POST", "/v1/module-releases", expected, json=body)  # type: ignore[no-any-return]


def _version() -> str:
    return f"{uuid.uuid4().int % 10_000}.{uuid.uuid4().int % 1000}"


def test_a_release_is_immutable_and_content_addressed(admin: Api) -> None:
    version = _version()
    first = _release(admin, version, notes="first")
    assert sorted(first["file_names"]) == sorted(snapshot("local/silo"))
    again = _release(admin, version, 200)  # same files: the same release
    assert again["id"] == first["id"] and again["digest"] == first["digest"]
    files = snapshot("local/silo")
    files["main.tf"] += "\n# changed\n"
    problem = admin.ok(
        "POST", "/v1/module-releases", 409, json={"module": "local/silo", "version": version,
                                                   "files": files},
    )  # fmt: skip
    assert problem["type"].endswith("module-release-exists")
    listed = admin.ok("GET", "/v1/module-releases", params={"module": "local/silo"})["items"]
    assert first["id"] in {r["id"] for r in listed}
    bad = admin.ok(
        "POST", "/v1/module-releases", 422,
        json={"module": "local/silo", "version": "1.0", "upgradeable_from": "~>1"},
    )  # fmt: skip
    assert bad["status"] == 422
    admin.ok("POST", "/v1/module-releases", 422, json={"module": "local/x", "version": "1"})


def test_a_new_tenant_gets_its_tiers_pinned_release(admin: Api) -> None:
    version = _version()
    release = _release(admin, version)
    tier = make_tier(
        admin,
        default_isolation="silo",
        allowed_isolation=["silo"],
        module_versions={"local/silo": version},
        maintenance_window="sat,sun 02:00-06:00",
    )
    assert tier["module_versions"] == {"local/silo": version}
    tenant = make_tenant(admin, tier["key"])
    [stack] = admin.ok("GET", "/v1/stacks", params={"tenant_id": tenant["id"]})["items"]
    assert stack["release_id"] == release["id"]
    unpinned = make_tenant(admin, make_tier(admin, default_isolation="silo")["key"],
                           isolation_model="silo")  # fmt: skip
    [plain] = admin.ok("GET", "/v1/stacks", params={"tenant_id": unpinned["id"]})["items"]
    assert plain["release_id"] is None  # no pin: the module on disk, as before
    bad = admin.ok("POST", "/v1/tiers", 422, json=tier_body(maintenance_window="sat 9-5"))
    assert "window" in str(bad)


def _step(settings: Settings, rollout_id: str) -> None:
    async def go() -> None:
        async with unit_of_work(settings.database_url) as session:
            await _tick.step(session, uuid.UUID(rollout_id), settings)

    asyncio.run(go())


def _targets(settings: Settings, rollout_id: str) -> dict[uuid.UUID, RolloutTarget]:
    async def go() -> dict[uuid.UUID, RolloutTarget]:
        async with unit_of_work(settings.database_url) as session:
            rows = await session.scalars(
                select(RolloutTarget).where(RolloutTarget.rollout_id == uuid.UUID(rollout_id))
            )
            return {r.stack_id: r for r in rows}

    return asyncio.run(go())


def test_rollout_controls_windows_and_skips(admin: Api, settings: Settings) -> None:
    assert settings.database_url is not None
    tier = make_tier(admin, default_isolation="silo", allowed_isolation=["silo"])
    v1 = _release(admin, _version())
    files = snapshot("local/silo")
    files["main.tf"] += "\n# v2\n"
    v2 = _release(admin, _version(), files=files, upgradeable_from=">=0.0")
    fleet = seed(settings.database_url, tier["key"], uuid.UUID(v1["id"]), silos=3, pools=0,
                 members=0, bad=set())  # fmt: skip
    closed = (datetime.now(UTC) + timedelta(hours=3)).strftime("%H00")
    shut = (datetime.now(UTC) + timedelta(hours=4)).strftime("%H00")

    async def label() -> None:  # the first tenant may only be touched in a window 3 h from now
        async with unit_of_work(settings.database_url) as session:
            await session.execute(
                update(Tenant)
                .where(Tenant.id == fleet.tenant_ids[0])
                .values(labels={"maintenance-window": f"{closed}-{shut}"})
            )

    asyncio.run(label())
    nothing = admin.ok("POST", "/v1/rollouts", 422, json={"release_id": v2["id"],
                       "selector": {"tenant_ids": [str(uuid.uuid4())]}})  # fmt: skip
    assert nothing["type"].endswith("rollout-selects-nothing")
    rollout = admin.ok(
        "POST", "/v1/rollouts", 201,
        json={"release_id": v2["id"], "selector": {"tenant_ids": [str(t) for t in fleet.tenant_ids]},
              "strategy": {"canary": 3, "max_concurrency": 3}, "max_failures": "50%"},
    )  # fmt: skip
    assert rollout["max_failures"] == 1 and rollout["counts"] == {"pending": 3}
    _step(settings, rollout["id"])
    targets = _targets(settings, rollout["id"])
    first = targets[fleet.silo_stacks[0]]
    assert first.status == "pending" and first.run_id is None  # outside its window
    started = [t for t in targets.values() if t.status == "running"]
    assert len(started) == 2 and all(t.run_id for t in started)

    async def runs() -> list[Run]:
        async with unit_of_work(settings.database_url) as session:
            ids = [t.run_id for t in started]
            return list(await session.scalars(select(Run).where(Run.id.in_(ids))))

    assert {r.kind for r in asyncio.run(runs())} == {"rollout"}
    stack = admin.ok("GET", f"/v1/stacks/{started[0].stack_id}")
    assert stack["release_id"] == v2["id"]

    admin.ok("POST", f"/v1/rollouts/{rollout['id']}/pause")
    assert admin.ok("POST", f"/v1/rollouts/{rollout['id']}/pause", 409)["status"] == 409
    admin.ok("POST", f"/v1/rollouts/{rollout['id']}/resume")
    cancelled = admin.ok("POST", f"/v1/rollouts/{rollout['id']}/cancel")
    assert cancelled["status"] == "cancelled"
    assert cancelled["counts"] == {"cancelled": 1, "running": 2}
    listed = admin.ok("GET", "/v1/rollouts")["items"]
    assert rollout["id"] in {r["id"] for r in listed}
