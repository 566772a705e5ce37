"""Maintenance windows: the API form, the label form, wrapping past midnight, next opening."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from paybill_control_plane.kit import windows

SAT_3AM = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)  # a Saturday
MON_3AM = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


def test_days_and_hours() -> None:
    window = windows.parse("sat,sun 02:00-06:00")
    assert window.contains(SAT_3AM) and not window.contains(MON_3AM)
    assert windows.parse("sat.sun_0200-0600") == window  # the label spelling


def test_a_window_that_wraps_midnight_belongs_to_its_start_day() -> None:
    window = windows.parse("fri 22:00-02:00")
    assert window.contains(datetime(2026, 11, 27, 23, 0, tzinfo=UTC))  # Friday night
    assert window.contains(datetime(2026, 11, 28, 1, 0, tzinfo=UTC))  # Saturday early
    assert not window.contains(datetime(2026, 11, 29, 1, 0, tzinfo=UTC))  # Sunday early


def test_next_opening() -> None:
    window = windows.parse("sat 02:00-06:00")
    assert window.next_opening(MON_3AM) == datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
    assert window.next_opening(SAT_3AM) == SAT_3AM


@pytest.mark.parametrize("text", ["02:00", "xyz 02:00-03:00", "25:00-03:00", "02:00-02:00"])
def test_malformed_windows_are_refused(text: str) -> None:
    with pytest.raises(windows.InvalidWindow):
        windows.parse(text)
