from typing import Literal

PolicyEnforcement = Literal["advisory", "approval", "deny"]

POLICY_ENFORCEMENT_VALUES: set[PolicyEnforcement] = {
    "advisory",
    "approval",
    "deny",
}


def check_policy_enforcement(value: str) -> PolicyEnforcement:
    if value in POLICY_ENFORCEMENT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {POLICY_ENFORCEMENT_VALUES!r}")
