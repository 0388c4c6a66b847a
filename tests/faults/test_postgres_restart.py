"""PostgreSQL restarted while billing closes a month of 20 000 contracts: every service
reconnects, the close resumes and charges each contract once, and the month reconciles."""
from __future__ import annotations

import asyncio
import time
import uuid
from datetime import date

import aiohttp
import pytest

from bench.money_seed import plan, seed_attendance, seed_certificates, seed_contracts
from bench.platform import mint_token
from pfdo_kit.db import make_engine, make_sessions
from tests.faults.infrastructure_control import restart_postgresql

pytestmark = [pytest.mark.integration, pytest.mark.timeout(420)]
MONTH, LESSONS = "2026-09", [date(2026, 9, d) for d in (1, 8, 15, 22, 29)]
CONTRACTS = 20_000
# The production retry tiers, not the test platform's 0.2 s and 1 s: a handler that fails while
# PostgreSQL is down gets three more tries within ~36 s, not ~1.2 s. With the short tiers a restart
# that took longer on a busy machine dead-lettered a batch's ChargesPosted, and the close waited for
# its confirmation until the deadline. The retry queues and DLQs (no consumers) expire a minute after
# the services declare them on a test platform; here they outlive the test.
PLATFORM_ENV = {"{P}BUS_RETRY_DELAYS_MS": "[1000, 5000, 30000]", "{P}BUS_QUEUE_EXPIRES_MS": "600000"}


async def _seed(urls: dict[str, str]) -> int:
    contracts = plan(CONTRACTS, [uuid.uuid4() for _ in range(40)], ("2026-09", "2026-10", "2026-11"))
    marks = [(c.contract_id, c.group_id, day, k < i % 6) for i, c in enumerate(contracts)
             for k, day in enumerate(LESSONS)]

    async def billing_rows(session):
        await seed_contracts(session, contracts, signed_on=date(2026, 8, 25), planned_lessons=5)
        await seed_attendance(session, marks)
    for name, work in (("certificates", lambda s: seed_certificates(s, contracts, credit_kop=3_000_00)),
                       ("billing", billing_rows)):
        engine = make_engine(urls[name])
        async with make_sessions(engine)() as session, session.begin():
            await work(session)
        await engine.dispose()
    return sum(100_00 * min(i % 6, 5) for i in range(CONTRACTS))


async def test_postgres_restarting_during_a_month_close_charges_each_contract_once(platform):
    expected_kop = await _seed(platform.platform.config.database_urls)
    await asyncio.to_thread(platform.restart, "billing", {"BILLING_CLOCK_DATE": "2026-10-05"})
    token = mint_token(platform.signing_key_pem, "operator", "operator-faults", "chegem")
    api, headers = platform.gateway_url + "/api/v1", {"Authorization": f"Bearer {token}"}

    async def state(http) -> dict:
        async with http.get(f"{api}/municipalities/chegem/months/{MONTH}", headers=headers) as r:
            return await r.json() if r.status == 200 else {"status": f"http {r.status}"}

    async with aiohttp.ClientSession() as http:
        async with http.post(f"{api}/municipalities/chegem/months/{MONTH}/close", headers=headers) as r:
            assert r.status == 202, await r.text()
        while (before := await state(http)).get("batches_posted", 0) < 2:
            await asyncio.sleep(0.05)
        await asyncio.to_thread(restart_postgresql)
        deadline = time.monotonic() + 240
        while (after := await state(http))["status"] != "closed":
            assert time.monotonic() < deadline, after
            await asyncio.sleep(0.5)
        async with http.get(f"{api}/reports/reconciliation", params={"month": MONTH, "municipality": "chegem"},
                            headers=headers) as r:
            report = await r.json()
    assert before["status"] != "closed", "the restart must land in the middle of the close"
    assert after["charges_count"] == CONTRACTS and after["charges_kop"] == expected_kop, after
    assert report["balanced"] and not report["differences"], report
    assert report["debited_kop"] == report["invoiced_kop"] == expected_kop, report
