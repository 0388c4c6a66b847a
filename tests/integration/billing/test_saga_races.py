"""Events about one application come from two services and are handled concurrently: every
order and every overlap must end in the same contract state, and news sent again changes nothing."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select

from pfdo_events import Envelope
from pfdo_events.catalog import ApplicationAccepted, ApplicationCancelled
from pfdo_events.certificates import FundsReservationFailed, FundsReserved
from services.billing.models import Contract, ContractMonth, messaging
from tests.integration.billing.test_contracts_and_attendance import MONTHS, wait_status
from tests.support.billing_events import accepted, bus_names_of, reserved
from tests.support.service_app import publish
from tests.support.waiting import eventually


async def test_acceptances_and_reservations_handled_together_always_make_offers(billing):
    svc = billing
    envelopes = []
    for i in range(60):
        app = accepted(certificate_id=uuid.uuid4(), child_id=uuid.uuid4(), provider_id=uuid.uuid4(), months=MONTHS,
                       starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 30))
        envelopes += [app, reserved(app)] if i % 2 else [reserved(app), app]
    await publish(svc.settings.amqp_url, bus_names_of(svc), *envelopes)

    async def all_offered() -> bool:
        async with svc.app.state.runtime.sessions() as session:
            return await session.scalar(select(func.count()).where(Contract.status == "offered")) == 60
    await eventually(all_offered, timeout_s=30, what="60 offers")


async def _outbox(svc, routing_key: str, contract_id: str) -> list[dict]:
    """The payloads billing staged under `routing_key` for this contract."""
    outbox = messaging.outbox
    async with svc.app.state.runtime.sessions() as session:
        return list((await session.execute(select(outbox.c.envelope["payload"]).where(
            outbox.c.routing_key == routing_key,
            outbox.c.envelope["payload"]["contract_id"].astext == contract_id))).scalars())


async def _handled(svc, envelope) -> None:
    async def claimed() -> bool:
        async with svc.app.state.runtime.sessions() as session:
            return await session.scalar(select(func.count()).select_from(messaging.inbox).where(
                messaging.inbox.c.event_id == envelope.id)) == 1
    await eventually(claimed, timeout_s=30, what=f"{envelope.routing_key} handled")


async def test_an_acceptance_and_a_reservation_sent_again_change_nothing(billing):
    """The inbox drops a redelivered envelope; the same news sent again in a new envelope (a publisher
    that retried) must find the flows idempotent all the same: one contract, one offer, one of each event."""
    svc = billing
    app = accepted(certificate_id=uuid.uuid4(), child_id=uuid.uuid4(), provider_id=uuid.uuid4(), months=MONTHS,
                   starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 30))
    first = reserved(app, certificate_number="0700000001", child_full_name="Иванов Тимур Асланович",
                     child_birth_date=date(2015, 3, 1))
    contract_id = app.payload["application_id"]
    await publish(svc.settings.amqp_url, bus_names_of(svc), app, first)
    await wait_status(svc, contract_id, "offered")
    async with svc.app.state.runtime.sessions() as session:
        before = await session.get(Contract, uuid.UUID(contract_id))

    again = [Envelope.wrap(ApplicationAccepted.model_validate(app.payload), district="test-district"),
             Envelope.wrap(FundsReserved.model_validate(first.payload), district="test-district")]
    await publish(svc.settings.amqp_url, bus_names_of(svc), app, first, *again)
    for envelope in again:
        await _handled(svc, envelope)

    async with svc.app.state.runtime.sessions() as session:
        after = await session.get(Contract, uuid.UUID(contract_id))
        months = await session.scalar(select(func.count()).select_from(ContractMonth)
                                      .where(ContractMonth.contract_id == uuid.UUID(contract_id)))
    assert (after.status, after.number, after.reserved_kop, after.child_full_name, months) == (
        "offered", before.number, 900_00, "Иванов Тимур Асланович", 3)
    [offered] = await _outbox(svc, "billing.contract.offered.v1", contract_id)
    assert (offered["number"], offered["reserved_kop"]) == (before.number, 900_00)


async def test_a_refusal_that_came_before_the_acceptance_voids_the_draft(billing):
    svc = billing
    app = accepted(certificate_id=uuid.uuid4(), child_id=uuid.uuid4(), provider_id=uuid.uuid4(), months=MONTHS,
                   starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 30))
    p = app.payload
    refused = Envelope.wrap(FundsReservationFailed(
        application_id=p["application_id"], certificate_id=p["certificate_id"], reason="insufficient_funds",
        reason_ru="Недостаточно средств"), district="test-district")
    await publish(svc.settings.amqp_url, bus_names_of(svc), refused)
    await _handled(svc, refused)
    await publish(svc.settings.amqp_url, bus_names_of(svc), app)
    await wait_status(svc, p["application_id"], "void")
    async with svc.app.state.runtime.sessions() as session:
        contract = await session.get(Contract, uuid.UUID(p["application_id"]))
    assert (contract.end_reason, contract.closed_out, contract.reserved_kop) == ("Недостаточно средств", True, 0)
    assert await _outbox(svc, "billing.contract.offered.v1", p["application_id"]) == []


async def test_money_reserved_after_the_family_withdrew_goes_back(billing):
    """Withdrawn while the money was being reserved: the contract is void with nothing held, and the
    reservation that lands afterwards is released at once (and only once, however often it comes)."""
    svc = billing
    svc.app.state.clock.pin(date(2026, 9, 2))
    app = accepted(certificate_id=uuid.uuid4(), child_id=uuid.uuid4(), provider_id=uuid.uuid4(), months=MONTHS,
                   starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 30))
    p = app.payload
    withdrawn = Envelope.wrap(ApplicationCancelled(
        application_id=p["application_id"], certificate_id=p["certificate_id"], was_accepted=True, owner="mother"),
        district="test-district")
    await publish(svc.settings.amqp_url, bus_names_of(svc), app)
    await _handled(svc, app)
    await publish(svc.settings.amqp_url, bus_names_of(svc), withdrawn)
    await wait_status(svc, p["application_id"], "void")
    late = [reserved(app), reserved(app)]  # the second: the same news sent again
    for envelope in late:
        await publish(svc.settings.amqp_url, bus_names_of(svc), envelope)
        await _handled(svc, envelope)

    async with svc.app.state.runtime.sessions() as session:
        contract = await session.get(Contract, uuid.UUID(p["application_id"]))
    assert (contract.status, contract.reserved_kop, contract.released_kop, contract.charged_kop) == (
        "void", 900_00, 900_00, 0)
    [released] = await _outbox(svc, "billing.contract.terminated.v1", p["application_id"])
    assert (released["by"], released["keep_kop"], released["was_signed"], released["reason"]) == (
        "system", 0, False, "Заявка отозвана семьёй")
    assert await _outbox(svc, "billing.contract.offered.v1", p["application_id"]) == []
