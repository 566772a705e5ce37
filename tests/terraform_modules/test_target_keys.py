"""Which `target` keys a module reads, found by scanning its source."""

from __future__ import annotations

import pytest

from paybill_control_plane.provisioning import cloud_runtime as cr
from paybill_control_plane.provisioning import contract as mc
from paybill_control_plane.provisioning.cloud_runtime import inputs as cr_inputs
from tests.terraform_modules.stacks import (
    IDS,
    PAIRS,
)


@pytest.mark.parametrize(("cloud", "model"), PAIRS, ids=IDS)
def test_target_key_scanner_sees_every_reference(cloud: str, model: str) -> None:
    """The control plane passes only the `target` keys a module reads, found in its source;
    a use of the whole map (say `merge(var.target, ...)`) would hide keys from that scan."""
    source = "\n".join(p.read_text() for p in sorted(mc.module_dir(cloud, model).glob("*.tf")))
    for pattern in (cr_inputs._LOOKUP, cr_inputs._INDEX, cr_inputs._ATTRIBUTE):
        source = pattern.sub("", source)
    assert "var.target" not in source


def test_interpolated_keys_match_db_classes() -> None:
    assert cr.module_reads("aws", "silo", "db_instance_class_large")
    assert not cr.module_reads("aws", "silo", "db_instance_class_huge")
    assert not cr.module_reads("aws", "silo", "db_instance_class_")
