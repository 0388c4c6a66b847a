"""Disputes of debits with both real services on one bus: a family disputes, the provider agrees
in part, the payer's operator decides the rest; the money comes back to the certificate once, the
provider's next invoice carries the correction, and the reconciliation stays exact to the kopeck
whatever the outcomes."""
from __future__ import annotations

import asyncio
import random
import uuid
from datetime import date

import pytest

from services.certificates.domain.snils import checksum
from tests.integration.billing.money_steps import MONTHS, PERIOD, balance, certificate, close_month, mark
from tests.integration.billing.test_contracts_and_attendance import wait_status
from tests.support.agreements import recorded_agreement
from tests.support.billing_events import accepted, agreement, bus_names_of, provider_event
from tests.support.service_app import publish
from tests.support.waiting import eventually

SEPTEMBER = ("2026-09-01", "2026-09-08", "2026-09-15", "2026-09-22", "2026-09-29")
OCTOBER = ("2026-10-06", "2026-10-13", "2026-10-20", "2026-10-27")


def snils(n: int) -> str:
    first = f"{200_000_000 + n:09d}"
    return f"{first[:3]}-{first[3:6]}-{first[6:]} {checksum(first):02d}"


async def enrolled(money, owners: list[str]) -> tuple[uuid.UUID, uuid.UUID, dict[str, dict]]:
    """A provider with a group and the owners' children enrolled from September (signed contracts)."""
    certs, bill = money.certificates, money.billing
    admin = certs.tokens.headers("admin")
    await certs.client.put("/api/v1/municipalities/chegem/periods/2026", json=PERIOD, headers=admin)
    await certs.client.post("/api/v1/municipalities/chegem/periods/2026/open", headers=admin)
    provider, group = uuid.uuid4(), uuid.uuid4()
    await publish(bill.settings.amqp_url, bus_names_of(bill), provider_event("approved", provider),
                  agreement(provider, "chegem", 2026))
    await recorded_agreement(certs, provider=provider, municipality="chegem", year=2026)
    family: dict[str, dict] = {}
    for i, owner in enumerate(owners):
        family[owner] = await certificate(certs, owner, snils(i))
    apps = {owner: accepted(certificate_id=f["certificate_id"], child_id=f["child_id"], owner=owner,
                            provider_id=provider, group_id=group, months=MONTHS, starts_on=date(2026, 9, 1),
                            ends_on=date(2026, 11, 30)) for owner, f in family.items()}
    await publish(bill.settings.amqp_url, bus_names_of(bill), *apps.values())
    bill.app.state.clock.pin(date(2026, 9, 1))
    for owner, app in apps.items():
        family[owner]["contract_id"] = contract = app.payload["application_id"]
        await wait_status(bill, contract, "offered")
        r = await bill.client.post(f"/api/v1/contracts/{contract}/sign", headers=bill.tokens.headers(
            "parent", subject=owner))
        assert r.status_code == 200, r.text
    return provider, group, family


async def debit_of(bill, owner: str) -> dict:
    [debit] = (await bill.client.get("/api/v1/debits", headers=bill.tokens.headers("parent", subject=owner))).json()[
        "items"]
    return debit


async def reversals_confirmed(bill, dispute_id: str, n: int) -> dict:
    state: dict = {}

    async def confirmed() -> bool:
        state.update((await bill.client.get(f"/api/v1/disputes/{dispute_id}", headers=bill.tokens.headers(
            "admin"))).json())
        return sum(r["confirmed_at"] is not None for r in state["reversals"]) == n
    await eventually(confirmed, timeout_s=30, what=f"{n} reversals of {dispute_id} confirmed")
    return state


async def reconciliation(bill, month: str) -> dict:
    return (await bill.client.get("/api/v1/reports/reconciliation", params={"month": month, "municipality": "chegem"},
                                  headers=bill.tokens.headers("operator", municipality="chegem"))).json()


