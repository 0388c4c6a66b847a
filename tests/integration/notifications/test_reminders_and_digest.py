"""Reminders and the operators' daily digest, with the service's clock pinned: each reminder
once and only when due; one digest a day from its hour, none when nothing waits."""
from __future__ import annotations

import asyncio
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from pfdo_events.billing import ContractOffered
from pfdo_events.catalog import ApplicationSubmitted, SeatOffered
from pfdo_events.certificates import CertificateActivated, CertificateIssued
from pfdo_events.registry import ProviderApproved, ProviderSnapshot, ProviderSubmitted
from services.notifications.models import JobRun
from tests.integration.notifications.conftest import account, all_mail_settled, deliver, envelope
from tests.support.waiting import eventually

MSK = ZoneInfo("Europe/Moscow")
T0 = datetime(2026, 9, 1, 10, 0, tzinfo=MSK)


async def _settle(svc, rounds: int = 4) -> None:
    """Let the jobs run a few rounds (0.2 s each), then the mail sender finish."""
    await asyncio.sleep(0.2 * rounds)
    await eventually(lambda: all_mail_settled(svc), what="mail sender idle")


async def test_each_reminder_once_when_it_is_due(notifications, mail_sink):
    svc = notifications
    clock = svc.app.state.clock
    clock.pin(T0)
    parent, staff = account("parent", "parent@example.ru"), account("provider", "staff@raduga.ru")
    provider = uuid.uuid4()
    staff = staff.model_copy(update={"provider_id": provider})
    offer, contract, waiting = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver(svc, parent, staff)
    await deliver(svc, envelope(SeatOffered(
        application_id=offer, certificate_id=uuid.uuid4(), owner=parent.subject, provider_id=provider,
        program_title="Шахматы", offered_until=T0 + timedelta(hours=40)), T0))
    await deliver(svc, envelope(ContractOffered(
        contract_id=contract, number="2026-00042", certificate_id=uuid.uuid4(), owner=parent.subject,
        reserved_kop=100_00, program_title="Робототехника"), T0))
    await deliver(svc, envelope(ApplicationSubmitted(
        application_id=waiting, child_id=uuid.uuid4(), certificate_id=uuid.uuid4(), provider_id=provider,
        group_id=uuid.uuid4(), owner=parent.subject, program_title="Танцы", decide_by=date(2026, 9, 10)), T0))
    await mail_sink.wait_for(3)  # the offer, the contract, the new application
    await _settle(svc)
    assert len(mail_sink.mails) == 3

    clock.pin(T0 + timedelta(hours=27, minutes=59))  # 12 h 01 min before the offer lapses: not yet
    await _settle(svc)
    assert len(mail_sink.mails) == 3

    clock.pin(T0 + timedelta(hours=29))
    await mail_sink.wait_for(4)
    await _settle(svc)
    assert [m["Subject"] for m in mail_sink.mails[3:]] == ["Осталось 11\u00a0часов: подтвердите место"]
    assert "держится за вами до 3\u00a0сентября 2026\u00a0г. в 02:00" in mail_sink.mails[3].get_content()

    clock.pin(T0 + timedelta(days=3, hours=1))
    await mail_sink.wait_for(5)
    await _settle(svc)
    assert [m["Subject"] for m in mail_sink.mails[4:]] == ["Договор №\u00a02026-00042 ждёт подписи"]
    assert "ждёт вашей подписи уже 3\u00a0дня" in mail_sink.mails[4].get_content()

    clock.pin(datetime(2026, 9, 9, 8, 0, tzinfo=MSK))  # the decision is due tomorrow
    await mail_sink.wait_for(6)
    await _settle(svc)
    assert [(m["To"], m["Subject"]) for m in mail_sink.mails[5:]] == [
        ("staff@raduga.ru", "Срок решения по заявке — 10\u00a0сентября 2026\u00a0г.")]

    clock.pin(datetime(2026, 9, 10, 8, 0, tzinfo=MSK))
    await _settle(svc)
    assert len(mail_sink.mails) == 6


