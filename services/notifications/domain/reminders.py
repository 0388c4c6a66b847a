"""When a reminder is due. Each goes once; the job records that it went."""
from __future__ import annotations

from datetime import date, datetime, timedelta


def offer_reminder_due(now: datetime, offered_until: datetime, hours_before: int) -> bool:
    """A seat offer lapses within `hours_before` hours and has not lapsed yet."""
    return offered_until - timedelta(hours=hours_before) <= now < offered_until


def hours_left(now: datetime, until: datetime) -> int:
    return int((until - now).total_seconds() // 3600)


def contract_reminder_due(now: datetime, offered_at: datetime, days: int) -> bool:
    """A contract offered `days` days ago is still not signed."""
    return now >= offered_at + timedelta(days=days)


def decision_reminder_due(today: date, decide_by: date) -> bool:
    """The provider's last day to decide is tomorrow (or, if the reminder is late, today)."""
    return decide_by - timedelta(days=1) <= today <= decide_by


def digest_due(local_now: datetime, digest_at, last_day: date | None) -> bool:
    """The day's digest goes once, at or after the configured local time."""
    return local_now.time() >= digest_at and (last_day is None or last_day < local_now.date())
