"""How long a provider has to decide on an application."""
from __future__ import annotations

from datetime import date

from pfdo_kit.calendar import WorkingCalendar

DECISION_WORKING_DAYS = 7


def decide_by(submitted_on: date, calendar: WorkingCalendar) -> date:
    """The provider decides within 7 working days of the production calendar (the region's own
    days included); an application still undecided after that day expires."""
    return calendar.add_working_days(submitted_on, DECISION_WORKING_DAYS)
