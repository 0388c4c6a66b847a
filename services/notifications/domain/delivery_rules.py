"""How a failed mail waits before its next try, and how many mails one person may get in a window."""
from __future__ import annotations

from datetime import datetime, timedelta


def backoff_s(attempts: int, base_s: float, max_s: float) -> float:
    """base × 2^(attempts−1), never more than max: 30 s, 1 min, 2 min, … up to an hour."""
    return min(max_s, base_s * 2 ** max(0, min(attempts - 1, 30)))


def next_free_slot(recent: list[datetime], limit: int, window: timedelta) -> datetime | None:
    """None: another mail may go now. Otherwise the moment the oldest mail that counts leaves
    the window (`recent`: when each mail of the window went)."""
    if len(recent) < limit:
        return None
    return sorted(recent)[-limit] + window
