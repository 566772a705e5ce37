from typing import Literal

RunOutOperationType0 = Literal["apply", "destroy", "noop"]

RUN_OUT_OPERATION_TYPE_0_VALUES: set[RunOutOperationType0] = {
    "apply",
    "destroy",
    "noop",
}


def check_run_out_operation_type_0(value: str) -> RunOutOperationType0:
    if value in RUN_OUT_OPERATION_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RUN_OUT_OPERATION_TYPE_0_VALUES!r}")
