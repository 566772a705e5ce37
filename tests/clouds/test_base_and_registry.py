from __future__ import annotations

import builtins
import socket
import subprocess
import sys
from typing import Any

import pytest

from paybill_control_plane.clouds import (
    SUPPORTED_CLOUDS,
    BoundaryRequest,
    CloudAdapter,
    CloudConfigError,
    CloudError,
    CloudTargetConfig,
    MissingCredentialError,
    MissingExtraError,
    extra_for,
    get_adapter,
)
from paybill_control_plane.clouds._common import (
    boundary_tags,
    derive_name,
    poll_until,
    require_credentials,
    scrub,
)

from .conftest import TENANT_ID

# (cloud, a module its SDK import needs, credentials complete enough to reach that import)
SDK_IMPORTS = [
    ("aws", "boto3", {"access_key_id": "AKIAEXAMPLE0001", "secret_access_key": "s" * 40}),
    ("azure", "azure.identity", {"tenant_id": "t", "client_id": "c", "client_secret": "x" * 20}),
    ("gcp", "google.cloud", {"service_account_json": "{}"}),
    (
        "oci",
        "oci",
        {"user_ocid": "u", "fingerprint": "f", "private_key_pem": "k" * 20, "region": "r"},
    ),
    ("ibm", "ibm_platform_services", {"api_key": "k" * 20}),
]


def target(cloud: str = "local", **settings: str) -> CloudTargetConfig:
    return CloudTargetConfig(
        cloud=cloud,
        name=f"{cloud}-main",
        default_region="eu-west-1",
        account_ref="123456789012",
        settings=settings,
    )


def test_registry_serves_every_cloud_with_the_protocol() -> None:
    assert SUPPORTED_CLOUDS == ("aws", "azure", "gcp", "oci", "ibm", "local")
    for cloud in SUPPORTED_CLOUDS:
        adapter = get_adapter(cloud)
        assert isinstance(adapter, CloudAdapter)
        assert adapter.cloud == cloud
    assert extra_for("oci") == "oci"
    assert extra_for("local") is None


def test_unknown_cloud_is_a_clear_error() -> None:
    with pytest.raises(CloudConfigError, match="unsupported cloud; expected one of aws"):
        get_adapter("digitalocean")
    with pytest.raises(CloudConfigError, match="unknown cloud"):
        target("digitalocean")


def test_target_settings_are_read_only_and_typed() -> None:
    settings = {"create_account": "TRUE", "poll_interval_seconds": "0.5", "empty": ""}
    t = target("aws", **settings)
    settings["create_account"] = "false"  # the target keeps its own copy
    assert t.flag("create_account") is True
    assert t.flag("missing", default=True) is True
    assert t.seconds("poll_interval_seconds", 10) == 0.5
    assert t.seconds("missing", 10) == 10
    assert t.setting("empty") is None
    with pytest.raises(TypeError):
        t.settings["x"] = "y"  # type: ignore[index]
    with pytest.raises(CloudConfigError, match="'email_domain' when create_account"):
        t.require_setting("email_domain", "when create_account is true")
    with pytest.raises(CloudConfigError, match="must be true or false"):
        target("aws", create_account="maybe").flag("create_account")
    with pytest.raises(CloudConfigError, match="number of seconds"):
        target("aws", poll_interval_seconds="-1").seconds("poll_interval_seconds", 1)


def test_missing_credential_keys_are_named_and_values_never_echoed() -> None:
    creds = {"access_key_id": "AKIASECRETVALUE123", "secret_access_key": ""}
    with pytest.raises(MissingCredentialError) as info:
        require_credentials("aws", creds, ("access_key_id", "secret_access_key", "role_x"))
    message = str(info.value)
    assert message == "[aws] aws credentials are missing required key(s): secret_access_key, role_x"
    assert "AKIASECRETVALUE123" not in message
    assert info.value.missing == ["secret_access_key", "role_x"]


@pytest.mark.parametrize("cloud", ["aws", "azure", "gcp", "oci", "ibm"])
def test_every_adapter_checks_its_credential_keys(cloud: str) -> None:
    adapter = get_adapter(cloud)
    partial = {"region": "eu-frankfurt-1", "unrelated": "TOPSECRETVALUE"}
    for call in (
        lambda: adapter.validate_credentials(target(cloud), partial),
        lambda: adapter.terraform_env(target(cloud), partial),
    ):
        with pytest.raises(MissingCredentialError) as info:
            call()
        assert info.value.cloud == cloud
        assert info.value.missing
        assert "TOPSECRETVALUE" not in str(info.value)


