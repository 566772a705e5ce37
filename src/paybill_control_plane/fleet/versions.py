"""Release versions (dotted numbers, '1.4.2') and `upgradeable_from` constraints ('>=1.2,<2')."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable

VERSION = re.compile(r"^\d{1,6}(\.\d{1,6}){0,3}$")
_CLAUSE = re.compile(r"^(>=|<=|==|!=|>|<)\s*(\d{1,6}(?:\.\d{1,6}){0,3})$")
_OPS: dict[str, Callable[[tuple[int, ...], tuple[int, ...]], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    "<": operator.lt,
}


def key(version: str) -> tuple[int, ...]:
    """Comparable form: '1.2' == '1.2.0'."""
    parts = [int(p) for p in version.split(".")]
    while len(parts) < 4:
        parts.append(0)
    return tuple(parts)


def check_constraint(constraint: str) -> None:
    """Raise ValueError unless every comma-separated clause reads '<op> <version>'."""
    for clause in constraint.split(","):
        if _CLAUSE.match(clause.strip()) is None:
            raise ValueError(
                f"'{clause.strip()}' is not a clause like '>=1.2' (ops: {', '.join(_OPS)})"
            )


def satisfies(version: str | None, constraint: str | None) -> bool:
    """Whether a stack on `version` (None: the module on disk) may upgrade under `constraint`."""
    if not constraint:
        return True
    if version is None:
        return False
    for clause in constraint.split(","):
        match = _CLAUSE.match(clause.strip())
        assert match is not None  # checked when the release was made
        if not _OPS[match.group(1)](key(version), key(match.group(2))):
            return False
    return True
