"""CEL (Common Expression Language) for catalog policies, through `common-expression-language`.

Expressions are data written by operators; they are compiled (never Python `eval`), and the
compiled programs are cached by source text, so a run evaluates its policies without parsing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import cel


class CelError(ValueError):
    """An expression that does not parse, or whose evaluation failed."""


@lru_cache(maxsize=512)
def compile_expression(source: str) -> cel.Program:
    """The compiled program for `source`; CelError with the parser's message (line, column)."""
    try:
        return cel.compile(source)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # ValueError; a Rust panic surfaces as a BaseException
        raise CelError(str(exc)) from None


def evaluate_bool(source: str, variables: dict[str, Any]) -> bool:
    """Evaluate `source` to a boolean; CelError when it fails or yields something else."""
    program = compile_expression(source)
    try:
        value = program.execute(variables)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # KeyError, TypeError, ValueError, RuntimeError; Rust panics
        raise CelError(f"{type(exc).__name__}: {exc}") from None
    if not isinstance(value, bool):
        raise CelError(f"the expression gave {type(value).__name__}, not a boolean")
    return value
