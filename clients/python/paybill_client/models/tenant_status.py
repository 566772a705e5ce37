from enum import StrEnum


class TenantStatus(StrEnum):
    ACTIVE = "active"
    DEPROVISIONED = "deprovisioned"
    DEPROVISIONING = "deprovisioning"
    FAILED = "failed"
    PENDING = "pending"
    PROVISIONING = "provisioning"
    PURGED = "purged"
    SUSPENDED = "suspended"
    UPDATING = "updating"

    def __str__(self) -> str:
        return str(self.value)
