from typing import Literal

PolicyAppliesToOperationsType0Item = Literal["apply", "destroy"]

POLICY_APPLIES_TO_OPERATIONS_TYPE_0_ITEM_VALUES: set[PolicyAppliesToOperationsType0Item] = {
    "apply",
    "destroy",
}


def check_policy_applies_to_operations_type_0_item(value: str) -> PolicyAppliesToOperationsType0Item:
    if value in POLICY_APPLIES_TO_OPERATIONS_TYPE_0_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {POLICY_APPLIES_TO_OPERATIONS_TYPE_0_ITEM_VALUES!r}")
