"""The one clock of a running process. Every "now" and "today" comes from here, so tests and
demos can pin time (`pin`) without touching the system clock."""
from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


class Clock:
    """Wall time in UTC; "today" is the date in the installation's time zone (months, deadlines
    and ages are counted in local days). Pinned to a date, the day stands still and the time of
    day still moves; pinned to a datetime, time stands still."""

    def __init__(self, timezone: str = "Europe/Moscow", pinned: date | datetime | None = None) -> None:
        self.zone = ZoneInfo(timezone)
        self._pinned: date | datetime | None = None
        if pinned is not None:
            self.pin(pinned)

    def pin(self, moment: date | datetime) -> None:
        if isinstance(moment, datetime) and moment.tzinfo is None:
            raise ValueError("pin a datetime with its time zone")
        self._pinned = moment

    def unpin(self) -> None:
        self._pinned = None

    @property
    def pinned(self) -> bool:
        return self._pinned is not None

    def now(self) -> datetime:
        """An aware datetime in UTC."""
        real = datetime.now(UTC)
        if self._pinned is None:
            return real
        if isinstance(self._pinned, datetime):
            return self._pinned.astimezone(UTC)
        local_time = real.astimezone(self.zone).timetz().replace(tzinfo=None)
        return datetime.combine(self._pinned, local_time, self.zone).astimezone(UTC)

    def today(self) -> date:
        if isinstance(self._pinned, date) and not isinstance(self._pinned, datetime):
            return self._pinned
        return self.now().astimezone(self.zone).date()

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def start_of(self, day: date) -> datetime:
        """Local midnight of a day, as an aware UTC datetime (month boundaries in reports)."""
        return datetime.combine(day, time.min, self.zone).astimezone(UTC)
