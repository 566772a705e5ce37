from typing import Literal

EntitlementsOutSource = Literal["catalog", "stripe"]

ENTITLEMENTS_OUT_SOURCE_VALUES: set[EntitlementsOutSource] = {
    "catalog",
    "stripe",
}


def check_entitlements_out_source(value: str) -> EntitlementsOutSource:
    if value in ENTITLEMENTS_OUT_SOURCE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ENTITLEMENTS_OUT_SOURCE_VALUES!r}")
