from enum import StrEnum


class StateBackendKind(StrEnum):
    AZURERM = "azurerm"
    GCS = "gcs"
    PG = "pg"
    S3 = "s3"

    def __str__(self) -> str:
        return str(self.value)
