"""Billing's rush operations one by one, in-process, without the platform: SQL statements and CPU
(this process's, time.process_time) per operation, through the real handlers, job and route.

    python -m bench.billing_ops [--contracts 600] [--pdf-rounds 3 --old-rev e2e21a6]

As in the rush: each accepted application's acceptance and its reservation's answer come through
the handlers with their inbox claims (most acceptances first, one in ten after the reservation,
one in ten reservations refused), the offer pre-rendering job works its queue, and every family
signs its offer (POST /contracts/{id}/sign) once it is ready. The PDF renderer is stubbed: what is
measured is the database work and the offer's markup. With --pdf-rounds, the offers' markups are then
rendered by the kit's renderer and by the renderer at --old-rev, alternately (bench/pdf_renderers.py).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import uuid
from datetime import date, timedelta

from sqlalchemy import select

from bench.catalog_ops import Meter
from bench.databases import BenchDatabases
from bench.ops_runtime import OpsRuntime
from bench.pdf_renderers import compare
from bench.platform import DEMO_REGION
from bench.rush_seed import MUNICIPALITY, SCHEDULE
from pfdo_events import Envelope
from pfdo_events.catalog import ApplicationAccepted, Lesson, MonthlyShare
from pfdo_events.certificates import FundsReservationFailed, FundsReserved
from pfdo_kit.auth import Principal
from pfdo_kit.bus.consumer import HandlerContext
from pfdo_kit.calendar import month_of
from pfdo_kit.db import make_engine
from pfdo_kit.inbox import claim
from services.billing import handlers
from services.billing.api import contracts as routes
from services.billing.api.schemas import SignIn
from services.billing.flows.documents import documents_for
from services.billing.jobs.offer_renderer import render_due
from services.billing.models import Contract, messaging
from services.billing.settings import BillingSettings

CONSUMER = "billing.enrollment"


def _months(starts_on: date, ends_on: date) -> list[MonthlyShare]:
    months, day = [], starts_on.replace(day=1)
    while day <= ends_on and day.year == starts_on.year:
        months.append(MonthlyShare(month=month_of(day), certificate_kop=80_000, copay_kop=0, planned_lessons=26))
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _accepted(n: int, today: date) -> ApplicationAccepted:
    """An acceptance as the catalog announces one in the rush (bench.rush_seed's groups)."""
    ends_on = today + timedelta(days=250)
    return ApplicationAccepted(
        application_id=uuid.uuid4(), child_id=uuid.uuid4(), certificate_id=uuid.uuid4(), owner=f"bench-parent-{n}",
        municipality=MUNICIPALITY, provider_id=uuid.uuid4(), provider_name=f"Центр творчества №{n % 50}",
        program_id=uuid.uuid4(), program_title="Робототехника", group_id=uuid.uuid4(), program_register="certified",
        period_year=today.year, starts_on=today, ends_on=ends_on, months=_months(today, ends_on),
        weekly_schedule=[Lesson(**lesson) for lesson in SCHEDULE], payer=MUNICIPALITY,
        group_name="Основной модуль (Педагог ДО)", venue="Кабинет 1")


def _reserved(e: ApplicationAccepted, n: int) -> FundsReserved:
    return FundsReserved(application_id=e.application_id, certificate_id=e.certificate_id,
                         amount_kop=sum(m.certificate_kop for m in e.months), certificate_kind="funded",
                         owner=e.owner, certificate_number=f"9{n:09d}", child_full_name=f"Ребёнок Бенчмарков {n}",
                         child_birth_date=date(2012 + n % 8, 1 + n % 12, 1 + n % 28))


def _refused(e: ApplicationAccepted) -> FundsReservationFailed:
    return FundsReservationFailed(application_id=e.application_id, certificate_id=e.certificate_id,
                                  reason="insufficient_funds", reason_ru="Недостаточно средств", owner=e.owner)


async def run(contracts: int, markups: list | None = None) -> dict:
    """`markups`: given a list, each offer's markup is added to it as rendered (text, title, moment)."""
    settings = BillingSettings.model_construct(municipalities=DEMO_REGION.entities, district="bench")
    docs = documents_for(settings)

    def stub(text: str, *, title: str, created_at) -> bytes:  # the bytes name the markup: a change reads differently
        if markups is not None:
            markups.append((text, title, created_at))
        return f"%PDF-bench {title} {hash(text)}".encode()

    docs.pdf.render = stub
    async with BenchDatabases(["billing"]) as dbs:
        engine = make_engine(dbs.urls["billing"])
        try:
            meter = Meter()
            meter.listen(engine)
            rt = OpsRuntime.on(engine, messaging.outbox, settings)
            return await _drive(contracts, rt, docs, meter)
        finally:
            await engine.dispose()


async def _drive(contracts: int, rt: OpsRuntime, docs, meter: Meter) -> dict:
    async with rt.sessions() as session:  # warm the pool out of the count
        await session.execute(select(Contract.id).limit(1))
    today = rt.clock.today()
    for n in range(contracts):
        e = _accepted(n, today)
        if n % 10 == 9:
            await _consume(rt, meter, "accepted (draft)", handlers.on_accepted, e)
            await _consume(rt, meter, "funds refused (void)", handlers.on_refused, _refused(e))
        elif n % 10 == 4:  # the reservation's answer overtook the acceptance
            await _consume(rt, meter, "funds reserved (before the draft)", handlers.on_reserved, _reserved(e, n))
            await _consume(rt, meter, "accepted (draft and offer)", handlers.on_accepted, e)
        else:
            await _consume(rt, meter, "accepted (draft)", handlers.on_accepted, e)
            await _consume(rt, meter, "funds reserved (offer)", handlers.on_reserved, _reserved(e, n))
    while True:
        with meter.op("offer job: a batch of 10") as as_name:
            claimed = await render_due(rt)
            if claimed < 10:
                as_name(f"offer job: a batch of {claimed}")
        if not claimed:
            break
    async with rt.sessions() as session:
        offered = (await session.execute(select(Contract.id, Contract.owner)
                                         .where(Contract.status == "offered"))).all()
    for contract_id, owner in offered:
        principal = Principal(subject=owner, role="parent", municipality=MUNICIPALITY)
        with meter.op("sign"):
            out = await routes.sign_contract(contract_id, rt, rt.clock, principal, docs, SignIn())
        assert out.status == "signed", out
        with meter.op("sign again (no change)"):
            await routes.sign_contract(contract_id, rt, rt.clock, principal, docs, SignIn())
    return meter.report()


async def _consume(rt: OpsRuntime, meter: Meter, name: str, handler, e) -> None:
    """As the consumer does: the inbox claim and the handler in one transaction."""
    envelope = Envelope.wrap(e, district="bench")
    with meter.op(name):
        async with rt.sessions() as session, session.begin():
            if await claim(session, messaging.inbox, CONSUMER, envelope):
                await handler(HandlerContext(session, envelope, rt.outbox, rt.settings, rt.clock, rt.calendar), e)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.billing_ops")
    parser.add_argument("--contracts", type=int, default=600)
    parser.add_argument("--pdf-rounds", type=int, default=0, help="render the offers' markups old vs new, N rounds")
    parser.add_argument("--old-rev", default="e2e21a6", help="the commit whose renderer is the old one")
    args = parser.parse_args()
    markups: list = []
    result = asyncio.run(run(args.contracts, markups if args.pdf_rounds else None))
    if args.pdf_rounds:
        result["pdf"] = compare(markups, args.pdf_rounds, args.old_rev)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
