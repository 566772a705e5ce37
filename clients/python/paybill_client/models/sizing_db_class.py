from enum import StrEnum


class SizingDbClass(StrEnum):
    LARGE = "large"
    MEDIUM = "medium"
    SMALL = "small"
    XLARGE = "xlarge"

    def __str__(self) -> str:
        return str(self.value)
