"""Every (cloud x model) stack as the real planner renders it for a sample tenant, with the
`target` input built from a realistic cloud target, checked against the module's variables.

The module contract and fmt checks live in test_module_files.py; here the point is the
control plane's side: planner + target inputs give inputs the modules take. Boundaries are in
test_boundary_stacks.py, the `target` key scanner in test_target_keys.py.
"""

from __future__ import annotations

import json

import pytest

from paybill_control_plane.provisioning import cloud_runtime as cr
from paybill_control_plane.provisioning import contract as mc
from paybill_control_plane.provisioning import planner
from tests.terraform_modules.stacks import (
    ACCOUNT_REFS,
    ADAPTER_ONLY,
    CLOUDS,
    IDS,
    PAIRS,
    render,
)


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
