"""What a frontend reads of children and certificates (issue 15): one child by id, the children
and a certificate's ledger as pages."""
from __future__ import annotations

import uuid

from pfdo_kit.db import make_engine, make_sessions
from services.certificates.flows.ledger import post_entry
from tests.integration.certificates.test_children_and_certificates import SNILS, child

PAGE_KEYS = {"items", "total", "page", "page_size"}


async def test_one_child_is_read_by_its_parent_and_its_municipalitys_staff_only(certificates):
    c, t = certificates.client, certificates.tokens
    mother, operator = t.headers("parent", subject="mother-1"), t.headers("operator", municipality="chegem")
    kid = (await c.post("/api/v1/children", json=child(), headers=mother)).json()["id"]

    alone = await c.get(f"/api/v1/children/{kid}", headers=mother)
    assert alone.status_code == 200, alone.text
    assert alone.json() | {"id": None} == {
        "id": None, "full_name": "Хашхожева Амина Руслановна", "birth_date": child()["birth_date"],
        "snils": "***-***-445 95", "municipality": "chegem", "ovz": False, "certificate_id": None,
        "certificate_number": None, "certificate_status": None}

    cert = (await c.post(f"/api/v1/children/{kid}/certificate", headers=mother)).json()
    seen = (await c.get(f"/api/v1/children/{kid}", headers=mother)).json()
    assert (seen["certificate_id"], seen["certificate_number"], seen["certificate_status"]) == (
        cert["id"], cert["number"], "pending_verification")
    await c.post(f"/api/v1/certificates/{cert['id']}/activate", headers=operator)
    for staff in (operator, t.headers("admin")):
        as_staff = (await c.get(f"/api/v1/children/{kid}", headers=staff)).json()
        assert (as_staff["snils"], as_staff["certificate_status"]) == ("11223344595", "active")

    for other in (t.headers("parent", subject="stranger"), t.headers("operator", municipality="baksan"),
                  t.headers("provider", provider_id=str(uuid.uuid4()))):
        refused = await c.get(f"/api/v1/children/{kid}", headers=other)
        assert refused.status_code == 404 and "Хашхожева" not in refused.text
    assert (await c.get(f"/api/v1/children/{uuid.uuid4()}", headers=mother)).status_code == 404
    assert (await c.get(f"/api/v1/children/{kid}")).status_code == 401


async def test_the_children_are_a_page_with_their_certificates_status(certificates):
    c, t = certificates.client, certificates.tokens
    mother = t.headers("parent", subject="mother-1")
    kids = []
    for i, snils in enumerate((SNILS, "111-111-111 45", "123-456-789 64")):
        kids.append((await c.post("/api/v1/children", json=child(snils=snils, full_name=f"Ребёнок {i}"),
                                  headers=mother)).json()["id"])
    await c.post(f"/api/v1/children/{kids[1]}/certificate", headers=mother)

    first = (await c.get("/api/v1/children", params={"page_size": 2}, headers=mother)).json()
    second = (await c.get("/api/v1/children", params={"page": 2, "page_size": 2}, headers=mother)).json()
    assert set(first) == PAGE_KEYS and (first["total"], first["page"], first["page_size"]) == (3, 1, 2)
    assert [k["id"] for k in first["items"] + second["items"]] == kids  # in the order they were added
    assert [k["certificate_status"] for k in first["items"] + second["items"]] == [None, "pending_verification", None]
    too_big = await c.get("/api/v1/children", params={"page_size": 101}, headers=mother)
    assert (too_big.status_code, too_big.json()["field"]) == (422, "page_size")


async def test_the_ledger_is_a_page_oldest_first_and_pages_neither_repeat_nor_skip(certificates):
    c, t = certificates.client, certificates.tokens
    mother = t.headers("parent", subject="mother-1")
    kid = (await c.post("/api/v1/children", json=child(), headers=mother)).json()["id"]
    cert = (await c.post(f"/api/v1/children/{kid}/certificate", headers=mother)).json()["id"]
    engine = make_engine(certificates.database_url)
    async with make_sessions(engine)() as s, s.begin():  # one transaction: every entry has the same `at`
        for i in range(5):
            await post_entry(s, uuid.UUID(cert), "credit", 100_00 + i, f"test:credit:{i}")
    await engine.dispose()

    pages = [(await c.get(f"/api/v1/certificates/{cert}/ledger", params={"page": n, "page_size": 2},
                          headers=mother)).json() for n in (1, 2, 3)]
    assert [(p["total"], len(p["items"])) for p in pages] == [(5, 2), (5, 2), (5, 1)]
    entries = [e for p in pages for e in p["items"]]
    assert [e["cause"] for e in entries] == [f"test:credit:{i}" for i in range(5)]
    assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)
    assert entries[0] | {"id": 0, "at": None} == {"id": 0, "kind": "credit", "amount_kop": 100_00,
                                                   "cause": "test:credit:0", "contract_id": None, "at": None}
    whole = (await c.get(f"/api/v1/certificates/{cert}/ledger", params={"page_size": 100}, headers=mother)).json()
    assert whole["items"] == entries
