"""An accepted application's hold in one statement (flows/holds.py): its answers are what the
tables say afterwards, a cause holds once however often and however concurrently it comes, and
concurrent acceptances pass neither a certificate's balance nor an agreement's limit."""
from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import func, select, text

from pfdo_events.catalog import ApplicationAccepted
from pfdo_kit.clock import Clock
from services.certificates.flows.balance_news import balance_news
from services.certificates.flows.reservations import reserve_for_application
from services.certificates.models import Agreement, Certificate, LedgerEntry, Reservation
from tests.integration.certificates.test_agreements import _accepted_event, _certificate, _open_period
from tests.integration.certificates.test_periods import YEAR
from tests.support.agreements import PROVIDER, signed_agreement


async def _accept(rt, e: ApplicationAccepted) -> list[tuple[str, dict]]:
    """The acceptance in a transaction of its own, as the consumer runs it: (routing key, payload)
    of every event it staged, in the outbox's order."""
    async with rt.sessions() as s, s.begin():
        await reserve_for_application(s, rt.outbox, e, Clock().today())
        rows = (await s.execute(text("SELECT routing_key, envelope->'payload' FROM outbox "
                                     "WHERE xmin = pg_current_xact_id()::xid ORDER BY id"))).all()
    return [(key.removeprefix("certificates.").removesuffix(".v1"), payload) for key, payload in rows]


def _free_place(cert: dict) -> ApplicationAccepted:
    e = _accepted_event(cert, 0)
    return e.model_copy(update={"application_id": uuid.uuid4(), "program_register": "significant"})


async def _tables(rt, cert_id) -> dict:
    """The certificate's hold as each table tells it."""
    async with rt.sessions() as s:
        held = await s.scalar(select(Certificate.held_kop).where(Certificate.id == cert_id))
        entries = (await s.execute(select(func.count(), func.coalesce(func.sum(LedgerEntry.amount_kop), 0)).where(
            LedgerEntry.certificate_id == cert_id, LedgerEntry.kind == "reserve"))).one()
        reservations = (await s.execute(select(func.count(), func.coalesce(func.sum(Reservation.held_kop), 0)).where(
            Reservation.certificate_id == cert_id))).one()
    return {"held": held, "entries": tuple(entries), "reservations": tuple(reservations)}


async def _used(rt) -> int:
    async with rt.sessions() as s:
        return await s.scalar(select(Agreement.used_kop).where(Agreement.provider_id == PROVIDER,
                                                                Agreement.municipality == "chegem",
                                                                Agreement.year == YEAR))


@pytest.mark.parametrize("kind", ["funded", "accounting"])
async def test_a_hold_answers_what_the_tables_say_after_it(certificates, kind):
    """One answer, staged without reading back: the offer's names, the balance (with the free places
    taken) and the agreement's usage it carries are what the child's record, balance_news and the
    agreement's row say."""
    svc, rt = certificates, certificates.app.state.runtime
    await _open_period(svc)
    await signed_agreement(svc, limit_kop=50_000_00)
    cert = await _certificate(svc, 7, funded_kop=10_000_00 if kind == "funded" else 0)
    cert_id = uuid.UUID(cert["certificate_id"])

    [(answer_key, free_answer)] = await _accept(rt, _free_place(cert))
    assert answer_key == "funds.reserved" and free_answer["agreement_usage"] is None
    assert free_answer["balance"]["free_left"] == {"significant": 0, "preprofessional": 0, "other": 0}

    e = _accepted_event(cert, 250_00)  # 500 ₽: within the smallest late credit (a month of 12 000 ₽)
    staged = await _accept(rt, e)
    [(answer_key, reserved)] = staged
    assert answer_key == "funds.reserved"
    usage, balance = reserved.pop("agreement_usage"), reserved.pop("balance")
    assert usage == {"provider_id": str(PROVIDER), "municipality": "chegem", "year": YEAR, "limit_kop": 50_000_00,
                     "used_kop": 500_00}
    async with rt.sessions() as s:
        [read] = await balance_news(s, [cert_id], YEAR)
        number = await s.scalar(select(Certificate.number).where(Certificate.id == cert_id))
    assert balance == read.model_dump(mode="json") and balance["kind"] == "funded"
    assert balance["free_left"] == {"significant": 0, "preprofessional": 0, "other": 0}
    assert reserved == {"application_id": str(e.application_id), "certificate_id": str(cert_id), "amount_kop": 500_00,
                        "certificate_kind": "funded", "owner": "mother", "certificate_number": number,
                        "child_full_name": "Ребёнок Номер 7", "child_birth_date": f"{YEAR - 10}-03-01"}
    assert await _tables(rt, cert_id) == {"held": 500_00, "entries": (1, 500_00), "reservations": (1, 500_00)}


async def test_an_acceptance_delivered_again_holds_once_and_is_answered_each_time(certificates):
    """The same acceptance in new envelopes (the inbox cannot tell), one after another and five at
    once: one entry, one reservation, the agreement used once; every delivery answered `reserved`."""
    svc, rt = certificates, certificates.app.state.runtime
    await _open_period(svc)
    await signed_agreement(svc)
    cert = await _certificate(svc, 1, funded_kop=10_000_00)
    e = _accepted_event(cert, 1_000_00)

    first, again = await _accept(rt, e), await _accept(rt, e)
    assert first[-1][0] == again[-1][0] == "funds.reserved"
    assert first[-1][1]["amount_kop"] == again[-1][1]["amount_kop"] == 2_000_00
    assert first[-1][1]["agreement_usage"]["used_kop"] == 2_000_00
    assert again[-1][1]["agreement_usage"] is None  # nothing more counted against it
    answers = await asyncio.gather(*(_accept(rt, e) for _ in range(5)))
    assert [staged[-1][0] for staged in answers] == ["funds.reserved"] * 5

    assert await _tables(rt, uuid.UUID(cert["certificate_id"])) == {
        "held": 2_000_00, "entries": (1, 2_000_00), "reservations": (1, 2_000_00)}
    assert await _used(rt) == 2_000_00


async def test_concurrent_acceptances_pass_neither_a_balance_nor_an_agreements_limit(certificates):
    """Forty acceptances of 1 500 ₽ at once, twenty on each of two certificates of 10 000 ₽ (six
    holds each), under an agreement of 16 500 ₽ (eleven holds): exactly eleven are held, none of
    the balances goes below zero, and every table adds up."""
    svc, rt = certificates, certificates.app.state.runtime
    await _open_period(svc)
    await signed_agreement(svc, limit_kop=16_500_00)
    certs = [await _certificate(svc, i, funded_kop=10_000_00) for i in (1, 2)]
    events = [_accepted_event(certs[i % 2], 750_00) for i in range(40)]

    answers = await asyncio.gather(*(_accept(rt, e) for e in events))
    outcomes = [payload.get("reason", "reserved") for staged in answers for key, payload in staged
                if key.startswith("funds.")]
    assert outcomes.count("reserved") == 11
    assert set(outcomes) <= {"reserved", "insufficient_funds", "agreement_limit_reached"}
    assert "agreement_limit_reached" in outcomes
    tables = [await _tables(rt, uuid.UUID(c["certificate_id"])) for c in certs]
    for t in tables:
        assert t["held"] == t["entries"][1] == t["reservations"][1] <= 10_000_00
        assert t["entries"][0] == t["reservations"][0] == t["held"] // 1_500_00
    assert sum(t["held"] for t in tables) == await _used(rt) == 16_500_00
    async with rt.sessions() as s:
        lowest = await s.scalar(select(func.min(Certificate.credited_kop - Certificate.held_kop)))
    assert lowest >= 0

