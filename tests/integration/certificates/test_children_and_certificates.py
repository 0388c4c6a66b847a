"""Children, certificates and their scope, through the certificates service's API."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import update

from pfdo_kit.clock import Clock
from pfdo_kit.db import make_engine, make_sessions
from services.certificates.domain.certificate_number import make_number
from services.certificates.flows.ledger import post_entry
from services.certificates.models import Child
from tests.integration.certificates.runs import finished_run
from tests.support.rows import count_rows
from tests.support.waiting import eventually

TODAY = Clock().today()  # the service's "today" (its default zone), not the machine's
SNILS = "112-233-445 95"  # the Pension Fund's published example, checksum valid


def _birth(years_ago: int) -> str:
    return TODAY.replace(year=TODAY.year - years_ago, day=min(TODAY.day, 28)).isoformat()


def child(**kw) -> dict:
    return {"full_name": "Хашхожева Амина Руслановна", "birth_date": _birth(9), "snils": SNILS,
            "municipality": "chegem", **kw}


async def _rows(service, table: str) -> int:
    return await count_rows(service.database_url, table)


async def test_parent_adds_child_operator_activates_certificate(certificates):
    c, t = certificates.client, certificates.tokens
    parent = t.headers("parent", subject="mother-1")
    operator = t.headers("operator", municipality="chegem")

    added = await c.post("/api/v1/children", json=child(), headers=parent)
    assert added.status_code == 201, added.text
    assert added.json()["snils"] == "***-***-445 95"
    kid = added.json()["id"]

    cert = await c.post(f"/api/v1/children/{kid}/certificate", headers=parent)
    assert cert.status_code == 201, cert.text
    body = cert.json()
    assert (body["status"], body["kind"], body["balance"]["available_kop"]) == ("pending_verification", "accounting", 0)
    assert body["number"] == make_number(int(body["number"][2:9]), "07")
    again = await c.post(f"/api/v1/children/{kid}/certificate", headers=parent)
    assert again.status_code == 409

    assert (await c.post(f"/api/v1/certificates/{body['id']}/activate", headers=parent)).status_code == 403
    activated = await c.post(f"/api/v1/certificates/{body['id']}/activate", headers=operator)
    assert activated.json()["status"] == "active"
    assert (await c.post(f"/api/v1/certificates/{body['id']}/activate", headers=operator)).status_code == 409
    assert (await c.post(f"/api/v1/certificates/{body['id']}/reinstate", headers=operator)).status_code == 409
    suspended = await c.post(f"/api/v1/certificates/{body['id']}/suspend", headers=operator,
                             json={"reason": "документы на проверке"})
    assert suspended.json()["status"] == "suspended"
    assert (await c.post(f"/api/v1/certificates/{body['id']}/reinstate", headers=operator)).json()["status"] == "active"

    as_operator = (await c.get("/api/v1/children", headers=operator)).json()
    assert as_operator["items"][0]["snils"] == "11223344595" and as_operator["items"][0]["certificate_id"] == body["id"]
    events: list[dict] = []

    async def all_published() -> bool:
        events.extend(await certificates.events.drain(wait_s=0.2))
        return len(events) >= 7
    await eventually(all_published, what="issued, activated, suspended, reinstated and three balance events")
    news = [e for e in events if not e["routing_key"].endswith("balance_changed.v1")]
    assert [e["routing_key"] for e in news] == [
        "certificates.certificate.issued.v1", "certificates.certificate.activated.v1",
        "certificates.certificate.suspended.v1", "certificates.certificate.reinstated.v1"]
    assert all(e["payload"]["owner"] == "mother-1" and e["payload"]["number"] == body["number"] for e in news)
    assert news[2]["payload"]["reason"] == "документы на проверке"
    assert len(events) == 7  # balance changes: activate, suspend, reinstate
    ledger = await c.get(f"/api/v1/certificates/{body['id']}/ledger", headers=parent)
    assert (ledger.status_code, ledger.json()) == (200, {"items": [], "total": 0, "page": 1, "page_size": 20})


async def test_same_child_twice_is_409_and_reveals_nothing(certificates):
    c, t = certificates.client, certificates.tokens
    await c.post("/api/v1/children", json=child(), headers=t.headers("parent", subject="mother-1"))
    other_family = t.headers("parent", subject="father-2")
    by_snils = await c.post("/api/v1/children", json=child(full_name="Иванов Иван Иванович"), headers=other_family)
    by_name = await c.post("/api/v1/children", json=child(snils="111-111-111 45"), headers=other_family)
    for r in (by_snils, by_name):
        assert r.status_code == 409 and r.json()["type"] == "urn:pfdo:problem:child-exists"
        assert "Хашхожева" not in r.text and "mother-1" not in r.text
    assert (await c.get("/api/v1/children", headers=other_family)).json()["total"] == 0
    assert await _rows(certificates, "children") == 1


async def test_bad_input_is_refused_and_changes_nothing(certificates):
    c, t = certificates.client, certificates.tokens
    parent = t.headers("parent")
    bad_snils = await c.post("/api/v1/children", json=child(snils="112-233-445 96"), headers=parent)
    assert (bad_snils.status_code, bad_snils.json()["field"]) == (422, "snils")
    adult = await c.post("/api/v1/children", json=child(birth_date=_birth(18)), headers=parent)
    assert (adult.status_code, adult.json()["field"]) == (422, "birth_date")
    assert await _rows(certificates, "children") == 0

    number = make_number(12345, "07")
    typo = number[:-2] + str((int(number[-2]) + 1) % 10) + number[-1]
    operator = t.headers("operator", municipality="chegem")
    r = await c.get(f"/api/v1/certificates/by-number/{typo}", headers=operator)
    assert (r.status_code, r.json()["field"]) == (422, "number")
    assert (await c.get(f"/api/v1/certificates/by-number/{number}", headers=operator)).status_code == 404


async def test_an_unknown_municipality_is_refused_and_changes_nothing(certificates):
    """Issue 15: a child of "atlantis" was added (201). Municipalities are the installation's list."""
    c, t = certificates.client, certificates.tokens
    refused = await c.post("/api/v1/children", json=child(municipality="atlantis"), headers=t.headers("parent"))
    body = refused.json()
    assert (refused.status_code, body["field"]) == (422, "municipality"), body
    assert body["detail"] == "Такого муниципалитета нет в системе; список — GET /api/v1/municipalities"
    assert await _rows(certificates, "children") == 0
    assert await _rows(certificates, "outbox") == 0
    added = await c.post("/api/v1/children", json=child(municipality="baksan"), headers=t.headers("parent"))
    assert (added.status_code, added.json()["municipality"]) == (201, "baksan")


