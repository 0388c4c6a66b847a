"""The month close's set-based SQL charges exactly what the pure rule says, case by case."""
from __future__ import annotations

import random
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from pfdo_kit.db import make_engine, make_sessions
from services.billing.domain.charges import MonthFacts, charge_kop, release_kop
from services.billing.models import ChargeRow, Contract, MonthClose
from services.billing.flows.month_close.charging import charge_month
from bench.money_seed import plan, seed_attendance, seed_contracts


@pytest.mark.parametrize("rule", ["full_month", "attended_share"])
async def test_every_contract_is_charged_what_the_rule_says(rule, fresh_database, migrated_template):
    url = await fresh_database(template=await migrated_template("services.billing"))
    engine = make_engine(url)
    sessions = make_sessions(engine)
    rng = random.Random(2026)
    contracts = plan(400, [uuid.uuid4()], ("2026-09", "2026-10"), per_group=400)
    facts: dict[uuid.UUID, MonthFacts] = {}
    try:
        async with sessions() as session, session.begin():
            await seed_contracts(session, contracts, signed_on=date(2026, 9, 1))
            marks = []
            for c in contracts:
                share, planned = rng.choice([0, 1, 333_33, 1_234_57, 5_000_00]), rng.randint(0, 9)
                attended, absent = rng.randint(0, 9), rng.randint(0, 3)
                still = rng.choice([0, 1, share // 3, share, 10_000_00])
                await session.execute(
                    Contract.__table__.update().where(Contract.id == c.contract_id).values(reserved_kop=still))
                await session.execute(
                    Contract.__table__.metadata.tables["contract_months"].update()
                    .where(Contract.__table__.metadata.tables["contract_months"].c.contract_id == c.contract_id)
                    .values(certificate_kop=share, planned_lessons=planned))
                marks += [(c.contract_id, c.group_id, date(2026, 9, d + 1), True) for d in range(attended)]
                marks += [(c.contract_id, c.group_id, date(2026, 9, 20 + d), False) for d in range(absent)]
                facts[c.contract_id] = MonthFacts(share, planned, attended, still)
            await seed_attendance(session, marks)
            session.add(MonthClose(month="2026-09", municipality="chegem", status="charging", rule=rule,
                                   requested_by="operator:test"))
        async with sessions() as session, session.begin():
            assert await charge_month(session, "2026-09", "chegem")
        async with sessions() as session:
            rows = (await session.execute(select(ChargeRow.contract_id, ChargeRow.amount_kop,
                                                 ChargeRow.release_kop))).all()
    finally:
        await engine.dispose()
    expected = {}
    for cid, f in facts.items():
        amount = charge_kop(rule, f)
        if (release := release_kop(f, amount)) or amount:
            expected[cid] = (amount, release)
    assert {r.contract_id: (r.amount_kop, r.release_kop) for r in rows} == expected
    assert sum(1 for amount, _ in expected.values() if amount) > 100  # every branch is reached, not just zero
