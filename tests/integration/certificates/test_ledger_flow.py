"""flows/ledger.py in PostgreSQL: balances never go negative under concurrency, causes post once."""
from __future__ import annotations

import asyncio
import random
import uuid

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from pfdo_kit.db import make_engine, make_sessions
from services.certificates.domain.ledger import LedgerRefused
from services.certificates.flows.ledger import post_entry
from services.certificates.models import Certificate, LedgerEntry, Reservation


@pytest.fixture
async def ledger_db(fresh_database, migrated_template):
    engine = make_engine(await fresh_database(template=await migrated_template("services.certificates")),
                         pool_size=40, max_overflow=0)
    yield make_sessions(engine)
    await engine.dispose()


async def _certificate(sessions, credit_kop: int) -> uuid.UUID:
    cid = uuid.uuid4()
    async with sessions() as s, s.begin():
        s.add(Certificate(id=cid, number=str(uuid.uuid4().int)[:10], municipality="chegem", status="active",
                          kind="funded"))
        await s.flush()
        await post_entry(s, cid, "credit", credit_kop, cause="period:2026")
    return cid


async def _sums(sessions, cid) -> dict[str, int]:
    async with sessions() as s:
        rows = await s.execute(select(LedgerEntry.kind, func.sum(LedgerEntry.amount_kop))
                               .where(LedgerEntry.certificate_id == cid).group_by(LedgerEntry.kind))
        return {k: int(v) for k, v in rows}


async def test_200_concurrent_reservations_never_exceed_the_balance(ledger_db):
    credit = 100_000_00  # 100 000 ₽ in kopecks
    cid = await _certificate(ledger_db, credit)
    rng = random.Random(7)
    amounts = [rng.randint(1_000_00, 15_000_00) for _ in range(200)]  # 1–15 thousand ₽ each: ~16× the balance

    async def reserve(amount: int) -> int:
        async with ledger_db() as s, s.begin():
            try:
                await post_entry(s, cid, "reserve", amount, cause=f"application:{uuid.uuid4()}", contract_id=uuid.uuid4())
                return amount
            except LedgerRefused:
                return 0

    granted = await asyncio.gather(*(reserve(a) for a in amounts))
    async with ledger_db() as s:
        cert = await s.get(Certificate, cid)
        held_by_contracts = (await s.execute(select(func.sum(Reservation.held_kop)))).scalar_one()
    sums = await _sums(ledger_db, cid)

    assert 0 < sum(granted) <= credit
    assert sum(1 for g in granted if g) < len(amounts), "the race must have refused some"
    assert cert.held_kop == sum(granted) == sums["reserve"] == held_by_contracts
    assert cert.credited_kop - cert.held_kop >= 0
    assert credit - sum(granted) < min(a for a, g in zip(amounts, granted) if not g), \
        "a refused request was larger than what was left"


async def test_same_cause_posts_once_and_debits_stay_within_the_contract(ledger_db):
    cid = await _certificate(ledger_db, 10_000_00)
    contract = uuid.uuid4()
    async with ledger_db() as s, s.begin():
        assert not (await post_entry(s, cid, "reserve", 6_000_00, "application:a", contract)).duplicate
        assert (await post_entry(s, cid, "reserve", 6_000_00, "application:a", contract)).duplicate
        await post_entry(s, cid, "debit", 2_500_00, "charge:2026-09", contract)
        with pytest.raises(LedgerRefused):
            await post_entry(s, cid, "debit", 3_500_01, "charge:2026-10", contract)  # more than is held for it
        await post_entry(s, cid, "release", 3_500_00, "termination:x", contract)
        with pytest.raises(LedgerRefused):
            await post_entry(s, cid, "reversal", 2_500_01, "dispute:1")
        await post_entry(s, cid, "reversal", 500_00, "dispute:1")
    async with ledger_db() as s:
        cert = await s.get(Certificate, cid)
        reservation = await s.get(Reservation, contract)
    assert (cert.held_kop, cert.debited_kop, cert.reversed_kop) == (0, 2_500_00, 500_00)
    assert (reservation.held_kop, reservation.debited_kop) == (0, 2_500_00)
    assert await _sums(ledger_db, cid) == {"credit": 10_000_00, "reserve": 6_000_00, "debit": 2_500_00,
                                           "release": 3_500_00, "reversal": 500_00}


async def test_the_database_itself_refuses_a_negative_balance(ledger_db):
    cid = await _certificate(ledger_db, 100)
    with pytest.raises(IntegrityError, match="certificates_available_not_negative"):
        async with ledger_db() as s, s.begin():
            await s.execute(update(Certificate).where(Certificate.id == cid).values(held_kop=101))
