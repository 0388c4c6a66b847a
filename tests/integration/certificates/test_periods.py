"""Funding periods: open credits each funded certificate once, close expires what is not reserved."""
from __future__ import annotations

import uuid

from sqlalchemy import update

from pfdo_kit.clock import Clock
from pfdo_kit.db import make_engine, make_sessions
from services.certificates.flows.ledger import post_entry
from services.certificates.models import Certificate
from tests.integration.certificates.runs import finished_run

YEAR = Clock().today().year  # the service's year (its default zone), not the machine's
PERIOD = {
    "starts_on": f"{YEAR}-01-01", "ends_on": f"{YEAR}-12-31", "funded_quota": 100, "budget_cap_kop": 10**10,
    "nominals": [{"min_age": 5, "max_age": 13, "amount_kop": 15_000_00},
                 {"min_age": 14, "max_age": 17, "amount_kop": 20_000_00},
                 {"min_age": 5, "max_age": 17, "category": "ovz", "amount_kop": 30_000_00}],
    "free_limits": {"significant": 1, "preprofessional": 1, "other": 2},
}
CHEGEM_PERIOD = f"/api/v1/municipalities/chegem/periods/{YEAR}"
SNILS = ["112-233-445 95", "111-111-111 45", "123-456-789 64"]


async def _funded_certificates(service) -> list[str]:
    c, t = service.client, service.tokens
    operator = t.headers("operator", municipality="chegem")
    ids = []
    for i, (snils, ovz) in enumerate(zip(SNILS, (False, False, True))):
        parent = t.headers("parent", subject=f"parent-{i}")
        kid = (await c.post("/api/v1/children", headers=parent, json={
            "full_name": f"Ребёнок Номер {i}", "birth_date": f"{YEAR - 9}-02-01", "snils": snils,
            "municipality": "chegem", "ovz": ovz})).json()["id"]
        cert = (await c.post(f"/api/v1/children/{kid}/certificate", headers=parent)).json()["id"]
        await c.post(f"/api/v1/certificates/{cert}/activate", headers=operator)
        ids.append(cert)
    engine = make_engine(service.database_url)
    async with engine.begin() as conn:  # the funded switch belongs to the enrollment saga
        await conn.execute(update(Certificate).where(Certificate.id.in_([uuid.UUID(i) for i in ids]))
                           .values(kind="funded"))
    await engine.dispose()
    return ids


async def test_open_twice_credits_once_and_close_expires_what_is_not_reserved(certificates):
    c, t = certificates.client, certificates.tokens
    operator = t.headers("operator", municipality="chegem")
    assert (await c.put(f"{CHEGEM_PERIOD}", json=PERIOD, headers=t.headers("parent"))).status_code == 403
    bad = await c.put(f"{CHEGEM_PERIOD}", json={**PERIOD, "ends_on": f"{YEAR - 1}-12-31"}, headers=operator)
    assert bad.status_code == 422
    assert (await c.put(f"{CHEGEM_PERIOD}", json=PERIOD, headers=operator)).json()["status"] == "draft"
    ids = await _funded_certificates(certificates)

    first = await finished_run(c, await c.post(f"{CHEGEM_PERIOD}/open", headers=operator), operator)
    second = await finished_run(c, await c.post(f"{CHEGEM_PERIOD}/open", headers=operator), operator)
    assert (first["status"], first["processed"], first["total"]) == ("done", 3, 3)
    assert first["result"] == {"credited_certificates": 3, "credited_kop": 60_000_00, "stopped_at_budget": False,
                               "expired_certificates": None, "expired_kop": None, "closed": None}
    assert (second["id"] != first["id"], second["result"]["credited_certificates"]) == (True, 0)
    balances = [(await c.get(f"/api/v1/certificates/{i}", headers=operator)).json()["balance"] for i in ids]
    assert [b["credited_kop"] for b in balances] == [15_000_00, 15_000_00, 30_000_00]
    assert (await c.put(f"{CHEGEM_PERIOD}", json=PERIOD, headers=operator)).status_code == 409

    engine = make_engine(certificates.database_url)
    async with make_sessions(engine)() as s, s.begin():
        await post_entry(s, uuid.UUID(ids[0]), "reserve", 4_000_00, "application:x", uuid.uuid4())
    await engine.dispose()

    closed = await finished_run(c, await c.post(f"{CHEGEM_PERIOD}/close", headers=operator), operator)
    assert (closed["kind"], closed["status"], closed["processed"]) == ("period_close", "done", 3)
    assert closed["result"]["expired_kop"] == 11_000_00 + 15_000_00 + 30_000_00
    assert closed["result"]["expired_certificates"] == 3
    again = await finished_run(c, await c.post(f"{CHEGEM_PERIOD}/close", headers=operator), operator)
    assert again["result"]["expired_kop"] == 0
    assert (await c.post(f"{CHEGEM_PERIOD}/open", headers=operator)).status_code == 409
    after = (await c.get(f"/api/v1/certificates/{ids[0]}", headers=operator)).json()["balance"]
    assert (after["available_kop"], after["reserved_kop"], after["expired_kop"]) == (0, 4_000_00, 11_000_00)
    ledger = (await c.get(f"/api/v1/certificates/{ids[0]}/ledger", headers=operator)).json()["items"]
    assert [(e["kind"], e["cause"]) for e in ledger] == [
        ("credit", f"period:{YEAR}:credit"), ("reserve", "application:x"), ("expire", f"period:{YEAR}:expire")]


