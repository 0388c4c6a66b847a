"""Month closes at volume and under interruption, with the real certificates service
confirming every debit: each contract is charged once, every kopeck reconciles."""
from __future__ import annotations

import asyncio
import math
import uuid
from datetime import date

from sqlalchemy import func, select, text

from bench.money_seed import plan, seed_attendance, seed_certificates, seed_contracts
from services.billing.flows.month_close.charging import charge_month
from services.billing.flows.month_close.posting import post_one_batch
from services.billing.jobs.month_close import drive_month, post_batches
from services.billing.models import ChargeRow, MonthClose
from tests.integration.billing.conftest import start_billing
from tests.support.waiting import eventually

MONTHS = ("2026-09", "2026-10", "2026-11")
SEPTEMBER_TUESDAYS = [date(2026, 9, d) for d in (1, 8, 15, 22, 29)]


async def _seed(certs, bill, n: int, providers: int = 20, payers: tuple[str, ...] = ("chegem",)):
    """`n` contracts of `providers` providers, the i-th paid for by payers[i mod len(payers)]."""
    contracts = plan(n, [uuid.uuid4() for _ in range(providers)], MONTHS)
    payer_of = [payers[i % len(payers)] for i in range(n)]
    async with certs.app.state.runtime.sessions() as session, session.begin():
        await seed_certificates(session, contracts, credit_kop=3_000_00)
        await session.execute(text("UPDATE certificates c SET municipality = t.m FROM unnest(CAST(:ids AS uuid[]), "
                                   "CAST(:ms AS text[])) AS t(id, m) WHERE c.id = t.id"),
                              {"ids": [c.certificate_id for c in contracts], "ms": payer_of})
    marks = [(c.contract_id, c.group_id, day, k < i % 6)
             for i, c in enumerate(contracts) for k, day in enumerate(SEPTEMBER_TUESDAYS)]
    async with bill.app.state.runtime.sessions() as session, session.begin():
        await seed_contracts(session, contracts, signed_on=date(2026, 8, 25), planned_lessons=5, payers=payer_of)
        await seed_attendance(session, marks)
    # attended_share: 500 ₽ × (i mod 6, at most 5) / 5 lessons
    expected = {c.contract_id: 100_00 * min(i % 6, 5) for i, c in enumerate(contracts)}
    return contracts, expected


async def _wait_closed(bill, month: str, timeout_s: float, municipality: str = "chegem") -> None:
    async def closed() -> bool:
        async with bill.app.state.runtime.sessions() as session:
            run = await session.get(MonthClose, (month, municipality))
            return run is not None and run.status == "closed"
    await eventually(closed, timeout_s=timeout_s, interval_s=0.5, what=f"{municipality}'s {month} closed")


async def _certificate_totals(certs) -> dict:
    async with certs.app.state.runtime.sessions() as session:
        row = (await session.execute(text("""
            SELECT count(*) FILTER (WHERE kind = 'debit') AS debits, coalesce(sum(amount_kop) FILTER (WHERE kind = 'debit'), 0) AS debited,
                   count(DISTINCT cause) FILTER (WHERE kind = 'debit') AS causes
              FROM ledger_entries"""))).one()
        wrong_held = await session.scalar(text("SELECT count(*) FROM reservations WHERE held_kop <> 1000 * 100"))
        negative = await session.scalar(text(
            "SELECT count(*) FROM certificates WHERE credited_kop - expired_kop - held_kop - debited_kop + reversed_kop < 0"))
    return {"debits": row.debits, "debited": row.debited, "causes": row.causes, "wrong_held": wrong_held,
            "negative": negative}


async def _billing_totals(bill, month: str) -> dict:
    async with bill.app.state.runtime.sessions() as session:
        charges = dict((await session.execute(select(ChargeRow.contract_id, ChargeRow.debited_kop)
                                              .where(ChargeRow.month == month))).all())
        batches = await session.scalar(select(func.count(func.distinct(ChargeRow.batch_id))))
        invoiced = await session.scalar(text("SELECT coalesce(sum(charges_kop), 0) FROM invoices WHERE month = :m"),
                                        {"m": month})
    return {"charges": charges, "batches": batches, "invoiced": invoiced}


