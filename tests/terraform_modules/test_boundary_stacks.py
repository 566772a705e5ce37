"""The tenant's boundary (member account, compartment, resource group, project) reaches the
stack's `target` input, changes the revision, and is not created a second time by a module."""

from __future__ import annotations

import pytest

from paybill_control_plane.provisioning import cloud_runtime as cr
from paybill_control_plane.provisioning import contract as mc
from tests.terraform_modules.stacks import (
    BOUNDARIES,
    PAIRS,
    render,
)


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
