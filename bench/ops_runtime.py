"""What a service's routes, handlers and jobs take from its runtime, for the in-process ops benches
(catalog_ops, billing_ops): write and read sessions on one engine, the outbox, the clock, the calendar
and the service's settings — without the bus or the HTTP server."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncEngine

from pfdo_kit.calendar import WorkingCalendar
from pfdo_kit.clock import Clock
from pfdo_kit.db import make_read_sessions, make_sessions
from pfdo_kit.outbox import Outbox


@dataclass
class OpsRuntime:
    sessions: object
    reads: object
    outbox: Outbox
    clock: Clock
    calendar: WorkingCalendar
    settings: object = None

    @classmethod
    def on(cls, engine: AsyncEngine, outbox: Table, settings: object = None) -> OpsRuntime:
        return cls(make_sessions(engine), make_read_sessions(engine), Outbox(outbox, "bench"), Clock(),
                   WorkingCalendar(), settings)