async def test_a_month_of_10000_contracts_closes_with_every_debit_confirmed_once(money):
    certs, bill = money.certificates, money.billing
    contracts, expected = await _seed(certs, bill, 10_000)
    bill.app.state.clock.pin(date(2026, 10, 5))
    operator = bill.tokens.headers("operator", municipality="chegem")
    close = "/api/v1/municipalities/chegem/months/2026-09/close"
    first = await bill.client.post(close, headers=operator)
    second = await bill.client.post(close, headers=operator)  # asked twice
    assert first.status_code == second.status_code == 202
    await _wait_closed(bill, "2026-09", timeout_s=240)

    mine = await _billing_totals(bill, "2026-09")
    assert mine["charges"] == expected  # one row per contract (a release where nothing was delivered)
    assert mine["invoiced"] == sum(expected.values())
    assert mine["batches"] == math.ceil(10_000 / 1000)
    ledger = await _certificate_totals(certs)
    assert ledger["debited"] == sum(expected.values())
    assert ledger["debits"] == ledger["causes"] == sum(1 for v in expected.values() if v)
    assert ledger["wrong_held"] == 0  # October and November stay reserved, September is settled
    assert ledger["negative"] == 0
    report = (await bill.client.get("/api/v1/reports/reconciliation",
                                    params={"month": "2026-09", "municipality": "chegem"}, headers=operator)).json()
    assert report["balanced"] and report["differences"] == [] and report["invoiced_kop"] == sum(expected.values())
    invoices = (await bill.client.get("/api/v1/invoices", params={"month": "2026-09", "page_size": 100},
                                      headers=operator)).json()
    assert len(invoices["items"]) == invoices["total"] == 20


async def test_a_close_cut_off_midway_resumes_after_restart_and_charges_once(
        certificates_only, fresh_database, migrated_template, amqp_url, bus_names, token_mint):
    certs = certificates_only
    url = await fresh_database(template=await migrated_template("services.billing"))
    async with start_billing(url, amqp_url, bus_names, token_mint, delivered_rule="attended_share",
                             close_poll_interval_s=3600, charges_batch_size=100) as bill:
        contracts, expected = await _seed(certs, bill, 730)
        rt = bill.app.state.runtime
        async with rt.sessions() as session, session.begin():
            session.add(MonthClose(month="2026-09", municipality="chegem", status="charging", rule="attended_share",
                                   requested_by="operator:test"))
            assert await charge_month(session, "2026-09", "chegem")
        assert await post_batches(rt.sessions, rt.outbox, "2026-09", "chegem", 100, max_batches=2) == 200
        try:  # the process dies in the middle of a batch: it rolls back whole
            async with rt.sessions() as session, session.begin():
                await post_one_batch(session, rt.outbox, "2026-09", "chegem", 100)
                raise ConnectionError("killed")
        except ConnectionError:
            pass
    async with start_billing(url, amqp_url, bus_names, token_mint, charges_batch_size=100) as bill:
        await _wait_closed(bill, "2026-09", timeout_s=120)  # the driver picks the month up at start
        async with bill.app.state.runtime.sessions() as session, session.begin():
            assert not await charge_month(session, "2026-09", "chegem")  # charging again does nothing
        mine = await _billing_totals(bill, "2026-09")
    assert mine["charges"] == expected
    assert mine["batches"] == 8  # 730 charges in batches of 100, none in two
    ledger = await _certificate_totals(certs)
    assert ledger["debited"] == mine["invoiced"] == sum(expected.values())
    assert ledger["debits"] == ledger["causes"] == sum(1 for v in expected.values() if v)
    assert ledger["wrong_held"] == ledger["negative"] == 0


async def test_the_driver_wakes_on_the_request_and_on_the_last_confirmation_not_on_its_poll(
        certificates_only, fresh_database, migrated_template, amqp_url, bus_names, token_mint):
    """The driver looks for work only hourly here: a close done in seconds was started by the
    request's NOTIFY and finished on the one the month's last confirmation sent."""
    url = await fresh_database(template=await migrated_template("services.billing"))
    async with start_billing(url, amqp_url, bus_names, token_mint, delivered_rule="attended_share",
                             close_poll_interval_s=3600) as bill:
        _, expected = await _seed(certificates_only, bill, 50)
        bill.app.state.clock.pin(date(2026, 10, 5))
        close = await bill.client.post("/api/v1/municipalities/chegem/months/2026-09/close",
                                       headers=bill.tokens.headers("operator", municipality="chegem"))
        assert close.status_code == 202
        await _wait_closed(bill, "2026-09", timeout_s=30)
        assert (await _billing_totals(bill, "2026-09"))["invoiced"] == sum(expected.values())


