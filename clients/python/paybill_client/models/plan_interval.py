from enum import StrEnum


class PlanInterval(StrEnum):
    DAY = "day"
    MONTH = "month"
    ONE_TIME = "one_time"
    WEEK = "week"
    YEAR = "year"

    def __str__(self) -> str:
        return str(self.value)
