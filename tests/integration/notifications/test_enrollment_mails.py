"""A whole enrollment's events on the bus make exactly the expected mails in a real SMTP server
and the expected feed items; the same events again make nothing more; nobody else sees them."""
from __future__ import annotations

import uuid
from datetime import date, timedelta

from pfdo_events.billing import ContractOffered, ContractSigned, InvoiceIssued
from pfdo_events.catalog import ApplicationAccepted, ApplicationSubmitted, Lesson, MonthlyShare
from pfdo_events.certificates import DebitResult, FundsDebited, FundsReserved
from pfdo_events.gateway import AccountUpdated
from pfdo_kit.russian import NBSP
from tests.integration.notifications.conftest import (
    NAVIGATOR,
    SENDER,
    account,
    all_mail_settled,
    deliver,
    deliveries,
    duplicates_seen,
    put_on_bus,
)
from tests.support.waiting import eventually

PROVIDER, APPLICATION, CERTIFICATE, CHILD = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
PROGRAM, NUMBER = "Робототехника", "2026-00017"


def _enrollment(parent: str) -> list:
    group, program = uuid.uuid4(), uuid.uuid4()
    return [
        ApplicationSubmitted(application_id=APPLICATION, child_id=CHILD, certificate_id=CERTIFICATE,
                             provider_id=PROVIDER, group_id=group, owner=parent, program_title=PROGRAM, decide_by=date(2026, 9, 10)),
        ApplicationAccepted(application_id=APPLICATION, child_id=CHILD, certificate_id=CERTIFICATE, owner=parent,
                            municipality="chegem", provider_id=PROVIDER, provider_name="ДДТ «Радуга»",
                            program_id=program, program_title=PROGRAM, group_id=group, program_register="certified",
                            period_year=2026, starts_on=date(2026, 9, 1), ends_on=date(2026, 12, 31),
                            months=[MonthlyShare(month="2026-09", certificate_kop=123_450, copay_kop=0,
                                                 planned_lessons=8)],
                            weekly_schedule=[Lesson(weekday=1, starts_at="16:00", minutes=45),
                                             Lesson(weekday=3, starts_at="16:00", minutes=45)]),
        FundsReserved(application_id=APPLICATION, certificate_id=CERTIFICATE, amount_kop=493_800,
                      certificate_kind="funded", owner=parent),
        ContractOffered(contract_id=APPLICATION, number=NUMBER, certificate_id=CERTIFICATE, owner=parent,
                        reserved_kop=493_800, program_title=PROGRAM, provider_name="ДДТ «Радуга»"),
        ContractSigned(contract_id=APPLICATION, certificate_id=CERTIFICATE, signed_on=date(2026, 8, 28), owner=parent,
                       number=NUMBER, program_title=PROGRAM),
        # As certificates publishes it today: no owner; the service knows the contract's family.
        FundsDebited(batch_id=uuid.uuid4(), month="2026-09", results=[DebitResult(
            charge_id=uuid.uuid4(), contract_id=APPLICATION, debited_kop=123_450, shortfall_kop=0)]),
        InvoiceIssued(invoice_id=uuid.uuid4(), number="С-2026-09-0003", provider_id=PROVIDER, month="2026-09",
                      charges_kop=123_450, advance_kop=0, carried_in_kop=0, settlement_kop=123_450),
    ]


def _text(mail) -> str:
    return mail.get_content().replace(NBSP, " ").replace("\r\n", "\n")


