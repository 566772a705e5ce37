"""One step of a run, typed; stored in `runs.steps` as the same JSON objects as before.

Keys whose value is unset are left out of the JSON (a waiting step has no timings, a step that
needs none has no detail), which is what readers of old rows already expect.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from paybill_control_plane.db.base import utcnow
from paybill_control_plane.models.enums import StepStatus
from paybill_control_plane.telemetry import tracing

_STORED = ("started_at", "finished_at", "duration_ms", "detail", "attempt")


@dataclass
class Step:
    name: str
    status: StepStatus
    started_at: str | None = None  # ISO 8601, UTC
    finished_at: str | None = None
    duration_ms: int | None = None
    detail: str | None = None
    attempt: int | None = None
    # In memory only, while the step runs: its start on the monotonic clock (durations must not
    # follow wall-clock jumps) and its trace span.
    clock: float | None = field(default=None, repr=False, compare=False)
    span: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def start(cls, name: str, detail: str | None, span: Any) -> Step:
        """A running step, started now."""
        return cls(
            name,
            StepStatus.running,
            started_at=utcnow().isoformat(),
            detail=detail or None,
            clock=time.perf_counter(),
            span=span,
        )

    def close(self, status: StepStatus, detail: str | None = None) -> None:
        """Finish a running step: its status, end time and duration (and detail, when given)."""
        self.status = status
        self.finished_at = utcnow().isoformat()
        if self.clock is not None:
            self.duration_ms = round((time.perf_counter() - self.clock) * 1000)
            self.clock = None
        if detail:
            self.detail = detail
        tracing.end_span(self.span, detail if status is StepStatus.failed else None)
        self.span = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "status": self.status.value}
        for key in _STORED:
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Step:
        return cls(
            name=str(raw["name"]),
            status=StepStatus(raw["status"]),
            **{key: raw[key] for key in _STORED if raw.get(key) is not None},
        )