async def test_a_dispute_agreed_in_part_comes_back_to_the_certificate_and_corrects_the_next_invoice(money):
    certs, bill = money.certificates, money.billing
    t = bill.tokens
    provider, group, family = await enrolled(money, ["anna", "boris"])
    anna, staff = t.headers("parent", subject="anna"), t.headers("provider", provider_id=provider)
    operator = t.headers("operator", municipality="chegem")
    bill.app.state.clock.pin(date(2026, 9, 30))
    for day in SEPTEMBER[:3]:
        await mark(bill, group, provider, day, [family["anna"]["child_id"], family["boris"]["child_id"]])
    bill.app.state.clock.pin(date(2026, 10, 5))
    await close_month(bill, "2026-09")

    debit = await debit_of(bill, "anna")
    assert (debit["amount_kop"], debit["share_kop"], debit["rule"], debit["reversed_kop"]) == (
        180_00, 300_00, "attended_share", 0)
    assert "посещено 3 из 5" in debit["explanation"] and "= 180,00" in debit["explanation"]
    assert debit["dispute_until"] == "2026-11-04" and debit["dispute_id"] is None  # 30 days from 5 October

    reason = {"charge_id": debit["charge_id"], "reason": "Ребёнок был только на двух занятиях из трёх отмеченных"}
    assert (await bill.client.post("/api/v1/disputes", json=reason, headers=staff)).status_code == 403
    assert (await bill.client.post("/api/v1/disputes", json=reason, headers=t.headers(
        "parent", subject="boris"))).status_code == 404
    opened = await bill.client.post("/api/v1/disputes", json=reason, headers=anna)
    assert opened.status_code == 201, opened.text
    dispute = opened.json()
    assert (dispute["status"], dispute["open_kop"], dispute["answer_due"]) == ("awaiting_provider", 180_00, "2026-10-15")
    again = await bill.client.post("/api/v1/disputes", json=reason, headers=anna)
    assert again.status_code == 409 and again.json()["type"].endswith("dispute-exists")
    path = f"/api/v1/disputes/{dispute['id']}"
    early = await bill.client.post(path + "/decision", json={"reversal_kop": 0, "comment": "рано"}, headers=operator)
    assert early.status_code == 409 and early.json()["type"].endswith("provider-may-still-answer")
    no_comment = await bill.client.post(path + "/answer", json={"answer": "agree_part", "reversal_kop": 60_00},
                                        headers=staff)
    assert no_comment.status_code == 422 and no_comment.json()["field"] == "comment"
    assert (await bill.client.post(path + "/answer", json={"answer": "agree_full"}, headers=anna)).status_code == 403

    part = await bill.client.post(path + "/answer", headers=staff, json={
        "answer": "agree_part", "reversal_kop": 60_00, "comment": "Одно занятие отмечено по ошибке"})
    assert part.status_code == 200, part.text
    assert (part.json()["status"], part.json()["reversed_kop"], part.json()["open_kop"]) == (
        "awaiting_operator", 60_00, 120_00)
    twice = await bill.client.post(path + "/answer", headers=staff, json={"answer": "agree_full"})
    assert twice.status_code == 409
    too_much = await bill.client.post(path + "/decision", json={"reversal_kop": 120_01, "comment": "всё"},
                                      headers=operator)
    assert too_much.status_code == 422 and too_much.json()["field"] == "reversal_kop"
    decided = await bill.client.post(path + "/decision", headers=operator, json={
        "reversal_kop": 30_00, "comment": "По журналу и справке — ещё половина занятия"})
    assert decided.status_code == 200, decided.text
    assert (decided.json()["status"], decided.json()["reversed_kop"], decided.json()["open_kop"]) == (
        "resolved", 90_00, 0)

    final = await reversals_confirmed(bill, dispute["id"], 2)
    assert [s["step"] for s in final["history"]] == [
        "opened", "agreed_in_part", "decided", "reversal_confirmed", "reversal_confirmed"]
    assert [(s["step"], s["role"], s["amount_kop"]) for s in final["history"][:3]] == [
        ("opened", "parent", None), ("agreed_in_part", "provider", 60_00), ("decided", "operator", 30_00)]
    money_now = await balance(certs, family["anna"]["certificate_id"])
    assert (money_now["debited_kop"], money_now["reversed_kop"]) == (180_00, 90_00)
    debit = await debit_of(bill, "anna")
    assert (debit["reversed_kop"], debit["dispute_status"]) == (90_00, "resolved")
    ledger = (await certs.client.get(f"/api/v1/certificates/{family['anna']['certificate_id']}/ledger",
                                     headers=certs.tokens.headers("admin"))).json()["items"]
    assert sorted(e["amount_kop"] for e in ledger if e["kind"] == "reversal") == [30_00, 60_00]

    september = await reconciliation(bill, "2026-09")
    assert september["balanced"], september
    assert (september["debited_kop"], september["reversed_kop"], september["invoiced_kop"],
            september["corrections_kop"], september["corrections_pending_kop"]) == (360_00, 90_00, 360_00, 90_00, 90_00)
    [by_provider] = september["providers"]
    assert (by_provider["debited_kop"] - by_provider["reversed_kop"], by_provider["balanced"]) == (270_00, True)

    bill.app.state.clock.pin(date(2026, 10, 31))
    for day in OCTOBER:
        await mark(bill, group, provider, day, [family["anna"]["child_id"]], [family["boris"]["child_id"]])
    bill.app.state.clock.pin(date(2026, 11, 2))
    await close_month(bill, "2026-10")
    [invoice] = (await bill.client.get("/api/v1/invoices", params={"month": "2026-10"}, headers=staff)).json()["items"]
    assert (invoice["charges_kop"], invoice["corrections_kop"], invoice["settlement_kop"]) == (300_00, 90_00, 210_00)
    lines = (await bill.client.get(f"/api/v1/invoices/{invoice['id']}", headers=staff)).json()
    assert sorted((c["month"], c["amount_kop"]) for c in lines["corrections"]) == [("2026-09", 30_00), ("2026-09", 60_00)]
    september = await reconciliation(bill, "2026-09")
    assert september["balanced"] and september["corrections_pending_kop"] == 0
    assert (await reconciliation(bill, "2026-10"))["balanced"]
    published = [e["routing_key"] for e in await bill.events.drain(wait_s=0.5)]
    for key in ("billing.dispute.opened.v1", "billing.dispute.answered.v1", "billing.dispute.decided.v1"):
        assert key in published, (key, published)
    assert published.count("billing.debit.reversed.v1") == 2
    answered = [e["routing_key"] for e in await certs.events.drain(wait_s=0.5)]
    assert answered.count("certificates.funds.reversed.v1") == 2


