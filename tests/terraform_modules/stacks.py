"""A sample tenant and pool, realistic cloud targets and boundaries, and the stacks the real
planner renders from them (with the `target` input built by ``cloud_runtime``): what the
rendered-stack tests share."""

from __future__ import annotations

import uuid
from typing import Any

from paybill_control_plane.models.cloud_target import CloudTarget
from paybill_control_plane.provisioning import cloud_runtime as cr
from paybill_control_plane.provisioning import contract as mc
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
