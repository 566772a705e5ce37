"""The retry schedule: backoff from the settings, Retry-After honoured (seconds or HTTP date)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from paybill_control_plane.config import Settings
from paybill_control_plane.events.delivery import (
    MAX_RETRY_AFTER_SECONDS,
    Answer,
    next_delay,
    parse_retry_after,
)

SCHEDULE = Settings().webhook_retry_schedule_seconds


def test_default_schedule_spans_about_three_days() -> None:
    assert 2.5 * 86_400 <= sum(SCHEDULE) <= 3.5 * 86_400
    assert sorted(SCHEDULE) == SCHEDULE


def test_backoff_follows_the_schedule_with_jitter_then_gives_up() -> None:
    failed = Answer(500, 3.0)
    for attempt, base in enumerate(SCHEDULE, start=1):
        delay = next_delay(attempt, failed, SCHEDULE)
        assert delay is not None and 0.9 * base <= delay <= 1.1 * base
    assert next_delay(len(SCHEDULE) + 1, failed, SCHEDULE) is None


def test_retry_after_is_never_undercut_and_is_capped() -> None:
    asked = Answer(429, 1.0, retry_after=3600)
    delay = next_delay(1, asked, SCHEDULE)
    assert delay is not None and delay >= 3600
    huge = next_delay(1, Answer(503, 1.0, retry_after=10**9), SCHEDULE)
    assert huge is not None and huge <= MAX_RETRY_AFTER_SECONDS * 1.0001


def test_retry_after_parses_seconds_and_dates() -> None:
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120
    later = format_datetime(now + timedelta(minutes=5), usegmt=True)
    assert parse_retry_after(later, now) == 300
    assert parse_retry_after("soon", now) is None and parse_retry_after(None, now) is None
