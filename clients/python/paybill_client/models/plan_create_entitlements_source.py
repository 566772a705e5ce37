from enum import StrEnum


class PlanCreateEntitlementsSource(StrEnum):
    CATALOG = "catalog"
    STRIPE = "stripe"

    def __str__(self) -> str:
        return str(self.value)