@pytest.mark.parametrize(("cloud", "module", "creds"), SDK_IMPORTS)
def test_missing_sdk_tells_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch, cloud: str, module: str, creds: dict[str, str]
) -> None:
    real_import = builtins.__import__

    def failing_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == module or name.startswith(module + "."):
            raise ImportError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing_import)
    adapter = get_adapter(cloud)
    t = target(cloud, create_account="true", email_domain="example.com")
    with pytest.raises(MissingExtraError) as info:
        adapter.validate_credentials(t, creds)
    assert f"pip install 'paybill-control-plane[{cloud}]'" in str(info.value)
    assert info.value.code == "missing-extra"
    with pytest.raises(MissingExtraError):
        adapter.ensure_boundary(t, creds, BoundaryRequest(TENANT_ID, "acme", "silo"))


def test_importing_the_package_and_building_adapters_imports_no_sdk() -> None:
    code = (
        "import sys\n"
        "from paybill_control_plane.clouds import registry, credentials\n"
        "[registry.get_adapter(c) for c in registry.SUPPORTED_CLOUDS]\n"
        "sdks = ('boto3', 'botocore', 'azure', 'google', 'oci', 'ibm_platform_services')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in sdks))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_local_adapter_is_deterministic_and_offline() -> None:
    adapter = get_adapter("local")
    req = BoundaryRequest(TENANT_ID, "acme", "silo", region="lab-1")
    first = adapter.ensure_boundary(target(), {}, req)
    assert first == adapter.ensure_boundary(target(), {}, req)
    assert first.kind == "local"
    assert first.id == f"local-{TENANT_ID}"
    assert first.attributes == {"tenant_id": TENANT_ID, "name": "paybill-acme", "region": "lab-1"}
    assert adapter.validate_credentials(target(), {}).ok
    assert adapter.terraform_env(target(), {}) == {}
    adapter.remove_boundary(target(), {}, first)
    adapter.remove_boundary(target(), {}, first)


def test_derived_names_fit_and_stay_unique() -> None:
    assert derive_name("paybill-", "acme", TENANT_ID, 40) == "paybill-acme"
    long_slug = "a" * 30 + "-" + "b" * 9
    name = derive_name("paybill-", long_slug, TENANT_ID, 40)
    assert len(name) == 40
    assert name.startswith("paybill-aaaa")
    assert name != derive_name("paybill-", long_slug, "another-tenant", 40)
    assert "--" not in derive_name("paybill-", "a" * 26 + "-b" * 10, TENANT_ID, 40)


def test_reserved_tags_win_over_tenant_labels() -> None:
    req = BoundaryRequest(
        TENANT_ID, "acme", "pooled", labels={"paybill-tenant-id": "x", "env": "p"}
    )
    assert boundary_tags(req) == {
        "env": "p",
        "paybill-tenant-id": TENANT_ID,
        "paybill-tenant-slug": "acme",
        "paybill-isolation-model": "pooled",
        "paybill-managed-by": "paybill-control-plane",
    }


def test_scrub_removes_every_credential_value_including_pem_lines() -> None:
    pem = "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END KEY-----\n"
    creds = {"secret": "s3cr3t-value", "key": pem, "short": "ab"}
    text = "boom s3cr3t-value and MIIEvQIBADANBgkqhkiG9w0BAQEFAASC and ab"
    assert scrub(text, creds) == "boom *** and *** and ab"


def test_poll_until_times_out_with_a_retryable_error() -> None:
    calls: list[str] = []

    def fetch() -> str:
        calls.append("IN_PROGRESS")
        return "IN_PROGRESS"

    with pytest.raises(CloudError) as info:
        poll_until(
            "aws", "the thing", fetch, lambda s: s != "IN_PROGRESS", timeout=0.05, interval=0.01
        )
    assert info.value.retryable
    assert "timed out after 0.05s waiting for the thing" in str(info.value)
    assert len(calls) >= 2


def test_tests_cannot_reach_the_network() -> None:
    with pytest.raises(OSError, match="tried to resolve"):
        socket.create_connection(("management.azure.com", 443), timeout=1)
    with socket.socket() as sock, pytest.raises(OSError, match="tried to connect"):
        sock.connect(("192.0.2.1", 443))
