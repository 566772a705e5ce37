from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    BILLING = "billing"
    OPERATOR = "operator"
    TENANT = "tenant"
    VIEWER = "viewer"

    def __str__(self) -> str:
        return str(self.value)