async def test_a_step_sent_many_times_at_once_takes_effect_once(money):
    certs, bill = money.certificates, money.billing
    t = bill.tokens
    provider, group, family = await enrolled(money, ["vera"])
    vera = t.headers("parent", subject="vera")
    bill.app.state.clock.pin(date(2026, 9, 30))
    await mark(bill, group, provider, SEPTEMBER[0], [family["vera"]["child_id"]])
    bill.app.state.clock.pin(date(2026, 10, 5))
    await close_month(bill, "2026-09")
    debit = await debit_of(bill, "vera")
    body = {"charge_id": debit["charge_id"], "reason": "Не были на занятиях в сентябре вообще"}
    opened = await asyncio.gather(*(bill.client.post("/api/v1/disputes", json=body, headers=vera) for _ in range(8)))
    assert sorted(r.status_code for r in opened) == [201] + [409] * 7
    [dispute] = [r.json() for r in opened if r.status_code == 201]
    path = f"/api/v1/disputes/{dispute['id']}"
    staff = t.headers("provider", provider_id=provider)
    assert (await bill.client.post(path + "/answer", headers=staff, json={
        "answer": "disagree", "comment": "Ребёнок был, есть подпись в журнале"})).status_code == 200
    operator = t.headers("operator", municipality="chegem")
    decision = {"reversal_kop": 50_00, "comment": "Подпись в журнале не подтверждена"}
    decided = await asyncio.gather(*(bill.client.post(path + "/decision", json=decision, headers=operator)
                                     for _ in range(8)))
    assert sorted(r.status_code for r in decided) == [200] + [409] * 7
    final = await reversals_confirmed(bill, dispute["id"], 1)
    assert (final["reversed_kop"], len(final["reversals"])) == (50_00, 1)
    assert (await balance(certs, family["vera"]["certificate_id"]))["reversed_kop"] == 50_00
    late = await bill.client.post(path + "/withdraw", json={}, headers=vera)
    assert late.status_code == 409  # resolved: nothing left to withdraw, and nothing changes
    assert (await bill.client.get(path, headers=vera)).json()["status"] == "resolved"


