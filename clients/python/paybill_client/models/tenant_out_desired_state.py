from enum import StrEnum


class TenantOutDesiredState(StrEnum):
    ACTIVE = "active"
    DEPROVISIONED = "deprovisioned"
    SUSPENDED = "suspended"

    def __str__(self) -> str:
        return str(self.value)
