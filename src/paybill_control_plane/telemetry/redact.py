"""Scrubbing secrets out of log text before any handler writes it.

Two nets: patterns for secrets whose shape is known (API keys, Stripe keys, passwords in URLs and
connection strings, Authorization headers, `secret=…`-style pairs), and the literal values the
process knows to be secret (its settings, and a run's decrypted cloud credentials while that run
executes), which catch credentials that have no recognisable shape.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

MASK = "***"
# Shorter values would mask ordinary words ("test", "admin") all over the logs.
_MIN_LITERAL_LEN = 8


def _authorization(match: re.Match[str]) -> str:
    scheme = match.group(2)
    return f"{match.group(1)}{scheme} {MASK}" if scheme else f"{match.group(1)}{MASK}"


_PATTERNS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    # Paybill API keys: pbk_ + token_urlsafe.
    (re.compile(r"pbk_[A-Za-z0-9_\-]+"), "pbk_" + MASK),
    # Stripe secret and restricted keys, webhook signing secrets.
    (re.compile(r"\b(sk|rk)_(live|test)_[A-Za-z0-9]+"), r"\1_\2_" + MASK),
    (re.compile(r"whsec_[A-Za-z0-9+/=_\-]+"), "whsec_" + MASK),
    # Authorization / Proxy-Authorization header values, whatever the quoting around them.
    (
        re.compile(
            r"(?i)((?:proxy-)?authorization[\"']?\s*[:=,]\s*[\"']?)(?:(bearer|basic|token)\s+)?[^\s\"',)\]}]+"
        ),
        _authorization,
    ),
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=\-]{8,}"), r"\1 " + MASK),
    # user:password@ in any URL (database URLs above all).
    (re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*://[^:/?#@\s]*:)[^@/\s]+@"), r"\1" + MASK + "@"),
    # key=value and "key": "value" pairs whose key names a secret (libpq strings, dict reprs).
    (
        re.compile(
            r"(?i)([\"']?\b[\w\-]*(?:password|passwd|secret|passphrase|private_key|api_key|"
            r"access_key|session_token|client_secret)[\w\-]*[\"']?\s*[:=]\s*)"
            r"(?:\"[^\"]*\"|'[^']*'|[^\s,;&)}\]]+)"
        ),
        r"\1" + MASK,
    ),
]

_static_literals: frozenset[str] = frozenset()
_static_pattern: re.Pattern[str] | None = None
# Read lazily: a run learns its credentials part-way through, after the scope was entered.
SecretSource = Callable[[], Iterable[str]]
_scoped_sources: ContextVar[tuple[SecretSource, ...]] = ContextVar(
    "paybill_log_secrets", default=()
)


def _literals_pattern(values: Iterable[str]) -> re.Pattern[str] | None:
    usable = sorted({v for v in values if len(v) >= _MIN_LITERAL_LEN}, key=len, reverse=True)
    if not usable:
        return None
    return re.compile("|".join(re.escape(v) for v in usable))


@functools.lru_cache(maxsize=64)
def _scoped_pattern(values: frozenset[str]) -> re.Pattern[str] | None:
    return _literals_pattern(values)


def register_secrets(values: Iterable[str]) -> None:
    """Mask these exact values in every log line of the process from now on."""
    global _static_literals, _static_pattern
    _static_literals = _static_literals | {v for v in values if len(v) >= _MIN_LITERAL_LEN}
    _static_pattern = _literals_pattern(_static_literals)


@contextmanager
def secrets_in_scope(source: SecretSource) -> Iterator[None]:
    """Mask the values `source()` returns (at each log line) in the current task's log lines."""
    token = _scoped_sources.set((*_scoped_sources.get(), source))
    try:
        yield
    finally:
        _scoped_sources.reset(token)


def redact(text: str) -> str:
    """`text` with every secret it holds replaced by ***."""
    if _static_pattern is not None:
        text = _static_pattern.sub(MASK, text)
    sources = _scoped_sources.get()
    if sources:
        pattern = _scoped_pattern(frozenset(v for source in sources for v in source()))
        if pattern is not None:
            text = pattern.sub(MASK, text)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
