"""Every (cloud x model) stack as the real planner renders it for a sample tenant, with the
`target` input built from a realistic cloud target, checked against the module's variables.

The module contract and fmt checks live in test_cloud_modules.py; here the point is the
control plane's side: planner + target inputs + boundary inputs give inputs the modules take.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from paybill_control_plane.models.cloud_target import CloudTarget
from paybill_control_plane.provisioning import cloud_runtime as cr
from paybill_control_plane.provisioning import module_contract as mc
from paybill_control_plane.provisioning import planner
from paybill_control_plane.provisioning.planner import PoolFacts, TenantFacts

CLOUDS = ("aws", "azure", "gcp", "oci", "ibm")
PAIRS = [(c, m) for c in (*CLOUDS, "local") for m in mc.MODELS]
IDS = [f"{c}-{m}" for c, m in PAIRS]
REGIONS = {
    "aws": "eu-west-1",
    "azure": "westeurope",
    "gcp": "europe-west1",
    "oci": "eu-frankfurt-1",
    "ibm": "eu-de",
    "local": "local-1",
}
ACCOUNT_REFS = {
    "aws": "123456789012",
    "azure": "8f6c1a2e-1111-4222-8333-944455556666",
    "gcp": "paybill-management",
    "oci": "ocid1.tenancy.oc1..aaaaaaaexample",
    "ibm": "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
    "local": "local",
}
# Adapter settings (read by the SDK adapter only) mixed with module settings, as a real
# target would hold them.
SETTINGS: dict[str, dict[str, str]] = {
    "aws": {
        "create_account": "true",
        "email_domain": "saas.example.com",
        "organization_unit_id": "ou-ab12-cdef3456",
        "vpc_cidr": "10.80.0.0/16",
        "db_instance_class_medium": "db.m7g.large",
        "db_instance_class_xlarge": "db.r7g.2xlarge",
        "deletion_protection": "true",
        "postgres_version": "17",
        "base_domain": "tenants.example.com",
    },
    "azure": {
        "authority_host": "https://login.microsoftonline.com",
        "vnet_cidr": "10.81.0.0/16",
        "db_sku_medium": "GP_Standard_D4ds_v5",
        "base_domain": "tenants.example.com",
    },
    "gcp": {
        "folder_id": "folders/123456789012",
        "billing_account": "012345-6789AB-CDEF01",
        "project_id": "paybill-pools",
        "operation_timeout_seconds": "300",
        "db_tier_medium": "db-custom-2-7680",
        "subnet_cidr": "10.82.0.0/20",
    },
    "oci": {
        "parent_compartment_ocid": "ocid1.compartment.oc1..tenants",
        "home_region": "eu-frankfurt-1",
        "vcn_cidr": "10.83.0.0/16",
        "db_shape": "PostgreSQL.VM.Standard.E5.Flex",
    },
    "ibm": {"iam_url": "https://iam.cloud.ibm.com", "zone": "eu-de-2", "postgres_version": "16"},
    "local": {"anything": "ignored"},
}
ADAPTER_ONLY = {
    "aws": {"create_account", "email_domain", "organization_unit_id"},
    "azure": {"authority_host"},
    "gcp": {"operation_timeout_seconds"},
    "oci": {"home_region"},
    "ibm": {"iam_url"},
    "local": {"anything"},
}
SIZING = {
    "compute_units": 2,
    "memory_gb": 8,
    "storage_gb": 100,
    "db_class": "medium",
    "replicas": 2,
    "backup_retention_days": 14,
}
TENANT_ID = "5e0f2c1a-8b3d-4f6e-9a1c-2d3e4f5a6b7c"
POOL_ID = "7c6b5a4f-3e2d-4c1b-8a9f-0e1d2c3b4a59"
NETWORKS = {
    "aws": "vpc-0123456789abcdef0",
    "azure": "/subscriptions/s/resourceGroups/rg-pool/providers/Microsoft.Network/virtualNetworks/v",
    "gcp": "projects/paybill-pools/global/networks/pool",
    "oci": "ocid1.vcn.oc1..pool",
    "ibm": "r010-0123abcd",
    "local": "local-network-1",
}
BOUNDARIES: dict[str, dict[str, Any]] = {
    "aws": {
        "kind": "aws_account",
        "id": "210987654321",
        "attributes": {
            "tenant_id": TENANT_ID,
            "name": "paybill-acme",
            "role_arn": "arn:aws:iam::210987654321:role/OrganizationAccountAccessRole",
        },
    },
    "azure": {
        "kind": "azure_resource_group",
        "id": "/subscriptions/s/resourceGroups/paybill-acme",
        "attributes": {"tenant_id": TENANT_ID, "name": "paybill-acme", "location": "westeurope"},
    },
    "gcp": {"kind": "gcp_project", "id": "pb-acme-1a2b3c"},
    "oci": {"kind": "oci_compartment", "id": "ocid1.compartment.oc1..acme"},
    "ibm": {"kind": "ibm_resource_group", "id": "0f1e2d3c4b5a69788796a5b4c3d2e1f0"},
    "local": {"kind": "local", "id": f"local-{TENANT_ID}"},
}


@pytest.fixture(scope="module")
def specs() -> dict[tuple[str, str], mc.ModuleSpec]:
    dirs = {pair: mc.module_dir(*pair) for pair in PAIRS}
    loaded = mc.load_modules(list(dirs.values()))
    return {pair: loaded[d.resolve()] for pair, d in dirs.items()}


def target_row(cloud: str) -> CloudTarget:
    return CloudTarget(
        id=uuid.uuid4(),
        cloud=cloud,
        name=f"{cloud}-prod",
        default_region=REGIONS[cloud],
        account_ref=ACCOUNT_REFS[cloud],
        settings=dict(SETTINGS[cloud]),
        state_backend={"kind": "pg", "config": {}},
    )


def tenant(cloud: str, model: str) -> TenantFacts:
    return TenantFacts(
        id=TENANT_ID,
        slug="acme-corp",
        tier="pro",
        cloud=cloud,
        region=REGIONS[cloud],
        isolation_model=model,
        labels={"cost-center": "cc-42", "env": "prod"},
        suspended=False,
    )


def render(cloud: str, model: str, boundary: dict[str, Any] | None = None) -> planner.StackSpec:
    target = cr.target_inputs(cloud, model, target_row(cloud), boundary)
    if model == "silo":
        return planner.plan_silo(tenant(cloud, model), SIZING, target=target)
    if model == "bridge":
        facts = tenant(cloud, model)
        return planner.plan_bridge_data(facts, SIZING, POOL_ID, NETWORKS[cloud], target=target)
    members = [
        tenant(cloud, "pooled"),
        TenantFacts(
            "0a0b0c0d-0000-4000-8000-000000000002",
            "globex",
            "basic",
            cloud,
            REGIONS[cloud],
            "pooled",
            {},
            True,
        ),
    ]
    pool = PoolFacts(POOL_ID, cloud, REGIONS[cloud], "pro")
    return planner.plan_pool(pool, members, SIZING, target=target)


@pytest.mark.parametrize(("cloud", "model"), PAIRS, ids=IDS)
def test_rendered_inputs_fit_the_module(
    cloud: str, model: str, specs: dict[tuple[str, str], mc.ModuleSpec]
) -> None:
    spec = render(cloud, model)
    assert mc.check_inputs(specs[(cloud, model)], spec.variables) == []
    # What Terraform reads is the tfvars file; it holds exactly these inputs.
    assert json.loads(spec.files[planner.TFVARS_FILE]) == spec.variables
    target = spec.variables["target"]
    assert list(target) == sorted(target)
    assert not set(target) & ADAPTER_ONLY[cloud], "adapter settings leaked into the module"
    for key in target:
        assert cr.module_reads(cloud, model, key), key
    if cloud == "local":
        assert target == {}
    # Same facts, same files, same revision.
    again = render(cloud, model)
    assert again.revision == spec.revision and again.files == spec.files


@pytest.mark.parametrize("cloud", CLOUDS)
def test_module_settings_reach_the_module(cloud: str) -> None:
    silo = render(cloud, "silo").variables["target"]
    expected = {
        "aws": {
            "account_id": "123456789012",
            "vpc_cidr": "10.80.0.0/16",
            "db_instance_class_medium": "db.m7g.large",
            "db_instance_class_xlarge": "db.r7g.2xlarge",  # every class the module may pick
            "postgres_version": "17",
        },
        "azure": {"subscription_id": ACCOUNT_REFS["azure"], "db_sku_medium": "GP_Standard_D4ds_v5"},
        "gcp": {"billing_account": "012345-6789AB-CDEF01", "subnet_cidr": "10.82.0.0/20"},
        "oci": {"tenancy_ocid": ACCOUNT_REFS["oci"], "vcn_cidr": "10.83.0.0/16"},
        "ibm": {"zone": "eu-de-2"},
    }[cloud]
    assert expected.items() <= silo.items()
    if cloud == "gcp":
        # Pools and bridges live in the target's project; GOOGLE_PROJECT is the fallback.
        assert render("gcp", "pooled").variables["target"]["project_id"] == "paybill-pools"
        # The tenant project is the adapter's (the boundary), not the target's pool project;
        # folder_id is the adapter's (where it creates projects), not the module's.
        assert "project_id" not in silo and "folder_id" not in silo


@pytest.mark.parametrize(("cloud", "model"), [p for p in PAIRS if p[1] != "pooled"], ids=str)
def test_boundary_inputs_fit_and_change_the_revision(
    cloud: str, model: str, specs: dict[tuple[str, str], mc.ModuleSpec]
) -> None:
    kind = "silo" if model == "silo" else "bridge-data"
    before = render(cloud, model)
    assert before.kind == kind
    after = cr.with_boundary(before, BOUNDARIES[cloud])
    assert mc.check_inputs(specs[(cloud, model)], after.variables) == []
    # Rendering from scratch with the recorded boundary gives the same stack: what the
    # worker applies after the boundary step is what desired_for computes afterwards.
    assert render(cloud, model, BOUNDARIES[cloud]).revision == after.revision
    changed = {
        k: v for k, v in after.variables["target"].items() if before.variables["target"].get(k) != v
    }
    expected = {
        ("aws", "silo"): {"account_id": "210987654321"},
        ("oci", "silo"): {"parent_compartment_ocid": "ocid1.compartment.oc1..acme"},
        ("oci", "bridge"): {"parent_compartment_ocid": "ocid1.compartment.oc1..acme"},
        ("ibm", "silo"): {"resource_group_id": "0f1e2d3c4b5a69788796a5b4c3d2e1f0"},
        ("azure", "silo"): {"resource_group_name": "paybill-acme"},
        ("gcp", "silo"): {"tenant_project_id": "pb-acme-1a2b3c"},
    }.get((cloud, model), {})
    assert changed == expected
    assert (after.revision == before.revision) == (not expected)


def test_boundary_containers_are_not_created_twice() -> None:
    """The adapter creates the tenant's compartment / resource group / member account before
    Terraform; a silo module must build inside it. (This check found the IBM silo module
    creating a second resource group of the adapter's name `paybill-<slug>`, which IBM
    refuses; the module now takes `target.resource_group_id`, like the pooled one. The Azure
    and GCP silo modules likewise created `rg-paybill-<slug>` / `pb-<slug>-<id8>` beside the
    adapter's `paybill-<slug>` / `pb-<slug>-<hash6>`; they now adopt it.)"""
    for cloud, key in (
        ("aws", "account_id"),
        ("oci", "parent_compartment_ocid"),
        ("ibm", "resource_group_id"),
        ("azure", "resource_group_name"),
        ("gcp", "tenant_project_id"),
    ):
        assert cr.module_reads(cloud, "silo", key), (cloud, key)
        assert key in cr.boundary_keys(cloud, "silo")
    assert cr.boundary_keys("local", "silo") == []
    # The GCP bridge builds in the pool's `project_id`: the tenant project must not reach it.
    assert cr.boundary_keys("gcp", "bridge") == []
    for cloud, container in (("azure", "azurerm_resource_group"), ("gcp", "google_project")):
        source = "\n".join(p.read_text() for p in sorted(mc.module_dir(cloud, "silo").glob("*.tf")))
        assert f'resource "{container}"' not in source, cloud
        assert f'data "{container}" "tenant"' in source, cloud


@pytest.mark.parametrize(("cloud", "model"), PAIRS, ids=IDS)
def test_target_key_scanner_sees_every_reference(cloud: str, model: str) -> None:
    """The control plane passes only the `target` keys a module reads, found in its source;
    a use of the whole map (say `merge(var.target, ...)`) would hide keys from that scan."""
    source = "\n".join(p.read_text() for p in sorted(mc.module_dir(cloud, model).glob("*.tf")))
    for pattern in (cr._LOOKUP, cr._INDEX, cr._ATTRIBUTE):
        source = pattern.sub("", source)
    assert "var.target" not in source


def test_interpolated_keys_match_db_classes() -> None:
    assert cr.module_reads("aws", "silo", "db_instance_class_large")
    assert not cr.module_reads("aws", "silo", "db_instance_class_huge")
    assert not cr.module_reads("aws", "silo", "db_instance_class_")


def test_remote_state_backend_is_rendered_not_hashed() -> None:
    spec = render("aws", "silo")
    run = cr.CloudRun(
        cloud="aws",
        adapter=cr.get_adapter("aws"),
        config=cr.target_config(target_row("aws")),
        state_backend={"kind": "s3", "config": {"bucket": "tf-state", "region": "eu-west-1"}},
    )
    with_backend, config = cr.backend(run, spec)
    assert json.loads(with_backend.files[planner.BACKEND_FILE]) == {
        "terraform": {"backend": {"s3": {}}}
    }
    assert config == {
        "bucket": "tf-state",
        "key": "paybill/terraform.tfstate",
        "region": "eu-west-1",
        "workspace_key_prefix": "paybill",
    }
    assert with_backend.revision == spec.revision  # where state lives is not an input
    run.state_backend = {"kind": "pg", "config": {}}
    assert cr.backend(run, spec) == (spec, None)


def test_secrets_are_scrubbed_line_by_line() -> None:
    pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"
    secrets = cr.secret_values(
        {"private_key_pem": pem, "region": "eu-frankfurt-1", "user_ocid": "ocid1.user.oc1..me"},
        {"AWS_SESSION_TOKEN": "FQoGZXIvYXdzEJr-token", "AWS_REGION": "eu-west-1"},
    )
    text = cr.scrub(
        f"key MIIEvQIBADANBgkqhkiG9w0BAQEFAASC token FQoGZXIvYXdzEJr-token in {REGIONS['oci']}",
        secrets,
    )
    assert "MIIEvQ" not in text and "FQoGZX" not in text
    assert "eu-frankfurt-1" in text  # identifiers stay readable