async def test_open_credits_up_to_the_budget_cap_and_stops(certificates):
    c, t = certificates.client, certificates.tokens
    operator = t.headers("operator", municipality="chegem")
    await c.put(f"{CHEGEM_PERIOD}", json={**PERIOD, "budget_cap_kop": 40_000_00}, headers=operator)
    ids = await _funded_certificates(certificates)  # wants 15 000 + 15 000 + 30 000 ₽
    stopped = await finished_run(c, await c.post(f"{CHEGEM_PERIOD}/open", headers=operator), operator)
    assert (stopped["status"], stopped["result"]["stopped_at_budget"]) == ("done", True)
    credited = [(await c.get(f"/api/v1/certificates/{i}", headers=operator)).json()["balance"]["credited_kop"]
                for i in ids]
    assert 0 < sum(credited) <= 40_000_00 and credited.count(0) >= 1
    assert stopped["result"]["credited_kop"] == sum(credited)
    # a re-run adds nothing past the cap
    again = await finished_run(c, await c.post(f"{CHEGEM_PERIOD}/open", headers=operator), operator)
    assert (again["result"]["stopped_at_budget"], again["result"]["credited_certificates"]) == (True, 0)
    assert [(await c.get(f"/api/v1/certificates/{i}", headers=operator)).json()["balance"]["credited_kop"]
            for i in ids] == credited


async def test_an_active_accounting_certificate_says_what_its_first_certified_enrollment_will_credit(certificates):
    """It holds 0 ₽ until its first enrollment in a certified program funds it: its answer says
    what that would credit today (the nominal, pro-rated like a late credit) and why, or why nothing."""
    from datetime import date

    c, t = certificates.client, certificates.tokens
    operator, parent = t.headers("operator", municipality="chegem"), t.headers("parent", subject="parent-0")
    certificates.app.state.clock.pin(date(YEAR, 1, 15))
    assert (await c.put(f"{CHEGEM_PERIOD}", json={**PERIOD, "funded_quota": 1}, headers=operator)).status_code \
        == 200
    kids = []
    for i, snils in enumerate(SNILS[:2]):
        who = t.headers("parent", subject=f"parent-{i}")
        kid = (await c.post("/api/v1/children", headers=who, json={
            "full_name": f"Ребёнок Номер {i}", "birth_date": f"{YEAR - 9}-02-01", "snils": snils,
            "municipality": "chegem"})).json()["id"]
        kids.append((await c.post(f"/api/v1/children/{kid}/certificate", headers=who)).json()["id"])
    mine, other = kids

    async def funding(who=parent) -> tuple:
        body = (await c.get(f"/api/v1/certificates/{mine}", headers=who)).json()
        note = body["funding_note"].replace("\u00a0", " ") if body["funding_note"] else None
        return body["balance"]["available_kop"], body["expected_credit_kop"], body["funding_reason"], note

    assert await funding() == (0, None, None, None)  # pending verification: nothing to promise yet
    activated = (await c.post(f"/api/v1/certificates/{mine}/activate", headers=operator)).json()
    assert (activated["expected_credit_kop"], activated["funding_reason"]) == (0, "no_open_period")
    assert await funding() == (0, 0, "no_open_period", f"Период финансирования на {YEAR} год не открыт: сертификат "
                               "получит средства при первой записи на сертифицированную программу после его открытия")

    await finished_run(c, await c.post(f"{CHEGEM_PERIOD}/open", headers=operator), operator)
    assert await funding() == (0, 15_000_00, "on_first_enrollment", "Сертификат получит 15 000,00 ₽ при первой "
                               "записи на сертифицированную программу, пока не исчерпан лимит сертификатов "
                               "финансирования")
    assert (await funding(operator))[1:3] == (15_000_00, "on_first_enrollment")
    certificates.app.state.clock.pin(date(YEAR, 9, 15))  # a late start: 4 months of 12 are left
    assert await funding() == (0, 5_000_00, "on_first_enrollment", "Сертификат получит 5 000,00 ₽ (номинал "
                               "15 000,00 ₽ за 4 из 12 мес. периода, при записи в этом месяце) при первой записи на "
                               "сертифицированную программу, пока не исчерпан лимит сертификатов финансирования")

    # The quota's one certificate of financing goes to another child: this one will get nothing, and says so.
    await c.post(f"/api/v1/certificates/{other}/activate", headers=operator)
    engine = make_engine(certificates.database_url)
    async with engine.begin() as conn:
        await conn.execute(update(Certificate).where(Certificate.id == uuid.UUID(other)).values(kind="funded"))
    await engine.dispose()
    available, expected, reason, note = await funding()
    assert (available, expected, reason) == (0, 0, "quota_exhausted")
    assert note.startswith(f"Лимит сертификатов финансирования на {YEAR} год исчерпан")
    funded = (await c.get(f"/api/v1/certificates/{other}", headers=operator)).json()
    assert (funded["expected_credit_kop"], funded["funding_reason"], funded["funding_note"]) == (None, None, None)
