"""A district's months with both real services: reservations, signatures, attendance, a
termination, an advance, two month closes, invoices with a negative carry-over, and a
reconciliation exact to the kopeck."""
from __future__ import annotations

import io
import uuid
from datetime import date

from openpyxl import load_workbook

from tests.integration.billing.money_steps import MONTHS, PERIOD, balance, certificate, close_month, mark
from tests.integration.billing.test_contracts_and_attendance import wait_events, wait_status
from tests.support.agreements import recorded_agreement, signed_agreement
from tests.support.billing_events import accepted, agreement, bus_names_of, provider_event
from tests.support.service_app import publish
from tests.support.waiting import eventually


async def test_two_months_reconcile_to_the_kopeck(money):
    certs, bill = money.certificates, money.billing
    admin, t = certs.tokens.headers("admin"), bill.tokens
    await certs.client.put("/api/v1/municipalities/chegem/periods/2026", json=PERIOD, headers=admin)
    await certs.client.post("/api/v1/municipalities/chegem/periods/2026/open", headers=admin)
    anna, boris = await certificate(certs, "anna", "112-233-445 95"), await certificate(certs, "boris", "111-111-111 45")
    provider, group = uuid.uuid4(), uuid.uuid4()
    await publish(bill.settings.amqp_url, bus_names_of(bill), provider_event("approved", provider),
                  agreement(provider, "chegem", 2026))
    await recorded_agreement(certs, provider=provider, municipality="chegem", year=2026)  # before the applications
    apps = {}
    for owner, cert in (("anna", anna), ("boris", boris)):
        apps[owner] = accepted(certificate_id=cert["certificate_id"], child_id=cert["child_id"], owner=owner,
                               provider_id=provider, group_id=group, months=MONTHS, starts_on=date(2026, 9, 1),
                               ends_on=date(2026, 11, 30))
    await publish(bill.settings.amqp_url, bus_names_of(bill), *apps.values())  # certificates reserves for both
    contract = {owner: app.payload["application_id"] for owner, app in apps.items()}
    for owner in contract:
        await wait_status(bill, contract[owner], "offered")

    bill.app.state.clock.pin(date(2026, 9, 1))
    for owner in contract:
        r = await bill.client.post(f"/api/v1/contracts/{contract[owner]}/sign", headers=t.headers("parent", subject=owner))
        assert r.status_code == 200, r.text

    staff = t.headers("provider", provider_id=provider)
    bill.app.state.clock.pin(date(2026, 9, 1))  # before the 2nd working day
    assert (await bill.client.post("/api/v1/advances", json={"month": "2026-09"}, headers=staff)).status_code == 409
    bill.app.state.clock.pin(date(2026, 9, 2))
    over = await bill.client.post("/api/v1/advances", json={"month": "2026-09", "amount_kop": 480_01}, headers=staff)
    assert over.status_code == 422 and over.json()["field"] == "amount_kop"
    advance = await bill.client.post("/api/v1/advances", json={"month": "2026-09"}, headers=staff)
    assert advance.status_code == 201 and advance.json()["amount_kop"] == 480_00  # 80 % of 2 × 300 ₽
    assert (await bill.client.post("/api/v1/advances", json={"month": "2026-09"}, headers=staff)).status_code == 409
    [granted] = await wait_events(bill, "billing.advance.granted.v1")
    assert granted["payload"] == {"advance_id": advance.json()["id"], "provider_id": str(provider), "month": "2026-09",
                                  "amount_kop": 480_00, "limit_kop": 480_00}

    bill.app.state.clock.pin(date(2026, 9, 30))
    a, b = anna["child_id"], boris["child_id"]
    for day in ("2026-09-01", "2026-09-08", "2026-09-15"):
        await mark(bill, group, provider, day, [a], [b])
    ended = await bill.client.post(f"/api/v1/contracts/{contract['boris']}/terminate", headers=t.headers(
        "parent", subject="boris"), json={"terminated_on": "2026-09-30", "reason": "Переезд в другой город"})
    assert ended.status_code == 200, ended.text

    bill.app.state.clock.pin(date(2026, 9, 30))
    early = await bill.client.post("/api/v1/municipalities/chegem/months/2026-09/close",
                                   headers=t.headers("operator", municipality="chegem"))
    assert early.status_code == 409  # the month is not over yet
    bill.app.state.clock.pin(date(2026, 10, 5))
    september = await close_month(bill, "2026-09")
    assert (september["charges_count"], september["charges_kop"]) == (2, 180_00)  # Anna 3/5 × 300 ₽; Boris final 0
    again = await bill.client.post("/api/v1/municipalities/chegem/months/2026-09/close",
                                   headers=t.headers("operator", municipality="chegem"))
    assert again.status_code == 202 and again.json()["charges_count"] == 2

    [invoice] = (await bill.client.get("/api/v1/invoices", params={"month": "2026-09"}, headers=staff)).json()["items"]
    assert (invoice["charges_kop"], invoice["advance_kop"], invoice["carried_in_kop"], invoice["settlement_kop"]) == (
        180_00, 480_00, 0, -300_00)
    report = (await bill.client.get("/api/v1/reports/reconciliation",
                                    params={"month": "2026-09", "municipality": "chegem"},
                                    headers=t.headers("operator", municipality="chegem"))).json()
    assert report["balanced"] and report["differences"] == []
    assert (report["debited_kop"], report["invoiced_kop"], report["advanced_kop"], report["settled_kop"]) == (
        180_00, 180_00, 480_00, -300_00)
    boris_money = await balance(certs, boris["certificate_id"])
    assert (boris_money["reserved_kop"], boris_money["debited_kop"]) == (0, 0)  # all back after the final charge

    debits = (await bill.client.get("/api/v1/debits", headers=t.headers("parent", subject="anna"))).json()["items"]
    assert [(d["month"], d["amount_kop"], d["attended_lessons"], d["planned_lessons"]) for d in debits] == [
        ("2026-09", 180_00, 3, 5)]
    assert (await bill.client.get("/api/v1/debits", headers=t.headers("parent", subject="boris"))).json()["items"] == []

    bill.app.state.clock.pin(date(2026, 10, 31))
    for day in ("2026-10-06", "2026-10-13", "2026-10-20", "2026-10-27"):
        await mark(bill, group, provider, day, [a])
    bill.app.state.clock.pin(date(2026, 11, 2))
    october = await close_month(bill, "2026-10")
    assert october["charges_kop"] == 300_00
    [invoice] = (await bill.client.get("/api/v1/invoices", params={"month": "2026-10"}, headers=staff)).json()["items"]
    assert (invoice["charges_kop"], invoice["advance_kop"], invoice["carried_in_kop"], invoice["settlement_kop"]) == (
        300_00, 0, -300_00, 0)  # September's debt is paid off by October's lessons
    report = (await bill.client.get("/api/v1/reports/reconciliation", params={"month": "2026-10"},
                                    headers=t.headers("admin"))).json()
    assert report["balanced"] and report["debited_kop"] == report["invoiced_kop"] == 300_00

    anna_money = await balance(certs, anna["certificate_id"])
    assert (anna_money["reserved_kop"], anna_money["debited_kop"]) == (300_00, 480_00)  # November still held

    csv = await bill.client.get(f"/api/v1/invoices/{invoice['id']}", params={"format": "csv"}, headers=staff)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "К расчёту" in text and "300,00" in text and "-300,00" in text
    xlsx = await bill.client.get(f"/api/v1/invoices/{invoice['id']}", params={"format": "xlsx"}, headers=staff)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[-1][0] == "К расчёту" and values[-1][6] == 0
    other = await bill.client.get(f"/api/v1/invoices/{invoice['id']}",
                                  headers=t.headers("provider", provider_id=uuid.uuid4()))
    assert other.status_code == 404


