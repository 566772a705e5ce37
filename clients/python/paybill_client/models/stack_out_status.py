from enum import StrEnum


class StackOutStatus(StrEnum):
    APPLIED = "applied"
    APPLYING = "applying"
    DESTROYED = "destroyed"
    DESTROYING = "destroying"
    FAILED = "failed"
    PENDING = "pending"

    def __str__(self) -> str:
        return str(self.value)
