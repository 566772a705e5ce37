"""Which URLs a cloud target may name, and the errors of its checks (see kit/net_guard.py)."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from paybill_control_plane.config import Settings
from paybill_control_plane.errors import ControlPlaneError, Unprocessable
from paybill_control_plane.kit.net_guard import EgressPolicy, EgressRefused, check_url

log = logging.getLogger(__name__)

#: Target settings that name a host the SDK connects to (checked like endpoint_url).
URL_SETTINGS = (
    "iam_url",
    "authority_host",
    # The managed-database APIs (clouds/gcp_sql.py, clouds/oci_pg.py).
    "sqladmin_endpoint",
    "secretmanager_endpoint",
    "psql_endpoint",
    "secrets_endpoint",
)
ENDPOINT_REFUSED = (
    "{field} is not allowed: it must be an https URL whose host resolves only to public "
    "addresses (plain http and private addresses are allowed only for the hosts an operator "
    "lists in PAYBILL_ALLOW_INSECURE_ENDPOINT_HOSTS)."
)
# One answer for every way a validation can fail to reach the cloud: a refused address, a
# refused connection, a timeout, an answer that is not the cloud's. Different texts would let
# an admin map which hosts and ports exist behind the control plane.
UNREACHABLE_DETAIL = (
    "The cloud target's API could not be used: it is not reachable at an allowed address, or "
    "it did not answer as the cloud's API does."
)


class InvalidCloudTarget(Unprocessable):
    type_slug = "invalid-cloud-target"
    title = "The cloud target is not valid"


class CloudTargetUnreachable(ControlPlaneError):
    status = 502
    type_slug = "cloud-target-unreachable"
    title = "The cloud target's API could not be used"


def egress_policy(settings: Settings) -> EgressPolicy:
    return EgressPolicy.of(settings.allow_insecure_endpoint_hosts)


def target_urls(endpoint_url: str | None, settings: Mapping[str, str]) -> dict[str, str]:
    """Every URL of a target the SDKs connect to, by the field that holds it."""
    urls = {"endpoint_url": endpoint_url} if endpoint_url else {}
    for key in URL_SETTINGS:
        value = settings.get(key)
        if value:
            urls[f"settings.{key}"] = value if "://" in value else f"https://{value}"
    return urls


def check_target_urls(
    endpoint_url: str | None, target_settings: Mapping[str, str], settings: Settings
) -> None:
    """422 naming the field when a URL is refused; why goes to the log only."""
    policy = egress_policy(settings)
    for field, url in target_urls(endpoint_url, target_settings).items():
        try:
            check_url(url, policy)
        except EgressRefused as exc:
            log.info("cloud target %s refused: %s", field, exc)
            raise InvalidCloudTarget(ENDPOINT_REFUSED.format(field=field)) from None
