"""A run's environment: the remote state backend block, and credentials scrubbed from messages."""

from __future__ import annotations

import json

from paybill_control_plane.cloud_targets.service import target_config
from paybill_control_plane.clouds import get_adapter
from paybill_control_plane.provisioning import cloud_runtime as cr
from paybill_control_plane.provisioning import planner
from tests.terraform_modules.stacks import (
    REGIONS,
    render,
    target_row,
)


def test_remote_state_backend_is_rendered_not_hashed() -> None:
    spec = render("aws", "silo")
    run = cr.CloudRun(
        cloud="aws",
        adapter=get_adapter("aws"),
        config=target_config(target_row("aws")),
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