async def test_scope_parent_sees_own_only_provider_sees_a_card(certificates):
    c, t = certificates.client, certificates.tokens
    mother = t.headers("parent", subject="mother-1")
    kid = (await c.post("/api/v1/children", json=child(), headers=mother)).json()["id"]
    cert = (await c.post(f"/api/v1/children/{kid}/certificate", headers=mother)).json()
    stranger = t.headers("parent", subject="stranger")
    for path in (f"/api/v1/certificates/{cert['id']}", f"/api/v1/certificates/{cert['id']}/ledger"):
        assert (await c.get(path, headers=stranger)).status_code == 404
        assert (await c.get(path, headers=mother)).status_code == 200
    assert (await c.post(f"/api/v1/children/{kid}/certificate", headers=stranger)).status_code == 404
    foreign_operator = t.headers("operator", municipality="neftekumsk")
    assert (await c.post(f"/api/v1/certificates/{cert['id']}/activate", headers=foreign_operator)).status_code == 404
    assert (await c.get(f"/api/v1/certificates/by-number/{cert['number']}", headers=foreign_operator)).status_code == 404
    card = (await c.get(f"/api/v1/certificates/by-number/{cert['number']}", headers=t.headers("provider"))).json()
    assert set(card) == {"id", "number", "status", "kind", "municipality"}
    assert (await c.get(f"/api/v1/certificates/by-number/{cert['number']}", headers=mother)).status_code == 403


