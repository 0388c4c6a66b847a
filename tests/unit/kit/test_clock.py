"""The one clock: real by default, pinned for demos and tests, days counted in the installation's zone."""
from datetime import UTC, date, datetime

import pytest

from pfdo_kit.clock import Clock


def test_today_is_the_local_date_not_the_utc_one():
    clock = Clock("Europe/Moscow", datetime(2026, 12, 31, 22, 30, tzinfo=UTC))
    assert clock.today() == date(2027, 1, 1)
    assert clock.now() == datetime(2026, 12, 31, 22, 30, tzinfo=UTC)


def test_a_pinned_day_stands_still_while_the_time_moves():
    clock = Clock("Europe/Moscow")
    clock.pin(date(2026, 9, 2))
    assert clock.pinned and clock.today() == date(2026, 9, 2)
    assert clock.now().astimezone(clock.zone).date() == date(2026, 9, 2)
    assert clock.now().tzinfo is not None
    clock.unpin()
    assert not clock.pinned and abs((clock.now() - datetime.now(UTC)).total_seconds()) < 5


def test_start_of_a_day_is_local_midnight():
    assert Clock("Europe/Moscow").start_of(date(2026, 10, 1)) == datetime(2026, 9, 30, 21, 0, tzinfo=UTC)


def test_a_naive_datetime_cannot_be_pinned():
    with pytest.raises(ValueError):
        Clock().pin(datetime(2026, 1, 1, 12, 0))