def _issued(number: str, municipality: str) -> CertificateIssued:
    return CertificateIssued(certificate_id=uuid.uuid4(), child_id=uuid.uuid4(), owner=str(uuid.uuid4()),
                             birth_date=date(2016, 1, 1), number=number, municipality=municipality)


def _activated(issued: CertificateIssued) -> CertificateActivated:
    return CertificateActivated(**issued.model_dump(), kind="funded")


def _provider(municipality: str) -> ProviderSnapshot:
    return ProviderSnapshot(provider_id=uuid.uuid4(), status="submitted", kind="municipal",
                            short_name="ДДТ «Радуга»", inn="0700000000", municipality=municipality)


async def _digest_days(svc) -> list[date]:
    async with svc.app.state.runtime.sessions() as session:
        return list((await session.execute(select(JobRun.day).order_by(JobRun.day))).scalars())


async def test_the_operators_digest_once_a_day_and_never_empty(notifications, mail_sink):
    svc = notifications
    clock = svc.app.state.clock
    clock.pin(datetime(2026, 9, 1, 8, 0, tzinfo=MSK))
    chegem, neftekumsk = account("operator", "op@chegem.ru"), account("operator", "op@neftekumsk.ru", "neftekumsk")
    region = account("regional_operator", "region@kbr.ru", None)
    c1, c2, n1 = _issued("0700000001", "chegem"), _issued("0700000002", "chegem"), _issued("2600000001", "neftekumsk")
    provider = _provider("chegem")
    await deliver(svc, chegem, neftekumsk, region, c1, c2, n1, ProviderSubmitted(provider=provider, actor="provider:x"))
    await _settle(svc)
    assert mail_sink.mails == [] and await _digest_days(svc) == []  # before nine

    clock.pin(datetime(2026, 9, 1, 9, 5, tzinfo=MSK))
    await mail_sink.wait_for(3)
    await _settle(svc)
    assert {(m["To"], m["Subject"].replace("\u00a0", " ")) for m in mail_sink.mails} == {
        ("op@chegem.ru", "Ждут проверки: 2 сертификата"),
        ("op@neftekumsk.ru", "Ждут проверки: 1 сертификат"),
        ("region@kbr.ru", "Ждут проверки: 1 поставщик")}  # approving providers is the region's
    chegem_mail = mail_sink.to("op@chegem.ru")[0].get_content().replace("\u00a0", " ")
    assert "2 сертификата ждут проверки документов: 0700000001, 0700000002." in chegem_mail
    assert "поставщик" not in chegem_mail
    region_mail = mail_sink.to("region@kbr.ru")[0].get_content().replace("\u00a0", " ")
    assert "1 поставщик ждёт допуска в реестр: ДДТ «Радуга»." in region_mail
    assert len(mail_sink.mails) == 3

    approved = provider.model_copy(update={"status": "approved"})
    await deliver(svc, _activated(c1), _activated(n1), ProviderApproved(provider=approved, actor="operator:x"))
    clock.pin(datetime(2026, 9, 2, 9, 5, tzinfo=MSK))
    await mail_sink.wait_for(4)
    await _settle(svc)
    assert [(m["To"], m["Subject"].replace("\u00a0", " ")) for m in mail_sink.mails[3:]] == [
        ("op@chegem.ru", "Ждут проверки: 1 сертификат")]

    await deliver(svc, _activated(c2))
    clock.pin(datetime(2026, 9, 3, 9, 5, tzinfo=MSK))
    await eventually(lambda: _has_day(svc, date(2026, 9, 3)), what="the third day's digest run")
    await _settle(svc)
    assert len(mail_sink.mails) == 4  # nothing waits: nothing sent
    feed = (await svc.client.get("/api/v1/me/notifications",
                                 headers=svc.tokens.headers("operator", subject=chegem.subject,
                                                            municipality="chegem"))).json()
    assert [i["kind"] for i in feed["items"]] == ["operator_digest", "operator_digest"]


async def _has_day(svc, day: date) -> bool:
    return day in await _digest_days(svc)
