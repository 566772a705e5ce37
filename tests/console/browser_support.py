"""Debian's Chromium for Playwright: where it is, how it is launched, and the axe check.

Playwright drives the browser the system package installed (`apt-get install chromium`), never
one `playwright install` downloads. The `chromium` command on the PATH is a wrapper script; the
real binary is under /usr/lib/chromium/.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/lib/chromium/chrome")
AXE = ROOT / "tools" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
# Quiet and offline: no update checks, no sync, no QUIC, no first-run UI.
ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    configured = os.environ.get("PAYBILL_CHROMIUM")
    for candidate in (configured, *CANDIDATES):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def launch_args() -> dict[str, Any]:
    args = list(ARGS)
    if os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start its sandbox as root
    return {"executable_path": chromium_path(), "args": args}


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations of the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]  # fmt: skip


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
