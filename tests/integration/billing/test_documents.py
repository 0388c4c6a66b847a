"""The contract's documents on real PostgreSQL and RabbitMQ: the offer the family reads is the PDF
it signs, stored unchanged with its hash, moment and account and served again byte for byte; a
stale hash signs nothing; a signed contract's termination (by a person or by the system) stores
its notice; old data without the parties still renders, saying «не указано»."""
from __future__ import annotations

import asyncio
import hashlib
import uuid
from datetime import date

from sqlalchemy import select

from pfdo_kit.money import rubles
from pfdo_kit.russian import day
from services.billing.models import Contract, ContractDocument, OfferRendering, ProviderCopy
from tests.integration.billing.test_contracts_and_attendance import MONTHS, wait_status
from tests.integration.billing.test_saga_races import _outbox
from tests.support.billing_events import REQUISITES, accepted, account, bus_names_of, provider_event, reserved
from tests.support.pdf import pdf_text
from tests.support.service_app import publish
from tests.support.waiting import eventually

NINE_MONTHS = {f"{2026 + (m > 12)}-{(m - 1) % 12 + 1:02d}": (1_234_56 + m, 8) for m in range(9, 18)}
PARTIES = dict(certificate_number="0700000123", child_full_name="Иванов Тимур Асланович",
               child_birth_date=date(2015, 3, 1))


async def _documents(svc, contract_id) -> list[ContractDocument]:
    async with svc.app.state.runtime.sessions() as session:
        return list((await session.execute(select(ContractDocument).where(
            ContractDocument.contract_id == uuid.UUID(str(contract_id))).order_by(ContractDocument.kind))).scalars())


async def _offered(svc, provider: uuid.UUID, *, months=NINE_MONTHS, parties: bool = True, **kw) -> str:
    application = accepted(certificate_id=uuid.uuid4(), child_id=uuid.uuid4(), provider_id=provider, months=months,
                           starts_on=date(2026, 9, 1), ends_on=date(2027, 5, 31) if months is NINE_MONTHS
                           else date(2026, 11, 30), **kw)
    await publish(svc.settings.amqp_url, bus_names_of(svc), application,
                  reserved(application, **(PARTIES if parties else {})))
    contract_id = application.payload["application_id"]
    await wait_status(svc, contract_id, "offered")
    return contract_id


async def _known_provider(svc, provider: uuid.UUID, requisites=REQUISITES) -> None:
    await publish(svc.settings.amqp_url, bus_names_of(svc), provider_event("approved", provider, requisites=requisites))

    async def kept() -> bool:
        async with svc.app.state.runtime.sessions() as session:
            copy = await session.get(ProviderCopy, provider)
            return copy is not None and copy.requisites == (requisites.model_dump(mode="json") if requisites else None)
    await eventually(kept, timeout_s=20, what="the provider's copy")


async def test_the_signed_offer_is_stored_once_and_served_byte_for_byte(billing):
    svc, t = billing, billing.tokens
    svc.app.state.clock.pin(date(2026, 8, 28))
    provider = uuid.uuid4()
    await _known_provider(svc, provider)
    await publish(svc.settings.amqp_url, bus_names_of(svc), account("mother", "Иванова Мадина Руслановна"))
    contract_id = await _offered(svc, provider, group_name="Дебюты, Кумыков А. Б.", venue="г. Чегем, ул. Ленина, 5")
    mother, path = t.headers("parent", subject="mother"), f"/api/v1/contracts/{contract_id}"

    async def parent_known() -> bool:
        return "Иванова Мадина Руслановна" in pdf_text((await svc.client.get(path + "/offer", headers=mother)).content)
    await eventually(parent_known, timeout_s=20, what="the parent's account copy")

    read = await svc.client.get(path + "/offer", headers=mother)
    assert read.status_code == 200 and read.headers["content-type"] == "application/pdf"
    sha256 = hashlib.sha256(read.content).hexdigest()
    assert read.headers["x-document-sha256"] == sha256 and read.headers["etag"] == f'"{sha256}"'
    assert read.headers["content-disposition"].startswith('inline; filename="offer-DS-2026-')
    text = pdf_text(read.content)
    for words in ("Договор-оферта № ДС-2026-", "0712345678", "1020700000001", "Иванов Тимур Асланович", "0700000123",
                  "Дебюты, Кумыков А. Б.", "г. Чегем, ул. Ленина, 5", "вторник, 15:00, 45 мин",
                  "оспорить списание в течение 30 дней", "273-ФЗ"):
        assert words in text, (words, text)
    for month, (share, _) in NINE_MONTHS.items():  # each month's certificate share
        assert rubles(share).replace("\u00a0", " ") in text, month
    assert (await svc.client.get(path + "/offer", headers=mother)).content == read.content  # the same bytes again
    # Whoever sees the contract reads it; anyone else does not learn it exists.
    assert (await svc.client.get(path + "/offer", headers=t.headers("provider", provider_id=provider))).status_code == 200
    assert (await svc.client.get(path + "/offer", headers=t.headers("parent", subject="stranger"))).status_code == 404
    assert (await svc.client.get(path + "/termination-notice", headers=mother)).status_code == 404
    assert (await svc.client.get(path + "/documents", headers=mother)).json()["items"] == []

    svc.app.state.clock.pin(date(2026, 9, 2))
    signed = await svc.client.post(path + "/sign", headers=mother, json={"document_sha256": sha256})
    assert signed.status_code == 200 and signed.json()["status"] == "signed", signed.text
    [stored] = await _documents(svc, contract_id)
    assert (stored.kind, stored.template, stored.sha256, stored.size) == ("offer", "standard/offer-v1", sha256,
                                                                         len(read.content))
    assert stored.pdf == read.content and stored.actor == "parent:mother" and stored.signed_at is not None
    assert svc.app.state.clock.local(stored.signed_at).date() == date(2026, 9, 2)

    # Signed: the stored bytes, even after the parties' data changes.
    await publish(svc.settings.amqp_url, bus_names_of(svc), account("mother", "Петрова Мадина Руслановна"))
    await _known_provider(svc, provider, REQUISITES.model_copy(update={"legal_address": "новый адрес"}))
    again = await svc.client.get(path + "/offer", headers=mother)
    assert again.content == read.content and hashlib.sha256(again.content).hexdigest() == stored.sha256
    assert (await svc.client.post(path + "/sign", headers=mother)).status_code == 200  # twice: nothing new
    assert len(await _documents(svc, contract_id)) == 1
    listed = (await svc.client.get(path + "/documents", headers=t.headers("admin"))).json()
    assert [(d["kind"], d["sha256"], d["actor"], d["download"]) for d in listed["items"]] == [
        ("offer", sha256, "parent:mother", f"{path}/offer")] and listed["total"] == 1


