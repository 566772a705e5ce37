from enum import StrEnum


class TenantOutSuspendedByType0(StrEnum):
    BILLING = "billing"
    OPERATOR = "operator"

    def __str__(self) -> str:
        return str(self.value)
