"""Payment agreements as the registry publishes them, put on the bus and waited for until the
certificates service has recorded them."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import text

from pfdo_events import Envelope
from pfdo_events.registry import AgreementChanged
from pfdo_kit.bus.names import BusNames
from pfdo_kit.clock import Clock
from pfdo_kit.db import make_engine
from tests.support.service_app import publish
from tests.support.waiting import eventually

YEAR = Clock().today().year
PROVIDER = uuid.UUID("0f0f0f0f-0000-4000-8000-000000000001")


def names_of(svc) -> BusNames:
    s = svc.settings
    return BusNames(s.bus_exchange, s.bus_queue_prefix, s.bus_queue_expires_ms)


def agreement_event(provider: uuid.UUID = PROVIDER, municipality: str = "chegem", year: int = YEAR,
                    limit_kop: int | None = None, active: bool = True, at: datetime | None = None) -> Envelope:
    event = AgreementChanged(provider_id=provider, municipality=municipality, year=year, number=f"С-{year}-1",
                             signed_on=date(year, 1, 10), limit_kop=limit_kop, active=active)
    envelope = Envelope.wrap(event, district="test-district")
    return envelope if at is None else envelope.model_copy(update={"occurred_at": at})


async def agreement_row(svc, provider: uuid.UUID, municipality: str, year: int) -> dict | None:
    engine = make_engine(svc.database_url)
    try:
        async with engine.connect() as conn:
            row = (await conn.execute(text(
                "SELECT number, limit_kop, active, used_kop FROM agreements "
                "WHERE provider_id = :p AND municipality = :m AND year = :y"),
                {"p": provider, "m": municipality, "y": year})).mappings().first()
    finally:
        await engine.dispose()
    return dict(row) if row else None


async def signed_agreement(svc, provider: uuid.UUID = PROVIDER, municipality: str = "chegem", year: int = YEAR,
                           limit_kop: int | None = None, active: bool = True) -> None:
    """The registry's agreement, published and recorded by the service."""
    await publish(svc.settings.amqp_url, names_of(svc), agreement_event(provider, municipality, year, limit_kop, active,
                                                                        at=datetime.now(UTC)))
    await recorded_agreement(svc, provider, municipality, year, limit_kop, active)


async def recorded_agreement(svc, provider: uuid.UUID = PROVIDER, municipality: str = "chegem", year: int = YEAR,
                             limit_kop: int | None = None, active: bool = True) -> None:
    """Waits until the certificates service `svc` has recorded the agreement as given."""
    async def recorded() -> bool:
        row = await agreement_row(svc, provider, municipality, year)
        return row is not None and (row["limit_kop"], row["active"]) == (limit_kop, active)
    await eventually(recorded, timeout_s=20, what="the agreement recorded")
