"""Fleet benchmarks (issue 16). Prints and records figures; asserts nothing.

1. Rollout throughput: N silo stacks (seeded as applied on release 1) moved to release 2 by a
   rollout (one wave, `max_concurrency` C) through `POST /v1/rollouts`, the queue, the executor's
   real `terraform init && apply` per stack and the rollout's own steps — stacks per minute —
   against a bare sequential `terraform init && apply` of N rendered silo stacks
   (benchmarks/baselines/bare_terraform.py), interleaved A B A B.
2. Drift-check cost per stack: `POST /v1/stacks/{id}/drift-checks` until the check is recorded
   (queue, render, init, `plan -refresh-only -detailed-exitcode`, a normal plan, findings)
   against a bare `terraform plan -refresh-only -detailed-exitcode` in an initialised bare
   working directory, same run.

Run: `python -m benchmarks.bench_fleet [--quick] [--reps N]` (needs PAYBILL_TEST_DATABASE_URL).
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from benchmarks import _harness as h
from paybill_control_plane.fleet.releases import snapshot
from paybill_control_plane.provisioning.executor import terraform_state_env
from paybill_control_plane.provisioning.planner import TenantFacts, plan_silo
from paybill_control_plane.provisioning.terraform import build_env, resolve_terraform_binary
from tests.factories import make_tier
from tests.fleet.fleet_seed import seed
from tests.live import Api
from tests.provisioning.stack_env import stack_environment, wait_for

CONCURRENCY = 4


def _rollout(
    api: Api, url: str, tier: dict[str, Any], v1: str, v2: str, n: int
) -> tuple[float, list[str]]:
    fleet = seed(url, tier["key"], uuid.UUID(v1), silos=n, pools=0, members=0, bad=set())
    ids = {str(s) for s in fleet.silo_stacks}
    started = time.monotonic()
    rollout = api.ok(
        "POST",
        "/v1/rollouts",
        201,
        json={
            "release_id": v2,
            "selector": {"tenant_ids": [str(t) for t in fleet.tenant_ids]},
            "strategy": {"canary": n, "max_concurrency": CONCURRENCY},
        },
    )

    def done() -> bool:
        got = api.ok("GET", f"/v1/rollouts/{rollout['id']}")
        return got["status"] in ("completed", "halted")  # type: ignore[no-any-return]

    wait_for(done, timeout=600, interval=0.2)
    elapsed = time.monotonic() - started
    got = api.ok("GET", f"/v1/rollouts/{rollout['id']}")
    assert got["status"] == "completed", got["failures"][:1]
    return elapsed, sorted(ids)


def _bare_env(url: str, workdir: Path) -> dict[str, str]:
    # Each bare stack keeps its state in a schema of its own, named after its directory.
    return build_env({**terraform_state_env(url), "PG_SCHEMA_NAME": f"bench_{workdir.name}"})


def _bare_applies(url: str, tier: dict[str, Any], n: int, root: Path) -> tuple[float, list[Path]]:
    """Sequential bare `terraform init && apply` of n rendered silo stacks (same module)."""
    binary = resolve_terraform_binary(None)
    dirs = []
    started = time.monotonic()
    for i in range(n):
        workdir = root / f"b{uuid.uuid4().hex[:10]}"
        workdir.mkdir()
        facts = TenantFacts(str(uuid.uuid4()), f"bare-{i}-{workdir.name}", tier["key"],
                            "local", "local-1", "silo", {}, False)  # fmt: skip
        for name, content in plan_silo(facts, tier["sizing"]).files.items():
            (workdir / name).write_bytes(content)
        for args in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]):
            subprocess.run([*binary, *args], cwd=workdir, env=_bare_env(url, workdir),
                           check=True, capture_output=True)  # fmt: skip
        dirs.append(workdir)
    return time.monotonic() - started, dirs


def _drift(api: Api, stack_ids: list[str]) -> list[float]:
    costs = []
    for stack_id in stack_ids:
        started = time.monotonic()
        api.ok("POST", f"/v1/stacks/{stack_id}/drift-checks", 202)
        wait_for(
            lambda s=stack_id: api.ok("GET", f"/v1/stacks/{s}")["drift_checked_at"],
            timeout=120,
            interval=0.05,
        )
        costs.append(time.monotonic() - started)
    return costs


def _bare_refresh(url: str, dirs: list[Path]) -> list[float]:
    binary = resolve_terraform_binary(None)
    costs = []
    for workdir in dirs:
        env = _bare_env(url, workdir)
        started = time.monotonic()
        subprocess.run(
            [*binary, "plan", "-refresh-only", "-detailed-exitcode", "-input=false"],
            cwd=workdir,
            env=env,
            check=True,
            capture_output=True,
        )
        costs.append(time.monotonic() - started)
    return costs


def main() -> None:
    args = h.arguments(__doc__ or "")
    n = 3 if args.quick else 12
    report = h.Report(
        f"Fleet: rollout throughput and drift-check cost ({n} stacks, C={CONCURRENCY})"
    )
    rollout_rate, bare_rate, ratio, drift_costs, bare_costs = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp, stack_environment(
        Path(tmp), rollout_poll_seconds=0.2, drift_interval=0,
        worker_concurrency=CONCURRENCY,
    ) as (api, settings):  # fmt: skip
        url = settings.database_url
        assert url is not None
        tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
        for rep in range(args.reps):
            v1 = api.ok("POST", "/v1/module-releases", 201,
                        json={"module": "local/silo", "version": f"{rep + 1}.0"})["id"]  # fmt: skip
            files = snapshot("local/silo")
            files["main.tf"] += f"\n# release {rep + 1}.1\n"
            v2 = api.ok("POST", "/v1/module-releases", 201,
                        json={"module": "local/silo", "version": f"{rep + 1}.1",
                              "files": files})["id"]  # fmt: skip
            elapsed, stacks = _rollout(api, url, tier, v1, v2, n)
            bare_elapsed, dirs = _bare_applies(url, tier, n, Path(tmp))
            rollout_rate.append(n / elapsed * 60)
            bare_rate.append(n / bare_elapsed * 60)
            ratio.append(rollout_rate[-1] / bare_rate[-1])
            drift = _drift(api, stacks)
            bare = _bare_refresh(url, dirs)
            drift_costs.append(statistics.median(drift))
            bare_costs.append(statistics.median(bare))
            print(f"rep {rep + 1}: rollout {rollout_rate[-1]:.1f}/min, bare {bare_rate[-1]:.1f}/min, "
                  f"drift {drift_costs[-1]:.2f}s, bare refresh {bare_costs[-1]:.2f}s", flush=True)  # fmt: skip
    report.row("rollout stacks/min (C=4)", h.spread(rollout_rate, "{:.1f}"), "—")
    report.row("bare sequential init+apply stacks/min", h.spread(bare_rate, "{:.1f}"), "baseline")
    report.row("rollout ÷ bare throughput", h.spread(ratio, "{:.2f}"), "> 1 with C > 1 cores")
    report.row("drift check s/stack (API → recorded)", h.spread(drift_costs), "—")
    report.row("bare plan -refresh-only s/stack", h.spread(bare_costs), "baseline")
    report.row(
        "drift check ÷ bare refresh-only",
        h.spread([d / b for d, b in zip(drift_costs, bare_costs, strict=True)], "{:.2f}"),
        "≈ 2-3 (init + two plans vs one)",
    )
    report.note("A drift check runs init, plan -refresh-only and a normal plan: three processes.")
    report.note(
        "Each rollout upgrade is a whole run: queue, render, init, apply, and the data tier's "
        "step (a silo's database is created on its first apply); the bare baseline is "
        "init + apply only. Runs keep the default 3 attempts."
    )
    report.record(args)


if __name__ == "__main__":
    main()
