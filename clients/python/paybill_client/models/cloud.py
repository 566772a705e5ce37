from enum import StrEnum


class Cloud(StrEnum):
    AWS = "aws"
    AZURE = "azure"
    GCP = "gcp"
    IBM = "ibm"
    LOCAL = "local"
    OCI = "oci"

    def __str__(self) -> str:
        return str(self.value)
