"""The catalog's rush operations one by one, in-process, without the platform: SQL statements and
CPU (this process's, time.process_time) per operation, through the real routes, flows and handlers.

    python -m bench.catalog_ops [--children 600 --groups 30 --seats 15 --providers 10]

A catalog database is seeded as bench.rush_seed does; then every family submits (the route:
idempotency key, payment check, the answer read back), each provider reads its submitted list,
every application is accepted (seats run out: the rest go on the waitlist), and the saga's events
come back through the handlers with their inbox claims: funds reserved with the balance and the
agreement's usage it carries (one in ten refused, its seat offered on), contracts signed.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import event, select
from starlette.requests import Request

from bench.databases import BenchDatabases
from bench.ops_runtime import OpsRuntime
from bench.rush_seed import CREDIT_KOP, MUNICIPALITY, plan, seed_catalog
from pfdo_events import Envelope
from pfdo_events.billing import ContractSigned
from pfdo_events.certificates import AgreementUsageChanged, BalanceChanged, FundsReservationFailed, FundsReserved
from pfdo_kit.auth import Principal
from pfdo_kit.bus.consumer import HandlerContext
from pfdo_kit.db import make_engine
from pfdo_kit.inbox import claim
from pfdo_kit.pagination import PageParams
from services.catalog import handlers
from services.catalog.api import applications as routes
from services.catalog.api.schemas import ApplicationIn
from services.catalog.domain.deadlines import decide_by
from services.catalog.models import Application, messaging
from services.catalog.settings import CatalogSettings


@dataclass
class Meter:
    """Statements and CPU per named operation."""

    statements: int = 0
    totals: dict[str, list[float]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0.0]))

    def listen(self, engine) -> None:
        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def count(*_args) -> None:
            self.statements += 1

    @contextmanager
    def op(self, name: str):
        """Measure one operation; `as_name(...)` may rename it once its outcome is known."""
        statements, cpu, named = self.statements, time.process_time(), [name]
        yield named.append
        total = self.totals[named[-1]]
        total[0] += 1
        total[1] += self.statements - statements
        total[2] += time.process_time() - cpu

    def report(self) -> dict:
        return {name: {"count": n, "statements": round(s / n, 2), "cpu_us": round(c / n * 1e6)}
                for name, (n, s, c) in self.totals.items()}


def _request(method: str, path: str) -> Request:
    return Request({"type": "http", "method": method, "path": path, "query_string": b"", "scheme": "http",
                    "server": ("catalog", 8003), "root_path": "",
                    "headers": [(b"idempotency-key", str(uuid.uuid4()).encode())]})


async def run(children: int, groups: int, seats: int, providers: int) -> dict:
    world = plan(children, groups, seats, providers)
    settings = CatalogSettings.model_construct()  # only the district rules (pricing, offer hours) are read
    async with BenchDatabases(["catalog"]) as dbs:
        conn = await dbs.connect("catalog")
        await seed_catalog(conn, world)
        await conn.close()
        engine = make_engine(dbs.urls["catalog"])
        try:
            meter = Meter()
            meter.listen(engine)
            rt = OpsRuntime.on(engine, messaging.outbox)
            return await _drive(world, rt, settings, meter)
        finally:
            await engine.dispose()


async def _drive(world, rt: OpsRuntime, settings: CatalogSettings, meter: Meter) -> dict:
    parents = {f.subject: Principal(subject=f.subject, role="parent", municipality=MUNICIPALITY)
               for f in world.families}
    staff = {p: Principal(subject=f"staff-{p}", role="provider", municipality=MUNICIPALITY, provider_id=p)
             for p in world.providers}
    async with rt.sessions() as session:  # warm the pool out of the count
        await session.execute(select(Application.id).limit(1))
    decide_by(rt.clock.today(), rt.calendar)  # and the production calendar's first load
    submitted = []
    for i, family in enumerate(world.families):
        group_id = world.groups[i % len(world.groups)][0]
        body = ApplicationIn(group_id=group_id, certificate_id=family.certificate_id)
        with meter.op("submit"):
            out = await routes.submit_application(body, _request("POST", "/api/v1/applications"),
                                                  parents[family.subject], rt, settings)
        submitted.append((out.id, out.provider_id, family))
    for provider in world.providers:
        with meter.op("list submitted (page of 100)"):
            await routes.list_applications(staff[provider], rt, PageParams(1, 100), "submitted", "newest")
    accepted = []
    for app_id, provider, family in submitted:
        with meter.op("accept") as as_name:
            out = await routes.accept_application(app_id, _request("POST", f"/api/v1/applications/{app_id}/accept"),
                                                  staff[provider], rt, settings)
            as_name(f"accept ({'seat' if out.status == 'accepted' else 'waitlist'})")
        if out.status == "accepted":
            accepted.append((app_id, provider, family))
    year, now = rt.clock.today().year, datetime.now(UTC)
    for n, (app_id, provider, family) in enumerate(accepted):
        if n % 10 == 9:
            await _consume(rt, settings, meter, "funds refused", handlers.on_funds_refused, FundsReservationFailed(
                application_id=app_id, certificate_id=family.certificate_id, reason="insufficient_funds",
                reason_ru="Недостаточно средств", owner=family.subject))
            continue
        await _consume(rt, settings, meter, "funds reserved (with the balance and usage copies)",
                       handlers.on_funds_reserved, FundsReserved(
                           application_id=app_id, certificate_id=family.certificate_id, amount_kop=7_200_00,
                           certificate_kind="funded", owner=family.subject,
                           balance=BalanceChanged(certificate_id=family.certificate_id, status="active", kind="funded",
                                                  available_kop=CREDIT_KOP - 7_200_00, period_year=year, free_left={}),
                           agreement_usage=AgreementUsageChanged(provider_id=provider, municipality=MUNICIPALITY,
                                                                 year=year, limit_kop=None,
                                                                 used_kop=7_200_00 * (n + 1))))
        await _consume(rt, settings, meter, "contract signed", handlers.on_contract_signed, ContractSigned(
            contract_id=app_id, certificate_id=family.certificate_id, signed_on=now.date(), owner=family.subject))
    return meter.report()


async def _consume(rt: OpsRuntime, settings: CatalogSettings, meter: Meter, name: str, handler, e) -> None:
    """As the consumer does: the inbox claim and the handler in one transaction."""
    envelope = Envelope.wrap(e, district="bench")
    with meter.op(name):
        async with rt.sessions() as session, session.begin():
            if await claim(session, messaging.inbox, "catalog.bench", envelope):
                await handler(HandlerContext(session, envelope, rt.outbox, settings, rt.clock, rt.calendar), e)


def world_main(prog: str, run) -> None:
    """A rush world's operations measured in-process: `run(children, groups, seats, providers)`."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--children", type=int, default=600)
    parser.add_argument("--groups", type=int, default=30)
    parser.add_argument("--seats", type=int, default=15)
    parser.add_argument("--providers", type=int, default=10)
    args = parser.parse_args()
    result = asyncio.run(run(args.children, args.groups, args.seats, args.providers))
    print(json.dumps(result, ensure_ascii=False, indent=2))


def main() -> None:
    world_main("python -m bench.catalog_ops", run)

if __name__ == "__main__":
    main()