async def test_an_offer_that_changed_since_it_was_read_is_not_signed(billing):
    svc, t = billing, billing.tokens
    svc.app.state.clock.pin(date(2026, 9, 1))
    provider = uuid.uuid4()
    await _known_provider(svc, provider)
    contract_id = await _offered(svc, provider, months=MONTHS)
    mother, path = t.headers("parent", subject="mother"), f"/api/v1/contracts/{contract_id}"
    read_sha = (await svc.client.get(path + "/offer", headers=mother)).headers["x-document-sha256"]
    # The registry corrects the provider's bank account: the offer now reads differently.
    await _known_provider(svc, provider, REQUISITES.model_copy(update={"bank_account": "03234643836450000999"}))
    now = await svc.client.get(path + "/offer", headers=mother)
    assert now.headers["x-document-sha256"] != read_sha and "03234643836450000999" in pdf_text(now.content)

    stale = await svc.client.post(path + "/sign", headers=mother, json={"document_sha256": read_sha})
    assert stale.status_code == 409 and stale.json()["type"].endswith("offer-changed"), stale.text
    assert stale.json()["field"] == "document_sha256"
    async with svc.app.state.runtime.sessions() as session:
        assert (await session.get(Contract, uuid.UUID(contract_id))).status == "offered"
    assert await _documents(svc, contract_id) == []
    bad = await svc.client.post(path + "/sign", headers=mother, json={"document_sha256": "not-a-hash"})
    assert bad.status_code == 422
    fresh = await svc.client.post(path + "/sign", headers=mother,
                                  json={"document_sha256": now.headers["x-document-sha256"].upper()})
    assert fresh.status_code == 200 and [d.sha256 for d in await _documents(svc, contract_id)] == [
        now.headers["x-document-sha256"]]


async def test_a_signed_contract_s_termination_stores_its_notice_and_an_unsigned_one_gets_none(billing):
    svc, t = billing, billing.tokens
    svc.app.state.clock.pin(date(2026, 9, 1))
    provider = uuid.uuid4()
    await _known_provider(svc, provider)
    signed_id = await _offered(svc, provider, months=MONTHS)
    unsigned_id = await _offered(svc, provider, months=MONTHS, owner="father")
    mother = t.headers("parent", subject="mother")
    assert (await svc.client.post(f"/api/v1/contracts/{signed_id}/sign", headers=mother)).status_code == 200

    svc.app.state.clock.pin(date(2026, 10, 2))
    staff = t.headers("provider", provider_id=provider)
    for contract_id in (signed_id, unsigned_id):
        ended = await svc.client.post(f"/api/v1/contracts/{contract_id}/terminate", headers=staff,
                                      json={"terminated_on": "2026-10-15", "reason": "Группа расформирована"})
        assert ended.status_code == 200, ended.text
    number = (await svc.client.get(f"/api/v1/contracts/{signed_id}", headers=mother)).json()["number"]
    notice = await svc.client.get(f"/api/v1/contracts/{signed_id}/termination-notice", headers=mother)
    assert notice.status_code == 200 and notice.headers["content-type"] == "application/pdf"
    text = pdf_text(notice.content)
    for words in (f"Уведомление о расторжении договора № {number}", "15 октября 2026 г.",
                  "исполнитель (организатор)", "Группа расформирована", "ноябрь 2026 г.", "300,00 ₽"):
        assert words in text, (words, text)
    offer, stored = await _documents(svc, signed_id)
    assert (stored.kind, stored.template, stored.signed_at) == ("termination", "standard/termination-v1", None)
    assert stored.actor.startswith("provider:")
    assert stored.pdf == notice.content and stored.sha256 == notice.headers["x-document-sha256"]
    assert (await svc.client.get(f"/api/v1/contracts/{signed_id}/termination-notice", headers=mother)).content == \
        notice.content
    # The signed offer is still served as signed.
    assert (await svc.client.get(f"/api/v1/contracts/{signed_id}/offer", headers=mother)).content == offer.pdf

    father = t.headers("parent", subject="father")
    assert (await svc.client.get(f"/api/v1/contracts/{unsigned_id}/termination-notice",
                                 headers=father)).status_code == 404
    void_offer = await svc.client.get(f"/api/v1/contracts/{unsigned_id}/offer", headers=father)
    assert void_offer.status_code == 409 and void_offer.json()["type"].endswith("contract-ended")
    assert await _documents(svc, unsigned_id) == []