@pytest.mark.parametrize("seed", [18, 2026])
async def test_reconciliation_stays_exact_through_random_dispute_outcomes(money, seed):
    """Random attendance, random disputes and random answers and decisions: every certificate gets back
    exactly what its dispute reversed, the next invoice corrects exactly that, and both months reconcile."""
    rng = random.Random(seed)
    certs, bill = money.certificates, money.billing
    t = bill.tokens
    owners = [f"family{i}" for i in range(6)]
    provider, group, family = await enrolled(money, owners)
    staff, operator = t.headers("provider", provider_id=provider), t.headers("operator", municipality="chegem")
    bill.app.state.clock.pin(date(2026, 9, 30))
    for day in SEPTEMBER:
        present = [family[o]["child_id"] for o in owners if rng.random() < 0.7]
        await mark(bill, group, provider, day, present, [family[o]["child_id"] for o in owners
                                                          if family[o]["child_id"] not in present])
    bill.app.state.clock.pin(date(2026, 10, 5))
    await close_month(bill, "2026-09")
    expected: dict[str, int] = {}
    disputed: list[str] = []
    for owner in owners:
        parent = t.headers("parent", subject=owner)
        items = (await bill.client.get("/api/v1/debits", headers=parent)).json()["items"]
        if not items or rng.random() < 0.2:
            expected[owner] = 0
            continue
        [debit] = items
        opened = await bill.client.post("/api/v1/disputes", headers=parent, json={
            "charge_id": debit["charge_id"], "reason": "Проверьте, пожалуйста, посещения за месяц"})
        assert opened.status_code == 201, opened.text
        path, left = f"/api/v1/disputes/{opened.json()['id']}", debit["amount_kop"]
        answer = rng.choice(["agree_full", "agree_part", "disagree", "silent"])
        given = 0
        if answer == "agree_full":
            given = left
        elif answer in ("agree_part", "disagree"):
            part = rng.randint(1, left - 1) if answer == "agree_part" and left > 1 else None
            body = {"answer": answer if part else "disagree", "comment": "Ответ организатора"}
            if part:
                body["reversal_kop"] = part
            given = part or 0
        if answer != "silent":
            r = await bill.client.post(path + "/answer", headers=staff, json=body if answer != "agree_full"
                                       else {"answer": "agree_full"})
            assert r.status_code == 200, r.text
        if answer != "agree_full":
            if rng.random() < 0.3:
                assert (await bill.client.post(path + "/withdraw", json={}, headers=parent)).status_code == 200
            else:
                if answer == "silent":
                    bill.app.state.clock.pin(date(2026, 10, 16))  # the provider's ten days are over
                more = rng.randint(0, left - given)
                r = await bill.client.post(path + "/decision", headers=operator,
                                           json={"reversal_kop": more, "comment": "Решение оператора"})
                assert r.status_code == 200, r.text
                given += more
                bill.app.state.clock.pin(date(2026, 10, 5))
        expected[owner] = given
        disputed.append(path.rsplit("/", 1)[1])
    for dispute_id in disputed:
        detail = (await bill.client.get(f"/api/v1/disputes/{dispute_id}", headers=t.headers("admin"))).json()
        await reversals_confirmed(bill, dispute_id, len(detail["reversals"]))
    for owner in owners:
        assert (await balance(certs, family[owner]["certificate_id"]))["reversed_kop"] == expected[owner], owner

    bill.app.state.clock.pin(date(2026, 10, 31))
    for day in OCTOBER:
        await mark(bill, group, provider, day, [family[o]["child_id"] for o in owners if rng.random() < 0.5])
    bill.app.state.clock.pin(date(2026, 11, 2))
    await close_month(bill, "2026-10")
    invoices = (await bill.client.get("/api/v1/invoices", params={"month": "2026-10"}, headers=staff)).json()["items"]
    assert sum(i["corrections_kop"] for i in invoices) == sum(expected.values())
    for month in ("2026-09", "2026-10"):
        report = await reconciliation(bill, month)
        assert report["balanced"] and report["corrections_pending_kop"] == 0, report
    september = await reconciliation(bill, "2026-09")
    assert september["reversed_kop"] == september["corrections_kop"] == sum(expected.values())


