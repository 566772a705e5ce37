"""Every benchmark, one after another, each in its own process; figures go to RESULTS.md.

Run: `make bench` (or `make bench BENCH_ARGS=--quick`), i.e. `python -m benchmarks.run_all
[--quick] [--reps N]`. Each module also runs alone: `python -m benchmarks.bench_api --quick`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

from benchmarks._harness import RESULTS

MODULES = (
    "bench_api",
    "bench_list",
    "bench_provisioning",
    "bench_events",
    "bench_snapshots",
    "bench_fleet",
    "bench_migration",
)


def main() -> None:
    passthrough = sys.argv[1:]
    quick = "--quick" in passthrough
    failed = []
    for module in MODULES:
        print(f"== benchmarks.{module} {' '.join(passthrough)}", flush=True)
        code = subprocess.call([sys.executable, "-m", f"benchmarks.{module}", *passthrough])
        if code:
            failed.append(module)
    # The webhook benchmark (issue 4) prints its own figures; they are kept with the others.
    env = {**os.environ, "BENCH_EVENTS": "3000" if quick else "20000", "BENCH_CHECKOUTS": "5"}
    print("== benchmarks.bench_webhooks", flush=True)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_webhooks"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    print(done.stdout, done.stderr, sep="\n", flush=True)
    if "--no-record" not in passthrough:
        with RESULTS.open("a") as out:
            out.write(
                f"### Stripe webhooks — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
                f"{' (--quick)' if quick else ''}\n\n```\n{done.stdout.strip()}\n```\n\n"
            )
    if done.returncode:
        failed.append("bench_webhooks")
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