async def test_a_whole_enrollment_mails_each_person_exactly_what_concerns_them(notifications, mail_sink):
    svc = notifications
    parent = account("parent", "parent@example.ru", full_name="Иванова Мария")
    staff = account("provider", "staff@raduga.ru")
    stranger = account("parent", "stranger@example.ru")
    bound = AccountUpdated(**{**staff.model_dump(), "provider_id": PROVIDER})  # the registry approved the provider
    await deliver(svc, parent, staff, stranger, bound)

    events = await deliver(svc, *_enrollment(parent.subject))
    await mail_sink.wait_for(7)
    await eventually(lambda: all_mail_settled(svc), what="every mail marked sent")

    assert mail_sink.subjects("parent@example.ru") == sorted([
        f"Заявка принята: «{PROGRAM}»",
        "Средства сертификата зарезервированы",
        f"Договор №{NBSP}{NUMBER} готов к подписанию",
        f"Договор №{NBSP}{NUMBER} подписан",
        f"Списание с сертификата: 1{NBSP}234,50{NBSP}₽",
    ])
    assert mail_sink.subjects("staff@raduga.ru") == sorted([
        f"Новая заявка: «{PROGRAM}»", f"Счёт №{NBSP}С-2026-09-0003 за сентябрь 2026{NBSP}г.",
    ])
    assert mail_sink.to("stranger@example.ru") == []
    assert len(mail_sink.mails) == 7

    by_subject = {m["Subject"]: m for m in mail_sink.mails}
    debit = by_subject[f"Списание с сертификата: 1{NBSP}234,50{NBSP}₽"]
    assert (f"За сентябрь 2026 г. с сертификата списано 1 234,50 ₽ по договору № {NUMBER} — обучение по программе "
            f"«{PROGRAM}».") in _text(debit)
    assert f"Открыть: {NAVIGATOR}/cabinet/contracts/{APPLICATION}" in _text(debit)
    assert "Настроить" not in _text(debit)  # money moved: that mail cannot be switched off
    accepted = by_subject[f"Заявка принята: «{PROGRAM}»"]
    assert _text(accepted).startswith("Здравствуйте, Иванова Мария!\n\nДДТ «Радуга» принял заявку")
    assert "Занятия начинаются 1 сентября 2026 г., 2 занятия в неделю." in _text(accepted)
    assert f"Настроить, какие письма приходят: {NAVIGATOR}/cabinet/notifications/settings" in _text(accepted)
    new_application = by_subject[f"Новая заявка: «{PROGRAM}»"]
    assert "до 10 сентября 2026 г. включительно" in _text(new_application)
    ids = {d.id for d in await deliveries(svc)}
    assert {m["Message-ID"] for m in mail_sink.mails} == {f"<{i}@navigator.test>" for i in ids}
    assert all(SENDER in m["From"] for m in mail_sink.mails)

    # The feed: the parent's five, newest first, unread until read; the staff's two.
    as_parent = svc.tokens.headers("parent", subject=parent.subject)
    feed = (await svc.client.get("/api/v1/me/notifications", headers=as_parent)).json()
    assert (feed["total"], feed["unread"], len(feed["items"])) == (5, 5, 5)
    assert [i["kind"] for i in feed["items"]] == [
        "funds_debited", "contract_signed", "contract_offered", "funds_reserved", "application_accepted"]
    assert feed["items"][0]["link"] == f"{NAVIGATOR}/cabinet/contracts/{APPLICATION}"
    second = (await svc.client.get("/api/v1/me/notifications?page=2&page_size=2", headers=as_parent)).json()
    assert [i["kind"] for i in second["items"]] == ["contract_offered", "funds_reserved"]
    assert (second["total"], second["unread"], second["page"], second["page_size"]) == (5, 5, 2, 2)
    for bad in ("page=0", "page_size=0", "page_size=101", "page=x"):
        refused = await svc.client.get(f"/api/v1/me/notifications?{bad}", headers=as_parent)
        assert (refused.status_code, refused.json()["field"]) == (422, bad.split("=")[0]), refused.text
    as_staff = svc.tokens.headers("provider", subject=staff.subject, provider_id=PROVIDER)
    staff_feed = (await svc.client.get("/api/v1/me/notifications", headers=as_staff)).json()
    assert [i["kind"] for i in staff_feed["items"]] == ["invoice_issued", "application_submitted"]

    # Nobody else sees any of it, not even whether it exists.
    as_stranger = svc.tokens.headers("parent", subject=stranger.subject)
    empty = (await svc.client.get("/api/v1/me/notifications", headers=as_stranger)).json()
    assert (empty["total"], empty["unread"], empty["items"]) == (0, 0, [])
    first = feed["items"][0]["id"]
    for who in (as_stranger, as_staff, svc.tokens.headers("admin")):
        r = await svc.client.post(f"/api/v1/me/notifications/{first}/read", headers=who)
        assert r.status_code == 404, r.text
    assert (await svc.client.post(f"/api/v1/me/notifications/{uuid.uuid4()}/read", headers=as_parent)).status_code == 404
    assert (await svc.client.post("/api/v1/me/notifications/read-all", headers=as_stranger)).json() == {"marked": 0}
    assert (await svc.client.get("/api/v1/me/notifications")).status_code == 401

    read = await svc.client.post(f"/api/v1/me/notifications/{first}/read", headers=as_parent)
    assert read.status_code == 200 and read.json()["read"] is True
    assert (await svc.client.post(f"/api/v1/me/notifications/{first}/read", headers=as_parent)).status_code == 200
    assert (await svc.client.get("/api/v1/me/notifications", headers=as_parent)).json()["unread"] == 4
    assert (await svc.client.post("/api/v1/me/notifications/read-all", headers=as_parent)).json() == {"marked": 4}
    assert (await svc.client.get("/api/v1/me/notifications", headers=as_parent)).json()["unread"] == 0
    assert (await svc.client.get("/api/v1/me/notifications", headers=as_staff)).json()["unread"] == 2

    # The same events delivered again (a broker redelivery, a replayed dead letter): nothing more.
    before = duplicates_seen()
    await put_on_bus(svc, *events)

    async def turned_away() -> bool:
        return duplicates_seen() - before >= len(events)
    await eventually(turned_away, what="every repeated event turned away")
    await eventually(lambda: all_mail_settled(svc), what="mail sender idle")
    assert len(mail_sink.mails) == 7 and len(await deliveries(svc)) == 7
    assert (await svc.client.get("/api/v1/me/notifications", headers=as_parent)).json()["total"] == 5


async def test_a_provider_learns_nothing_before_its_staff_account_is_known(notifications, mail_sink):
    """No staff bound to the provider: the new application makes no notice (nobody to tell);
    once a staff account is bound, the next one does."""
    svc = notifications
    parent = account("parent", "p2@example.ru")
    await deliver(svc, parent, _enrollment(parent.subject)[0])
    staff = account("provider", "late-staff@raduga.ru", provider_id=PROVIDER)
    await deliver(svc, staff)
    again = _enrollment(parent.subject)[0].model_copy(update={"application_id": uuid.uuid4(),
                                                               "decide_by": date(2026, 9, 10) + timedelta(days=1)})
    await deliver(svc, again)
    await mail_sink.wait_for(1)
    await eventually(lambda: all_mail_settled(svc), what="mail sent")
    assert [m["To"] for m in mail_sink.mails] == ["late-staff@raduga.ru"]
