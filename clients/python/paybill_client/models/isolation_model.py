from enum import StrEnum


class IsolationModel(StrEnum):
    BRIDGE = "bridge"
    POOLED = "pooled"
    SILO = "silo"

    def __str__(self) -> str:
        return str(self.value)
