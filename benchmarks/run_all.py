"""Every benchmark, one after another, each in its own process; figures go to RESULTS.md.

Run: `make bench` (or `make bench BENCH_ARGS=--quick`), i.e. `python -m benchmarks.run_all
[--quick] [--reps N]`. Each module also runs alone: `python -m benchmarks.bench_api --quick`.
"""

from __future__ import annotations

import subprocess
import sys

MODULES = (
    "bench_api",
    "bench_list",
    "bench_provisioning",
    "bench_events",
    "bench_snapshots",
    "bench_fleet",
    "bench_migration",
    "bench_webhooks",
)


def main() -> None:
    passthrough = sys.argv[1:]
    failed = []
    for module in MODULES:
        print(f"== benchmarks.{module} {' '.join(passthrough)}", flush=True)
        code = subprocess.call([sys.executable, "-m", f"benchmarks.{module}", *passthrough])
        if code:
            failed.append(module)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
