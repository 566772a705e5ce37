"""Static checks of every Terraform module in the repository (no provider download, no
``init``): files, formatting, parsing, the contract, provider pins, tags/labels, nothing
hard-coded per tenant, and a sample stack's inputs."""

from __future__ import annotations

import json
import os

import pytest

from paybill_control_plane.provisioning import contract as mc
from tests.terraform_modules.modules import (
    ALL_MODULES,
    CLOUD_MODULES,
    IDS,
    POOL_ID,
    ROOT,
    TENANTS,
    sample_inputs,
    terraform,
)


@pytest.fixture(scope="module")
def unformatted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Files ``terraform fmt -check -recursive`` lists under the modules root."""
    proc = terraform(
        ["fmt", "-check", "-list=true", "-recursive", "."], ROOT, tmp_path_factory.mktemp("tf")
    )
    assert proc.returncode in (0, 3), proc.stderr
    return {line.strip().replace(os.sep, "/") for line in proc.stdout.splitlines() if line.strip()}


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
        "aws_secretsmanager_secret_version",
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
        "google_secret_manager_secret_version",
    },
    "oci": {"oci_core_network_security_group_security_rule"},
    "ibm": {"ibm_sm_arbitrary_secret"},  # a secret takes labels, not resource tags
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


# Where each cloud module keeps the admin password it outputs as database_admin_secret.
ADMIN_SECRET_RESOURCES = {
    "aws": "aws_secretsmanager_secret",
    "azure": "azurerm_key_vault_secret",
    "gcp": "google_secret_manager_secret",
    "oci": "oci_vault_secret",
    "ibm": "ibm_sm_arbitrary_secret",
}


@pytest.mark.parametrize(
    ("cloud", "model"), CLOUD_MODULES, ids=[f"{c}/{m}" for c, m in CLOUD_MODULES]
)
def test_cloud_modules_hand_their_database_server_over(
    cloud: str, model: str, specs: dict[tuple[str, str], mc.ModuleSpec]
) -> None:
    """The data tier manages a cloud module's server only with these outputs
    (terraform-modules/README.md, "Data tier outputs"); the runner reads non-sensitive outputs
    only, so they are not sensitive and the password itself is kept in the cloud's secret store."""
    spec = specs[(cloud, model)]
    wanted = {"database_admin_username", "database_admin_secret"}
    # Where a tenant's database is: a pool may name one per tenant instead of a shared one.
    assert {"database_host"} <= set(spec.outputs)
    assert {"database_name", "tenant_databases"} & set(spec.outputs)
    if cloud != "ibm":  # IBM tenants get pg_dump snapshots, never instance snapshots
        wanted.add("database_instance_id")
    assert wanted <= set(spec.outputs), sorted(wanted - set(spec.outputs))
    assert not any(spec.outputs[name].sensitive for name in wanted)
    assert f"{ADMIN_SECRET_RESOURCES[cloud]}.database_admin" in spec.resources
