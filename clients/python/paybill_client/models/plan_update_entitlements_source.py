from enum import StrEnum


class PlanUpdateEntitlementsSource(StrEnum):
    CATALOG = "catalog"
    STRIPE = "stripe"

    def __str__(self) -> str:
        return str(self.value)
