"""Runs re-check their target's URLs (DNS may have changed since the target was saved) and
their SDK calls go through the egress guard."""

from __future__ import annotations

import uuid

import pytest

from paybill_control_plane.cloud_targets.service import target_config
from paybill_control_plane.clouds import get_adapter
from paybill_control_plane.config import Settings
from paybill_control_plane.kit import net_guard
from paybill_control_plane.models.cloud_target import CloudTarget
from paybill_control_plane.provisioning.cloud_runtime import CloudRun, CloudTargetUnusable


def test_a_run_refuses_a_target_whose_endpoint_now_resolves_to_a_private_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = CloudTarget(
        id=uuid.uuid4(),
        cloud="aws",
        name="rebound",
        default_region="eu-west-1",
        account_ref="123456789012",
        endpoint_url="https://api.rebind.example.com",
        settings={},
        state_backend={},
        credential_keys=[],
        credentials_encrypted=None,
        version=1,
    )
    run = CloudRun(
        cloud="aws", adapter=get_adapter("aws"), config=target_config(target), target=target
    )
    monkeypatch.setattr(net_guard, "system_resolve", lambda host, port: ["10.20.30.40"])
    with pytest.raises(CloudTargetUnusable, match="endpoint_url is not allowed"):
        run.credentials(Settings(secret_key="x" * 40))
