"""The filter panel's facets: what a search's results are counted by, each facet under every
filter but its own (so a panel can show what ticking another box would give). A program
counts in every age band its ages reach."""
from __future__ import annotations

AGE_BANDS = ((3, 6), (7, 10), (11, 14), (15, 18))  # дошкольники, младшие, средние, старшие школьники
FACETED = ("direction", "level", "municipality", "age", "certificate", "free_seats")


def band_name(lo: int, hi: int) -> str:
    return f"{lo}-{hi}"
