from enum import StrEnum


class RunOutOperationType0(StrEnum):
    APPLY = "apply"
    DESTROY = "destroy"
    NOOP = "noop"

    def __str__(self) -> str:
        return str(self.value)
