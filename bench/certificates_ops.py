"""The certificates' rush operations one by one, in-process, without the platform: SQL statements
and CPU (this process's, time.process_time) per operation, through the real handlers with their
inbox claims, as the consumer runs them (bench/catalog_ops.py measures the catalog the same way).

    python -m bench.certificates_ops [--children 600 --groups 30 --seats 15 --providers 10]

A certificates database is seeded as bench.rush_seed does. Every family's application is submitted
(the provider gains access to the certificate), the first `groups × seats` are accepted (the money
held under the provider's agreement, announced, the offer's names sent back). Beside the rush's own
operations, a few that share their code: one acceptance in ten asks more than the certificate has
(refused), one certificate in twenty is an accounting one funded by its first acceptance, and one
contract in five is terminated afterwards (what is held released).
"""
from __future__ import annotations

import json
import uuid
from datetime import date

from sqlalchemy import select

from bench.catalog_ops import Meter, world_main
from bench.databases import BenchDatabases
from bench.rush_seed import MUNICIPALITY, SCHEDULE, plan, seed_certificates
from pfdo_events import Envelope
from pfdo_events.billing import ContractTerminated
from pfdo_events.catalog import ApplicationAccepted, ApplicationSubmitted, Lesson, MonthlyShare
from pfdo_kit.bus.consumer import HandlerContext
from pfdo_kit.calendar import WorkingCalendar
from pfdo_kit.clock import Clock
from pfdo_kit.db import make_engine, make_sessions
from pfdo_kit.inbox import claim
from pfdo_kit.outbox import Outbox
from services.certificates import handlers
from services.certificates.models import Certificate, messaging

MONTHLY_KOP = 900_00  # eight months of it: the rush's module of 7 200 ₽
NOMINAL = [{"min_age": 5, "max_age": 17, "category": "general", "amount_kop": 60_000_00}]


async def run(children: int, groups: int, seats: int, providers: int) -> dict:
    world = plan(children, groups, seats, providers)
    year = Clock().today().year
    async with BenchDatabases(["certificates"]) as dbs:
        conn = await dbs.connect("certificates")
        await seed_certificates(conn, world, year)
        # Every twentieth certificate is an accounting one, funded (credited the period's nominal for
        # the months left) by its first certified enrollment.
        accounting = [f.certificate_id for f in world.families[17::20]]
        await conn.execute("UPDATE funding_periods SET nominals = $1::jsonb", json.dumps(NOMINAL))
        await conn.execute("DELETE FROM ledger_entries WHERE certificate_id = ANY($1::uuid[])", accounting)
        await conn.execute("UPDATE certificates SET kind = 'accounting', credited_kop = 0 "
                           "WHERE id = ANY($1::uuid[])", accounting)
        await conn.close()
        engine = make_engine(dbs.urls["certificates"])
        try:
            meter = Meter()
            meter.listen(engine)
            return await _drive(world, year, set(accounting), make_sessions(engine), meter)
        finally:
            await engine.dispose()


def _accepted(family, provider: uuid.UUID, year: int, monthly_kop: int) -> ApplicationAccepted:
    return ApplicationAccepted(
        application_id=uuid.uuid4(), child_id=family.child_id, certificate_id=family.certificate_id,
        owner=family.subject, municipality=MUNICIPALITY, provider_id=provider, provider_name="Центр творчества",
        program_id=uuid.uuid4(), program_title="Робототехника", group_id=uuid.uuid4(), program_register="certified",
        period_year=year, starts_on=date(year, 1, 1), ends_on=date(year, 12, 31),
        months=[MonthlyShare(month=f"{year}-{m:02d}", certificate_kop=monthly_kop, copay_kop=0, planned_lessons=24)
                for m in range(5, 13)],
        weekly_schedule=[Lesson(**lesson) for lesson in SCHEDULE], payer=MUNICIPALITY,
        group_name="Основной модуль, Педагог ДО", venue="Кабинет 1")


async def _drive(world, year: int, accounting: set[uuid.UUID], sessions, meter: Meter) -> dict:
    async with sessions() as session:  # warm the pool out of the count
        await session.execute(select(Certificate.id).limit(1))
    for i, family in enumerate(world.families):
        provider = world.groups[i % len(world.groups)][1]
        await _consume(sessions, meter, "application submitted", handlers.on_application_submitted,
                       ApplicationSubmitted(application_id=uuid.uuid4(), child_id=family.child_id,
                                            certificate_id=family.certificate_id, provider_id=provider,
                                            group_id=uuid.uuid4(), owner=family.subject,
                                            program_title="Робототехника", decide_by=date(year, 12, 31)))
    accepted = []
    for i, family in enumerate(world.families[:len(world.groups) * world.seats_per_group]):
        provider = world.groups[i % len(world.groups)][1]
        refused = i % 10 == 9
        e = _accepted(family, provider, year, 100_000_00 if refused else MONTHLY_KOP)
        name = ("accepted: refused, not enough money" if refused else
                "accepted: accounting certificate funded, held" if family.certificate_id in accounting else
                "accepted: held")
        await _consume(sessions, meter, name, handlers.on_application_accepted, e)
        if not refused:
            accepted.append(e)
    for e in accepted[::5]:
        await _consume(sessions, meter, "contract terminated: released", handlers.on_contract_terminated,
                       ContractTerminated(contract_id=e.application_id, certificate_id=e.certificate_id,
                                          terminated_on=date(year, 10, 1), by="parent", keep_kop=MONTHLY_KOP))
    return meter.report()


async def _consume(sessions, meter: Meter, name: str, handler, e) -> None:
    """As the consumer does: the inbox claim and the handler in one transaction."""
    envelope = Envelope.wrap(e, district="bench")
    outbox = Outbox(messaging.outbox, "bench")
    with meter.op(name):
        async with sessions() as session, session.begin():
            if await claim(session, messaging.inbox, "certificates.bench", envelope):
                await handler(HandlerContext(session, envelope, outbox, None, Clock(), WorkingCalendar()), e)


def main() -> None:
    world_main("python -m bench.certificates_ops", run)

if __name__ == "__main__":
    main()
