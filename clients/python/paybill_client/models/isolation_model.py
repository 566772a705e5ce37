from typing import Literal

IsolationModel = Literal["bridge", "pooled", "silo"]

ISOLATION_MODEL_VALUES: set[IsolationModel] = {
    "bridge",
    "pooled",
    "silo",
}


def check_isolation_model(value: str) -> IsolationModel:
    if value in ISOLATION_MODEL_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ISOLATION_MODEL_VALUES!r}")
