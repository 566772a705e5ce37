"""`paybill modules release`, `paybill schema release` and `paybill rollouts watch`."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.cli._runtime import unit_of_work
from paybill_control_plane.fleet.releases import snapshot
from paybill_control_plane.fleet.rollouts import create_rollout
from paybill_control_plane.fleet.schemas import RolloutCreate
from paybill_control_plane.models.tier import Tier
from tests.cli.helpers import paybill
from tests.db import create_database, drop_database
from tests.factories import SIZING
from tests.fleet.fleet_seed import seed


@pytest.fixture
def db() -> Iterator[str]:
    # Its own database: released schema migrations would reach every later tenant.
    url = create_database("cli_fleet")
    yield url
    drop_database(url)


def _tier(url: str) -> str:
    async def go() -> str:
        async with unit_of_work(url) as session:
            session.add(Tier(key="cli-fleet", name="t", rank=1, default_isolation="silo",
                             allowed_isolation=["silo"], features=[], sizing=SIZING,
                             allowed_clouds=["local"], allowed_regions={}))  # fmt: skip
        return "cli-fleet"

    return asyncio.run(go())


def test_release_commands_and_watch(db: str, tmp_path: Path) -> None:
    released = paybill(db, "modules", "release", "local/silo", "--version", "1.0", "--json")
    assert released.exit_code == 0, released.output
    assert '"module": "local/silo"' in released.output
    module = tmp_path / "module"
    module.mkdir()
    for name, text in snapshot("local/silo").items():
        (module / name).write_text(text + ("\n# 1.1\n" if name == "main.tf" else ""))
    again = paybill(
        db, "modules", "release", "local/silo", "--version", "1.0", "--from", str(module)
    )
    assert again.exit_code == 1 and "a release never changes" in again.output
    newer = paybill(db, "modules", "release", "local/silo", "--version", "1.1", "--from",
                    str(module), "--upgradeable-from", ">=1.0", "--json")  # fmt: skip
    assert newer.exit_code == 0, newer.output

    migrations = tmp_path / "sql"
    migrations.mkdir()
    (migrations / "0001_accounts.sql").write_text("CREATE TABLE accounts (id integer);")
    out = paybill(db, "schema", "release", str(migrations))
    assert out.exit_code == 0 and "accounts" in out.output, out.output
    (migrations / "0001_accounts.sql").write_text("CREATE TABLE accounts (id bigint);")
    changed = paybill(db, "schema", "release", str(migrations))
    assert changed.exit_code == 1 and "released with checksum" in changed.output
    (migrations / "bad.sql").write_text("SELECT 1;")
    assert paybill(db, "schema", "release", str(migrations)).exit_code == 2

    tier = _tier(db)
    v1 = uuid.UUID(released.output.split('"id": "')[1].split('"')[0])
    v2 = uuid.UUID(newer.output.split('"id": "')[1].split('"')[0])
    seed(db, tier, v1, silos=2, pools=0, members=0, bad=set())

    async def start() -> uuid.UUID:
        async with unit_of_work(db) as session:
            body = RolloutCreate.model_validate({"release_id": str(v2), "max_failures": 1})
            return (await create_rollout(session, CLI, body)).id

    rollout_id = asyncio.run(start())
    watched = paybill(db, "rollouts", "watch", str(rollout_id), "--once")
    assert watched.exit_code == 0, watched.output
    assert "running" in watched.output and "wave 0: 1 stacks (pending 1)" in watched.output
