"""Which adapter serves which cloud, and which optional extra installs its SDK."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from .aws import AwsAdapter
from .azure import AzureAdapter
from .base import CLOUD_NAMES, CloudAdapter, CloudConfigError, CloudName
from .gcp import GcpAdapter
from .ibm import IbmAdapter
from .local import LocalAdapter
from .oci import OciAdapter

SUPPORTED_CLOUDS: tuple[CloudName, ...] = CLOUD_NAMES

# `pip install 'paybill-control-plane[<extra>]'`; the local cloud needs none.
EXTRAS: Mapping[str, str | None] = MappingProxyType(
    {"aws": "aws", "azure": "azure", "gcp": "gcp", "oci": "oci", "ibm": "ibm", "local": None}
)

_FACTORIES: Mapping[str, Callable[[], CloudAdapter]] = MappingProxyType(
    {
        "aws": AwsAdapter,
        "azure": AzureAdapter,
        "gcp": GcpAdapter,
        "oci": OciAdapter,
        "ibm": IbmAdapter,
        "local": LocalAdapter,
    }
)


def get_adapter(cloud: str) -> CloudAdapter:
    """A new adapter for the cloud. Cheap: no SDK is imported until a method runs."""
    factory = _FACTORIES.get(cloud)
    if factory is None:
        raise CloudConfigError(
            cloud, f"unsupported cloud; expected one of {', '.join(SUPPORTED_CLOUDS)}"
        )
    return factory()


def extra_for(cloud: str) -> str | None:
    """The optional extra that installs the cloud's SDK (None for local)."""
    if cloud not in EXTRAS:
        raise CloudConfigError(
            cloud, f"unsupported cloud; expected one of {', '.join(SUPPORTED_CLOUDS)}"
        )
    return EXTRAS[cloud]
