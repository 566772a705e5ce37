"""Redocly CLI's recommended ruleset finds nothing in openapi.json.

Redocly (pinned in tools/package.json, installed by `make tools` or here on first use) lints
the committed document; tests/clients/test_generated_up_to_date.py keeps that document equal
to what the code serves. The few accepted exceptions live, explained, in
tools/.redocly.lint-ignore.yaml. Node.js 20+ and npm are required: without them this test
fails, it does not skip.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from scripts.generate_clients import SPEC, TOOLS, ensure_node_modules

CONFIG = TOOLS / "redocly.yaml"


def _lint(document: Path) -> dict[str, Any]:
    ensure_node_modules(TOOLS)
    result = subprocess.run(
        [
            str(TOOLS / "node_modules" / ".bin" / "redocly"),
            "lint",
            str(document),
            "--config",
            str(CONFIG),
            "--format",
            "json",
        ],
        cwd=TOOLS,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # Exit status 1 means "problems found": the JSON report says which.
    assert result.returncode in (0, 1), result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def _summary(report: dict[str, Any]) -> list[str]:
    return [
        f"{p['severity']} {p['ruleId']} at {p['location'][0]['pointer']}: {p['message']}"
        for p in report["problems"]
    ]


def test_openapi_json_passes_redocly_recommended_rules() -> None:
    report = _lint(SPEC)
    assert _summary(report) == []
    assert report["totals"] == {"errors": 0, "warnings": 0, "ignored": 3}


def test_redocly_catches_a_public_operation_without_security(tmp_path: Path) -> None:
    # The lint above is only worth something if Redocly reports what this suite fixed.
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    del spec["servers"]
    del spec["paths"]["/healthz"]["get"]["security"]
    broken = tmp_path / "openapi.json"
    broken.write_text(json.dumps(spec), encoding="utf-8")
    report = _lint(broken)
    errors = {p["ruleId"] for p in report["problems"] if p["severity"] == "error"}
    assert errors == {"no-empty-servers", "security-defined"}
