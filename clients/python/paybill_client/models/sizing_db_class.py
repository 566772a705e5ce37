from typing import Literal

SizingDbClass = Literal["large", "medium", "small", "xlarge"]

SIZING_DB_CLASS_VALUES: set[SizingDbClass] = {
    "large",
    "medium",
    "small",
    "xlarge",
}


def check_sizing_db_class(value: str) -> SizingDbClass:
    if value in SIZING_DB_CLASS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SIZING_DB_CLASS_VALUES!r}")
