"""Maintenance windows: '[days ]HH:MM-HH:MM' in UTC, e.g. 'sat,sun 02:00-06:00' or '22:00-02:00'.

Tenant labels cannot hold spaces, commas or colons, so a label spells the same window compactly:
'sat.sun_0200-0600' or '2200-0200'.

A window that ends before it starts wraps past midnight (it belongs to the day it starts on).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PATTERN = re.compile(
    r"^\s*(?:(?P<days>[a-z]{3}(?:,[a-z]{3})*)\s+)?(?P<start>\d{2}:\d{2})-(?P<end>\d{2}:\d{2})\s*$"
)


_COMPACT = re.compile(
    r"^(?:(?P<days>[a-z]{3}(?:\.[a-z]{3})*)_)?(?P<sh>\d{2})(?P<sm>\d{2})-(?P<eh>\d{2})(?P<em>\d{2})$"
)
LABEL = "maintenance-window"


class InvalidWindow(ValueError):
    pass


@dataclass(frozen=True)
class Window:
    days: frozenset[int]  # 0 = Monday
    start: time
    end: time

    def contains(self, at: datetime) -> bool:
        """Whether `at` (timezone-aware) falls inside the window."""
        moment = at.astimezone(UTC)
        now = moment.time().replace(tzinfo=None)
        day = moment.weekday()
        if self.start <= self.end:
            return day in self.days and self.start <= now < self.end
        # Wraps midnight: the evening part is on its own day, the morning part on the next.
        if now >= self.start:
            return day in self.days
        return now < self.end and (day - 1) % 7 in self.days

    def next_opening(self, after: datetime) -> datetime:
        """The first minute at or after `after` that lies inside the window."""
        moment = after.replace(second=0, microsecond=0)
        for _ in range(8 * 24 * 60 // 15):
            if self.contains(moment):
                return max(moment, after)
            moment += timedelta(minutes=15)
        return after  # unreachable for a valid window: every window opens weekly


def _clock(text: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours > 23 or minutes > 59:
        raise InvalidWindow(f"'{text}' is not a time of day (HH:MM, 00:00-23:59)")
    return time(hours, minutes)


def parse(text: str) -> Window:
    """Parse a window; raises InvalidWindow with a readable reason."""
    compact = _COMPACT.match(text.lower())
    if compact is not None:
        days = (compact.group("days") or "").replace(".", ",")
        clock = f"{compact['sh']}:{compact['sm']}-{compact['eh']}:{compact['em']}"
        text = f"{days} {clock}".strip()
    match = _PATTERN.match(text.lower())
    if match is None:
        raise InvalidWindow(f"'{text}' is not a window like 'sat,sun 02:00-06:00' (UTC)")
    days_text = match.group("days")
    if days_text:
        unknown = [d for d in days_text.split(",") if d not in DAYS]
        if unknown:
            raise InvalidWindow(f"unknown day(s) {', '.join(unknown)}; use {', '.join(DAYS)}")
        days = frozenset(DAYS.index(d) for d in days_text.split(","))
    else:
        days = frozenset(range(7))
    start, end = _clock(match.group("start")), _clock(match.group("end"))
    if start == end:
        raise InvalidWindow("a window's start and end must differ")
    return Window(days, start, end)