async def test_the_system_ending_a_signed_contract_stores_its_notice_too(billing):
    svc, t = billing, billing.tokens
    svc.app.state.clock.pin(date(2026, 9, 1))
    provider = uuid.uuid4()
    await _known_provider(svc, provider)
    contract_id = await _offered(svc, provider, months=MONTHS)
    mother = t.headers("parent", subject="mother")
    assert (await svc.client.post(f"/api/v1/contracts/{contract_id}/sign", headers=mother)).status_code == 200
    await publish(svc.settings.amqp_url, bus_names_of(svc), provider_event("suspended", provider, requisites=REQUISITES))
    await wait_status(svc, contract_id, "terminated")
    ended_on = (await svc.client.get(f"/api/v1/contracts/{contract_id}", headers=mother)).json()["terminated_on"]
    notice = await svc.client.get(f"/api/v1/contracts/{contract_id}/termination-notice", headers=mother)
    assert notice.status_code == 200
    text = pdf_text(notice.content)
    assert "Поставщик приостановлен" in text and "система ПФДО" in text
    assert day(date.fromisoformat(ended_on)).replace("\u00a0", " ") in text
    assert [(d.kind, d.actor) for d in await _documents(svc, contract_id)] == [("offer", "parent:mother"),
                                                                               ("termination", "system")]


async def test_old_data_without_the_parties_renders_not_given_and_a_draft_has_no_offer(billing):
    svc, t = billing, billing.tokens
    svc.app.state.clock.pin(date(2026, 9, 1))
    contract_id = await _offered(svc, uuid.uuid4(), months=MONTHS, parties=False)  # no provider copy, no account
    mother = t.headers("parent", subject="mother")
    offer = await svc.client.get(f"/api/v1/contracts/{contract_id}/offer", headers=mother)
    assert offer.status_code == 200
    text = pdf_text(offer.content)
    assert text.count("не указано") >= 8 and "ДЮСШ «Старт»" in text and "Шахматы для начинающих" in text
    assert (await svc.client.post(f"/api/v1/contracts/{contract_id}/sign", headers=mother)).status_code == 200
    assert [d.kind for d in await _documents(svc, contract_id)] == ["offer"]

    draft = accepted(certificate_id=uuid.uuid4(), child_id=uuid.uuid4(), provider_id=uuid.uuid4(), months=MONTHS,
                     starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 30))
    await publish(svc.settings.amqp_url, bus_names_of(svc), draft)
    await wait_status(svc, draft.payload["application_id"], "draft")
    early = await svc.client.get(f"/api/v1/contracts/{draft.payload['application_id']}/offer", headers=mother)
    assert early.status_code == 409 and early.json()["type"].endswith("not-offered")


async def test_signatures_at_the_same_moment_sign_once(billing):
    """The family's app retries while its first signature still runs: every answer is the signed
    contract, the offer is stored once and the signature announced once."""
    svc, t = billing, billing.tokens
    svc.app.state.clock.pin(date(2026, 9, 1))
    provider = uuid.uuid4()
    await _known_provider(svc, provider)
    contract_id = await _offered(svc, provider, months=MONTHS)

    async def rendered_ahead() -> bool:
        async with svc.app.state.runtime.sessions() as session:
            return await session.get(OfferRendering, uuid.UUID(contract_id)) is not None
    await eventually(rendered_ahead, timeout_s=20, what="the offer rendered by the job")
    path = f"/api/v1/contracts/{contract_id}/sign"
    answers = await asyncio.gather(*(svc.client.post(path, headers=t.headers("parent", subject="mother"))
                                     for _ in range(4)))

    assert [(a.status_code, a.json()["status"], a.json()["signed_on"]) for a in answers] == [
        (200, "signed", "2026-09-01")] * 4
    assert {tuple(m["reserved_kop"] for m in a.json()["months"]) for a in answers} == {(300_00, 300_00, 300_00)}
    [stored] = await _documents(svc, contract_id)
    assert stored.kind == "offer" and stored.actor == "parent:mother"
    [signed] = await _outbox(svc, "billing.contract.signed.v1", contract_id)
    assert signed["signed_on"] == "2026-09-01"
