from enum import StrEnum


class PlannedStackOutKind(StrEnum):
    BRIDGE_DATA = "bridge-data"
    POOL = "pool"
    SILO = "silo"

    def __str__(self) -> str:
        return str(self.value)