async def test_a_terminated_contract_shows_what_is_still_held_for_it(money):
    """After a termination the contract answers with what certificates still holds for it (the
    months up to the end not charged yet), lists no month after the end, and after the final
    charge holds nothing; the certificate's ledger says the same at every step."""
    certs, bill = money.certificates, money.billing
    admin, t = certs.tokens.headers("admin"), bill.tokens
    await certs.client.put("/api/v1/municipalities/chegem/periods/2026", json=PERIOD, headers=admin)
    await certs.client.post("/api/v1/municipalities/chegem/periods/2026/open", headers=admin)
    vera = await certificate(certs, "vera", "112-233-445 95")
    provider, group = uuid.uuid4(), uuid.uuid4()
    await publish(bill.settings.amqp_url, bus_names_of(bill), provider_event("approved", provider))
    await signed_agreement(certs, provider=provider, municipality="chegem", year=2026)  # chegem pays this provider
    app = accepted(certificate_id=vera["certificate_id"], child_id=vera["child_id"], owner="vera",
                   provider_id=provider, group_id=group, months=MONTHS, starts_on=date(2026, 9, 1),
                   ends_on=date(2026, 11, 30))
    await publish(bill.settings.amqp_url, bus_names_of(bill), app)
    contract_id = app.payload["application_id"]
    await wait_status(bill, contract_id, "offered")
    parent = t.headers("parent", subject="vera")
    path = f"/api/v1/contracts/{contract_id}"

    async def seen() -> tuple[dict, dict, int]:
        contract = (await bill.client.get(path, headers=parent)).json()
        [listed] = (await bill.client.get("/api/v1/contracts", headers=parent)).json()["items"]
        held = (await balance(certs, vera["certificate_id"]))["reserved_kop"]  # one contract on this certificate
        return contract, listed, held

    async def settles_at(kop: int) -> tuple[dict, dict]:
        state: dict = {}

        async def agreed() -> bool:
            state["contract"], state["listed"], held = await seen()
            return held == kop
        await eventually(agreed, timeout_s=30, what=f"the certificate holds {kop} for the contract")
        assert state["contract"]["reserved_kop"] == state["listed"]["reserved_kop"] == kop
        return state["contract"], state["listed"]

    bill.app.state.clock.pin(date(2026, 9, 1))
    assert (await bill.client.post(path + "/sign", headers=parent)).status_code == 200
    contract, _ = await settles_at(900_00)
    assert [(m["month"], m["reserved_kop"], m["charged_kop"]) for m in contract["months"]] == [
        ("2026-09", 300_00, None), ("2026-10", 300_00, None), ("2026-11", 300_00, None)]

    bill.app.state.clock.pin(date(2026, 9, 30))
    for day in ("2026-09-01", "2026-09-08"):
        await mark(bill, group, provider, day, [vera["child_id"]])
    ended = await bill.client.post(path + "/terminate", headers=parent,
                                   json={"terminated_on": "2026-10-15", "reason": "Ребёнок выбрал другой кружок"})
    assert ended.status_code == 200, ended.text
    assert ended.json()["reserved_kop"] == 600_00 and [m["month"] for m in ended.json()["months"]] == [
        "2026-09", "2026-10"]
    contract, listed = await settles_at(600_00)  # November went back at once; September and October wait
    assert [(m["month"], m["reserved_kop"], m["charged_kop"]) for m in contract["months"]] == [
        ("2026-09", 300_00, None), ("2026-10", 300_00, None)]
    assert (contract["charged_kop"], contract["released_kop"]) == (listed["charged_kop"], listed["released_kop"]) == (
        0, 300_00)

    bill.app.state.clock.pin(date(2026, 10, 5))
    await close_month(bill, "2026-09")
    contract, _ = await settles_at(300_00)  # 2 of 5 lessons charged, the rest of September released
    assert [(m["month"], m["reserved_kop"], m["charged_kop"]) for m in contract["months"]] == [
        ("2026-09", 0, 120_00), ("2026-10", 300_00, None)]
    assert (contract["charged_kop"], contract["released_kop"]) == (120_00, 480_00)

    bill.app.state.clock.pin(date(2026, 10, 15))
    await mark(bill, group, provider, "2026-10-06", [vera["child_id"]])
    bill.app.state.clock.pin(date(2026, 11, 2))
    await close_month(bill, "2026-10")  # the final charge: 1 of 4 lessons, everything else goes back
    contract, listed = await settles_at(0)
    assert [(m["month"], m["reserved_kop"], m["charged_kop"]) for m in contract["months"]] == [
        ("2026-09", 0, 120_00), ("2026-10", 0, 75_00)]
    assert (contract["reserved_kop"], contract["charged_kop"], contract["released_kop"]) == (0, 195_00, 705_00)
    assert (listed["reserved_kop"], listed["charged_kop"]) == (0, 195_00)
    assert (await balance(certs, vera["certificate_id"]))["debited_kop"] == 195_00