async def test_two_payers_closing_at_once_with_drivers_racing_charge_each_contract_once(money):
    """chegem's and baksan's Septembers, asked at once and driven by four drivers each besides the
    service's own: every contract is charged once by its own payer's close, each payer's charges
    are posted, confirmed and invoiced apart, and certificates debited each once."""
    certs, bill = money.certificates, money.billing
    contracts, expected = await _seed(certs, bill, 600, providers=5, payers=("chegem", "baksan"))
    payer_of = {c.contract_id: ("chegem", "baksan")[i % 2] for i, c in enumerate(contracts)}
    bill.app.state.clock.pin(date(2026, 10, 5))
    t = bill.tokens
    asked = await asyncio.gather(*(bill.client.post(f"/api/v1/municipalities/{m}/months/2026-09/close",
                                                    headers=t.headers("operator", municipality=m))
                                   for m in ("chegem", "baksan", "chegem", "baksan")))
    assert [r.status_code for r in asked] == [202] * 4
    rt = bill.app.state.runtime
    await asyncio.gather(*(drive_month(rt.sessions, rt.outbox, rt.clock, "2026-09", m, 100)
                           for m in ("chegem", "baksan") * 4))
    for m in ("chegem", "baksan"):
        await _wait_closed(bill, "2026-09", timeout_s=120, municipality=m)

    async with rt.sessions() as session:
        charged = {(r.contract_id, r.payer): r.debited_kop for r in (await session.execute(
            select(ChargeRow.contract_id, ChargeRow.payer, ChargeRow.debited_kop)
            .where(ChargeRow.month == "2026-09"))).all()}
        invoices = (await session.execute(text(
            "SELECT payer, count(*), sum(charges_kop) FROM invoices WHERE month = '2026-09' GROUP BY payer "
            "ORDER BY payer"))).all()
        closes = (await session.execute(select(MonthClose.municipality, MonthClose.charges_count,
                                               MonthClose.confirmed_count).order_by(MonthClose.municipality))).all()
    assert charged == {(c, payer_of[c]): kop for c, kop in expected.items()}
    per_payer = {m: sum(kop for c, kop in expected.items() if payer_of[c] == m) for m in ("baksan", "chegem")}
    assert [tuple(r) for r in invoices] == [("baksan", 5, per_payer["baksan"]), ("chegem", 5, per_payer["chegem"])]
    assert [tuple(r) for r in closes] == [("baksan", 300, 300), ("chegem", 300, 300)]
    ledger = await _certificate_totals(certs)
    assert ledger["debited"] == sum(expected.values())
    assert ledger["debits"] == ledger["causes"] == sum(1 for v in expected.values() if v)
    assert ledger["negative"] == 0


async def test_a_stuck_close_shows_its_age_on_the_metrics(billing):
    """The alert on a stuck month close reads this gauge: a payer's unfinished close, its age in seconds."""
    async with billing.app.state.runtime.sessions() as session, session.begin():
        await session.execute(text(
            "INSERT INTO month_closes (month, municipality, status, rule, requested_by, requested_at) "
            "VALUES ('2020-01', 'chegem', 'posting', 'attended_share', 'test', now() - interval '3 hours')"))
    scrape = (await billing.client.get("/metrics")).text
    [line] = [x for x in scrape.splitlines()
              if x.startswith('pfdo_billing_month_close_unfinished_age_seconds{municipality="chegem"}')]
    assert 3 * 3600 <= float(line.split()[-1]) < 4 * 3600
    [other] = [x for x in scrape.splitlines()
               if x.startswith('pfdo_billing_month_close_unfinished_age_seconds{municipality="baksan"}')]
    assert float(other.split()[-1]) == 0
