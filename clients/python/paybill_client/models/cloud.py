from typing import Literal

Cloud = Literal["aws", "azure", "gcp", "ibm", "local", "oci"]

CLOUD_VALUES: set[Cloud] = {
    "aws",
    "azure",
    "gcp",
    "ibm",
    "local",
    "oci",
}


def check_cloud(value: str) -> Cloud:
    if value in CLOUD_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CLOUD_VALUES!r}")
