"""Fixtures for the telemetry tests: logging restored after each test, a uvicorn server that
logs like `paybill serve` does."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

_TOUCHED = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi", "procrastinate")


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Tests call configure_logging freely: the root handlers, levels and routing come back."""
    root = logging.getLogger()
    saved_root = (list(root.handlers), root.level)
    saved = {name: (list(logging.getLogger(name).handlers), logging.getLogger(name).propagate)
             for name in _TOUCHED}  # fmt: skip
    levels = {name: logging.getLogger(name).level for name in list(logging.root.manager.loggerDict)}
    yield
    root.handlers[:] = saved_root[0]
    root.setLevel(saved_root[1])
    for name, (handlers, propagate) in saved.items():
        logging.getLogger(name).handlers[:] = handlers
        logging.getLogger(name).propagate = propagate
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