async def test_closing_expires_what_is_free_and_is_final(certificates):
    c, t = certificates.client, certificates.tokens
    mother, operator = t.headers("parent", subject="mother-1"), t.headers("operator", municipality="chegem")
    kids, certs = [], []
    for i, snils in enumerate(("112-233-445 95", "111-111-111 45")):
        kids.append((await c.post("/api/v1/children", json=child(snils=snils, full_name=f"Ребёнок {i}"),
                                  headers=mother)).json()["id"])
        certs.append((await c.post(f"/api/v1/children/{kids[-1]}/certificate", headers=mother)).json()["id"])
        await c.post(f"/api/v1/certificates/{certs[-1]}/activate", headers=operator)
    engine = make_engine(certificates.database_url)
    async with make_sessions(engine)() as s, s.begin():
        await post_entry(s, uuid.UUID(certs[0]), "credit", 5_000_00, "test:credit")
        await s.execute(update(Child).where(Child.id == uuid.UUID(kids[1])).values(birth_date=date.fromisoformat(_birth(18))))
    await engine.dispose()

    assert (await c.post(f"/api/v1/certificates/{certs[0]}/close", json={"reason": "moved"},
                         headers=mother)).status_code == 403
    closed = (await c.post(f"/api/v1/certificates/{certs[0]}/close", json={"reason": "moved"}, headers=operator)).json()
    assert closed["status"] == "closed" and closed["balance"]["available_kop"] == 0
    assert closed["balance"]["expired_kop"] == 5_000_00
    assert (await c.post(f"/api/v1/certificates/{certs[0]}/close", json={"reason": "moved"},
                         headers=operator)).status_code == 409
    adults = await finished_run(c, await c.post("/api/v1/certificates/close-adults", headers=operator), operator)
    assert (adults["kind"], adults["status"], adults["municipality"]) == ("close_adults", "done", "chegem")
    assert (adults["result"]["closed"], adults["processed"], adults["total"]) == (1, 1, 1)
    assert (await c.get(f"/api/v1/certificates/{certs[1]}", headers=operator)).json()["status"] == "closed"
    events: list[dict] = []

    async def both_published() -> bool:  # the tap answers at once: the relay may not have sent them yet
        events.extend(e for e in await certificates.events.drain() if e["routing_key"].endswith(".closed.v1"))
        return len(events) >= 2
    await eventually(both_published, what="both closings published")
    assert [(e["routing_key"], e["payload"]["reason"]) for e in events] == [
        ("certificates.certificate.closed.v1", "moved"), ("certificates.certificate.closed.v1", "turned_18")]


async def test_the_age_rule_is_applied_when_the_child_is_added(certificates):
    """One rule at the first step: a child the certificate would be refused to (3 or 19 on the
    district's 5–17) is not added, with the message naming the allowed ages; 5 and 17 are."""
    c, t = certificates.client, certificates.tokens
    parent = t.headers("parent", subject="mother-ages")
    rule = "Сертификат выдаётся детям от 5 до 17 лет"
    for years in (3, 19):
        refused = await c.post("/api/v1/children", json=child(birth_date=_birth(years)), headers=parent)
        body = refused.json()
        assert (refused.status_code, body["field"], body["detail"]) == (422, "birth_date", rule), body
        assert body["errors"] == [{"field": "birth_date", "message": rule}]
    assert await _rows(certificates, "children") == 0
    assert await _rows(certificates, "outbox") == 0

    snils = {5: SNILS, 17: "111-111-111 45"}
    for years in (5, 17):
        added = await c.post("/api/v1/children", headers=parent, json=child(
            birth_date=_birth(years), snils=snils[years], full_name=f"Ребёнок {years} лет"))
        assert added.status_code == 201, added.text
        cert = await c.post(f"/api/v1/children/{added.json()['id']}/certificate", headers=parent)
        assert cert.status_code == 201, cert.text  # the same rule at the certificate: it passes there too
