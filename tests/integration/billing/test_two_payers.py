"""A region's month with two payers: one provider teaches, in one group, a child of Чегемский
район and a child of Баксанский район. Each municipality closes its own month: two invoices,
each payer's reconciliation exact to the kopeck against the certificates' ledger, the region's
too; the advance is split between the payers; an operator of one municipality is refused
everything of the other and changes nothing."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import text

from bench.money_seed import plan, seed_certificates, seed_contracts
from tests.support.billing_events import agreement, bus_names_of, provider_event
from tests.support.service_app import publish
from tests.support.waiting import eventually

SEPTEMBER = "2026-09"


async def _seed(certs, bill, provider: uuid.UUID):
    """Anna (certificate of chegem) and Boris (certificate of baksan), signed in one group of the
    provider, 500 ₽ a month each for September and October, 5 lessons a month."""
    anna, boris = plan(2, [provider], (SEPTEMBER, "2026-10"))
    async with certs.app.state.runtime.sessions() as session, session.begin():
        await seed_certificates(session, [anna, boris], credit_kop=3_000_00)
        await session.execute(text("UPDATE certificates SET municipality = 'baksan' WHERE id = :id"),
                              {"id": boris.certificate_id})
    async with bill.app.state.runtime.sessions() as session, session.begin():
        await seed_contracts(session, [anna, boris], signed_on=date(2026, 8, 25), planned_lessons=5,
                             payers=["chegem", "baksan"])
    await publish(bill.settings.amqp_url, bus_names_of(bill), provider_event("approved", provider),
                  agreement(provider, "chegem", 2026), agreement(provider, "baksan", 2026))
    return anna, boris


async def _closed(bill, municipality: str, headers: dict) -> dict:
    state: dict = {}

    async def closed() -> bool:
        r = await bill.client.get(f"/api/v1/municipalities/{municipality}/months/{SEPTEMBER}", headers=headers)
        state.update(r.json())
        return r.status_code == 200 and state["status"] == "closed"
    await eventually(closed, timeout_s=60, what=f"{municipality}'s {SEPTEMBER} closed")
    return state


async def test_two_payers_one_provider_two_invoices_each_reconciled_and_the_region_too(money):
    certs, bill = money.certificates, money.billing
    t = bill.tokens
    provider = uuid.uuid4()
    anna, boris = await _seed(certs, bill, provider)
    staff = t.headers("provider", provider_id=provider)
    chegem, baksan = t.headers("operator", municipality="chegem"), t.headers("operator", municipality="baksan")
    region, admin = t.headers("regional_operator"), t.headers("admin")

    async def agreements_known() -> bool:
        async with bill.app.state.runtime.sessions() as session:
            return await session.scalar(text("SELECT count(*) FROM agreements_copy")) == 2
    await eventually(agreements_known, what="both agreements in billing's copy")

    # The advance: 80 % of each payer's planned shares (400 ₽ + 400 ₽); 500.01 ₽ asked, split in proportion.
    bill.app.state.clock.pin(date(2026, 9, 2))
    advance = await bill.client.post("/api/v1/advances", json={"month": SEPTEMBER, "amount_kop": 500_01},
                                     headers=staff)
    assert advance.status_code == 201, advance.text
    assert (advance.json()["limit_kop"], advance.json()["parts"]) == (800_00, [
        {"payer": "baksan", "amount_kop": 250_01, "limit_kop": 400_00},
        {"payer": "chegem", "amount_kop": 250_00, "limit_kop": 400_00}])

    # One group, two payers: a lesson is marked for both children at once.
    bill.app.state.clock.pin(date(2026, 9, 30))
    mark = f"/api/v1/groups/{anna.group_id}/attendance"
    for day, present, absent in (("2026-09-01", [anna, boris], []), ("2026-09-08", [anna, boris], []),
                                 ("2026-09-15", [anna], [boris]), ("2026-09-22", [anna], [boris])):
        r = await bill.client.post(mark, headers=staff, json={
            "lesson_date": day, "present": [str(c.child_id) for c in present],
            "absent": [str(c.child_id) for c in absent]})
        assert r.status_code == 200, r.text

    bill.app.state.clock.pin(date(2026, 10, 5))
    # Neither the other municipality's operator nor the region's closes chegem's month; nothing is recorded.
    for who in (baksan, region):
        assert (await bill.client.post(f"/api/v1/municipalities/chegem/months/{SEPTEMBER}/close",
                                       headers=who)).status_code == 403
    assert (await bill.client.get(f"/api/v1/municipalities/chegem/months/{SEPTEMBER}",
                                  headers=chegem)).status_code == 404
    unknown = await bill.client.post(f"/api/v1/municipalities/atlantis/months/{SEPTEMBER}/close", headers=admin)
    assert unknown.status_code == 422 and unknown.json()["field"] == "municipality"

    assert (await bill.client.post(f"/api/v1/municipalities/chegem/months/{SEPTEMBER}/close",
                                   headers=chegem)).status_code == 202
    closed_chegem = await _closed(bill, "chegem", chegem)
    assert (closed_chegem["municipality"], closed_chegem["charges_count"], closed_chegem["charges_kop"],
            closed_chegem["invoices_count"]) == ("chegem", 1, 400_00, 1)  # Anna 4 of 5 lessons; Boris is not chegem's
    # chegem's month is closed for Anna's marks, baksan's still open for Boris's.
    late = await bill.client.post(mark, headers=staff, json={"lesson_date": "2026-09-29",
                                                             "present": [str(anna.child_id), str(boris.child_id)]})
    assert late.status_code == 409 and late.json()["field"] == "lesson_date"
    boris_late = await bill.client.post(mark, headers=staff, json={"lesson_date": "2026-09-29",
                                                                   "present": [str(boris.child_id)]})
    assert boris_late.status_code == 200, boris_late.text
    assert (await bill.client.get(f"/api/v1/municipalities/chegem/months/{SEPTEMBER}",
                                  headers=region)).json()["status"] == "closed"  # the region reads

    assert (await bill.client.post(f"/api/v1/municipalities/baksan/months/{SEPTEMBER}/close",
                                   headers=baksan)).status_code == 202
    closed_baksan = await _closed(bill, "baksan", baksan)
    assert (closed_baksan["charges_count"], closed_baksan["charges_kop"]) == (1, 300_00)  # Boris 3 of 5

    # Two invoices of one provider for the month, one to each payer, numbered apart.
    invoices = (await bill.client.get("/api/v1/invoices", params={"month": SEPTEMBER}, headers=staff)).json()["items"]
    by_payer = {i["payer"]: i for i in invoices}
    assert len(invoices) == 2 and len({i["number"] for i in invoices}) == 2
    assert (by_payer["chegem"]["payer_name"], by_payer["baksan"]["payer_name"]) == (
        "Чегемский муниципальный район", "Баксанский муниципальный район")
    assert [(by_payer[p]["charges_kop"], by_payer[p]["advance_kop"], by_payer[p]["settlement_kop"])
            for p in ("chegem", "baksan")] == [(400_00, 250_00, 150_00), (300_00, 250_01, 49_99)]
    lines = (await bill.client.get(f"/api/v1/invoices/{by_payer['baksan']['id']}", headers=staff)).json()["lines"]
    assert [(line["contract_id"], line["charged_kop"]) for line in lines] == [(str(boris.contract_id), 300_00)]
    csv = await bill.client.get(f"/api/v1/invoices/{by_payer['baksan']['id']}", params={"format": "csv"},
                                headers=staff)
    assert "Плательщик: Баксанский муниципальный район" in csv.content.decode("utf-8-sig")

    # Each payer's reconciliation, exact to the kopeck against the certificates' ledger of its certificates.
    def reconciliation(who: dict, **params):
        return bill.client.get("/api/v1/reports/reconciliation", params={"month": SEPTEMBER, **params}, headers=who)
    mine = {p: (await reconciliation(h, municipality=p)).json() for p, h in (("chegem", chegem), ("baksan", baksan))}
    assert [(mine[p]["municipality"], mine[p]["balanced"], mine[p]["debited_kop"], mine[p]["invoiced_kop"],
             mine[p]["advanced_kop"], mine[p]["settled_kop"], mine[p]["close_status"], mine[p]["payers"])
            for p in ("chegem", "baksan")] == [("chegem", True, 400_00, 400_00, 250_00, 150_00, "closed", []),
                                               ("baksan", True, 300_00, 300_00, 250_01, 49_99, "closed", [])]
    # The region's, asked by the region's operator: all of it, and each payer's the same as its own.
    whole = (await reconciliation(region)).json()
    assert (whole["municipality"], whole["balanced"], whole["close_status"], whole["debited_kop"],
            whole["invoiced_kop"], whole["advanced_kop"], whole["settled_kop"], whole["payable_kop"]) == (
        None, True, "closed", 700_00, 700_00, 500_01, 199_99, 199_99)
    payers = {p["municipality"]: p for p in whole["payers"]}
    assert list(payers) == ["chegem", "baksan", "neftekumsk"]  # the installation's municipalities, in order
    for p in ("chegem", "baksan"):
        assert {k: payers[p][k] for k in ("balanced", "debited_kop", "invoiced_kop", "advanced_kop")} == {
            k: mine[p][k] for k in ("balanced", "debited_kop", "invoiced_kop", "advanced_kop")}
    assert (payers["neftekumsk"]["balanced"], payers["neftekumsk"]["invoiced_kop"],
            payers["neftekumsk"]["close_status"]) == (True, 0, "not_requested")


async def test_an_operator_of_one_municipality_is_refused_everything_of_the_other(money):
    """baksan's operator before and after chegem's month is closed: chegem's month, contract,
    invoice, advance part, debits, roster and reconciliation are refused or not listed, and its
    attempts change nothing."""
    certs, bill = money.certificates, money.billing
    t = bill.tokens
    provider = uuid.uuid4()
    anna, boris = await _seed(certs, bill, provider)
    staff = t.headers("provider", provider_id=provider)
    chegem, baksan = t.headers("operator", municipality="chegem"), t.headers("operator", municipality="baksan")

    async def agreements_known() -> bool:
        async with bill.app.state.runtime.sessions() as session:
            return await session.scalar(text("SELECT count(*) FROM agreements_copy")) == 2
    await eventually(agreements_known, what="both agreements in billing's copy")
    bill.app.state.clock.pin(date(2026, 9, 2))
    assert (await bill.client.post("/api/v1/advances", json={"month": SEPTEMBER}, headers=staff)).status_code == 201
    bill.app.state.clock.pin(date(2026, 9, 8))
    r = await bill.client.post(f"/api/v1/groups/{anna.group_id}/attendance", headers=staff, json={
        "lesson_date": "2026-09-08", "present": [str(anna.child_id), str(boris.child_id)]})
    assert r.status_code == 200, r.text
    contract = f"/api/v1/contracts/{anna.contract_id}"
    before = (await bill.client.get(contract, headers=chegem)).json()

    refused_terminate = await bill.client.post(contract + "/terminate", headers=baksan, json={
        "terminated_on": "2026-09-30", "reason": "чужой муниципалитет"})
    assert refused_terminate.status_code == 404
    assert (await bill.client.get(contract, headers=baksan)).status_code == 404
    assert (await bill.client.get(contract, headers=chegem)).json() == before

    bill.app.state.clock.pin(date(2026, 10, 5))
    assert (await bill.client.post(f"/api/v1/municipalities/chegem/months/{SEPTEMBER}/close",
                                   headers=baksan)).status_code == 403
    assert (await bill.client.post(f"/api/v1/municipalities/chegem/months/{SEPTEMBER}/close",
                                   headers=chegem)).status_code == 202
    await _closed(bill, "chegem", chegem)
    [chegem_invoice] = (await bill.client.get("/api/v1/invoices", headers=chegem)).json()["items"]

    assert (await bill.client.get(f"/api/v1/municipalities/chegem/months/{SEPTEMBER}",
                                  headers=baksan)).status_code == 403
    assert (await bill.client.get(f"/api/v1/invoices/{chegem_invoice['id']}", headers=baksan)).status_code == 404
    for fmt in ("csv", "xlsx"):
        assert (await bill.client.get(f"/api/v1/invoices/{chegem_invoice['id']}", params={"format": fmt},
                                      headers=baksan)).status_code == 404
    assert (await bill.client.get("/api/v1/invoices", headers=baksan)).json()["items"] == []
    assert (await bill.client.get("/api/v1/invoices", params={"provider_id": str(provider)},
                                  headers=baksan)).json()["total"] == 0
    assert (await bill.client.get("/api/v1/reports/reconciliation",
                                  params={"month": SEPTEMBER, "municipality": "chegem"},
                                  headers=baksan)).status_code == 403
    assert (await bill.client.get("/api/v1/reports/reconciliation", params={"month": SEPTEMBER},
                                  headers=baksan)).status_code == 403  # the region is not a municipality's
    listed = (await bill.client.get("/api/v1/contracts", headers=baksan)).json()["items"]
    assert [c["id"] for c in listed] == [str(boris.contract_id)] and listed[0]["payer"] == "baksan"
    assert (await bill.client.get("/api/v1/debits", params={"contract_id": str(anna.contract_id)},
                                  headers=baksan)).json()["items"] == []
    roster = (await bill.client.get(f"/api/v1/groups/{anna.group_id}/attendance", params={"month": SEPTEMBER},
                                    headers=baksan)).json()["items"]
    assert [line["contract_id"] for line in roster] == [str(boris.contract_id)]
    [advance] = (await bill.client.get("/api/v1/advances", headers=baksan)).json()["items"]
    assert (advance["amount_kop"], advance["limit_kop"], [p["payer"] for p in advance["parts"]]) == (
        400_00, 400_00, ["baksan"])  # its own part only, not chegem's
    # The region's operator reads reports and invoices, not a child's contract.
    region = t.headers("regional_operator")
    assert (await bill.client.get("/api/v1/contracts", headers=region)).status_code == 403
    assert (await bill.client.get(contract, headers=region)).status_code == 404
    assert len((await bill.client.get("/api/v1/invoices", headers=region)).json()["items"]) == 1

    # Nothing of chegem's changed.
    after = (await bill.client.get(contract, headers=chegem)).json()
    assert (after["status"], after["terminated_on"]) == ("signed", None)
    assert (await bill.client.get(f"/api/v1/invoices/{chegem_invoice['id']}", headers=chegem)).json()[
        "charges_kop"] == chegem_invoice["charges_kop"] == 100_00
