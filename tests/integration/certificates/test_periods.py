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
    assert (await c.put(f"/api/v1/periods/{YEAR}", json=PERIOD, headers=t.headers("parent"))).status_code == 403
    bad = await c.put(f"/api/v1/periods/{YEAR}", json={**PERIOD, "ends_on": f"{YEAR - 1}-12-31"}, headers=operator)
    assert bad.status_code == 422
    assert (await c.put(f"/api/v1/periods/{YEAR}", json=PERIOD, headers=operator)).json()["status"] == "draft"
    ids = await _funded_certificates(certificates)

    first = await finished_run(c, await c.post(f"/api/v1/periods/{YEAR}/open", headers=operator), operator)
    second = await finished_run(c, await c.post(f"/api/v1/periods/{YEAR}/open", headers=operator), operator)
    assert (first["status"], first["processed"], first["total"]) == ("done", 3, 3)
    assert first["result"] == {"credited_certificates": 3, "credited_kop": 60_000_00, "stopped_at_budget": False,
                               "expired_certificates": None, "expired_kop": None, "closed": None}
    assert (second["id"] != first["id"], second["result"]["credited_certificates"]) == (True, 0)
    balances = [(await c.get(f"/api/v1/certificates/{i}", headers=operator)).json()["balance"] for i in ids]
    assert [b["credited_kop"] for b in balances] == [15_000_00, 15_000_00, 30_000_00]
    assert (await c.put(f"/api/v1/periods/{YEAR}", json=PERIOD, headers=operator)).status_code == 409

    engine = make_engine(certificates.database_url)
    async with make_sessions(engine)() as s, s.begin():
        await post_entry(s, uuid.UUID(ids[0]), "reserve", 4_000_00, "application:x", uuid.uuid4())
    await engine.dispose()

    closed = await finished_run(c, await c.post(f"/api/v1/periods/{YEAR}/close", headers=operator), operator)
    assert (closed["kind"], closed["status"], closed["processed"]) == ("period_close", "done", 3)
    assert closed["result"]["expired_kop"] == 11_000_00 + 15_000_00 + 30_000_00
    assert closed["result"]["expired_certificates"] == 3
    again = await finished_run(c, await c.post(f"/api/v1/periods/{YEAR}/close", headers=operator), operator)
    assert again["result"]["expired_kop"] == 0
    assert (await c.post(f"/api/v1/periods/{YEAR}/open", headers=operator)).status_code == 409
    after = (await c.get(f"/api/v1/certificates/{ids[0]}", headers=operator)).json()["balance"]
    assert (after["available_kop"], after["reserved_kop"], after["expired_kop"]) == (0, 4_000_00, 11_000_00)
    ledger = (await c.get(f"/api/v1/certificates/{ids[0]}/ledger", headers=operator)).json()
    assert [(e["kind"], e["cause"]) for e in ledger] == [
        ("credit", f"period:{YEAR}:credit"), ("reserve", "application:x"), ("expire", f"period:{YEAR}:expire")]


async def test_open_credits_up_to_the_budget_cap_and_stops(certificates):
    c, t = certificates.client, certificates.tokens
    operator = t.headers("operator", municipality="chegem")
    await c.put(f"/api/v1/periods/{YEAR}", json={**PERIOD, "budget_cap_kop": 40_000_00}, headers=operator)
    ids = await _funded_certificates(certificates)  # wants 15 000 + 15 000 + 30 000 ₽
    stopped = await finished_run(c, await c.post(f"/api/v1/periods/{YEAR}/open", headers=operator), operator)
    assert (stopped["status"], stopped["result"]["stopped_at_budget"]) == ("done", True)
    credited = [(await c.get(f"/api/v1/certificates/{i}", headers=operator)).json()["balance"]["credited_kop"]
                for i in ids]
    assert 0 < sum(credited) <= 40_000_00 and credited.count(0) >= 1
    assert stopped["result"]["credited_kop"] == sum(credited)
    # a re-run adds nothing past the cap
    again = await finished_run(c, await c.post(f"/api/v1/periods/{YEAR}/open", headers=operator), operator)
    assert (again["result"]["stopped_at_budget"], again["result"]["credited_certificates"]) == (True, 0)
    assert [(await c.get(f"/api/v1/certificates/{i}", headers=operator)).json()["balance"]["credited_kop"]
            for i in ids] == credited
