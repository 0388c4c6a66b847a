"""Payment agreements at the reservation: certificate money of a payer municipality goes to a
provider only under their active agreement for the contract's year, within its limit, whatever
the concurrency; its usage (held + debited) moves with the hold, release and debit, and every
change is published."""
from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, text, update

from pfdo_events import Envelope
from pfdo_events.billing import Charge, ChargesPosted, ContractTerminated
from pfdo_events.catalog import ApplicationAccepted, MonthlyShare
from pfdo_kit.db import make_engine, make_sessions
from services.certificates.domain.periods import credit_cause
from services.certificates.domain.snils import checksum
from services.certificates.flows.ledger import post_entry
from services.certificates.flows.reservations import reserve_for_application
from services.certificates.models import Certificate, Reservation
from tests.integration.certificates.runs import finished_run
from tests.integration.certificates.test_periods import YEAR
from tests.support.agreements import (
    PROVIDER,
    agreement_event,
    agreement_row,
    names_of,
    signed_agreement,
)
from tests.support.service_app import publish
from tests.support.waiting import eventually

PERIOD = {"starts_on": f"{YEAR}-01-01", "ends_on": f"{YEAR}-12-31", "funded_quota": 100, "budget_cap_kop": 10**10,
          "nominals": [{"min_age": 5, "max_age": 17, "amount_kop": 12_000_00}],
          "free_limits": {"significant": 1, "preprofessional": 0, "other": 0}}


def _snils(i: int) -> str:
    nine = f"{300_000_000 + i * 7_919:09d}"
    return f"{nine}{checksum(nine):02d}"


async def _open_period(svc, municipality: str = "chegem") -> None:
    headers = svc.tokens.headers("operator", municipality=municipality)
    path = f"/api/v1/municipalities/{municipality}/periods/{YEAR}"
    assert (await svc.client.put(path, json=PERIOD, headers=headers)).status_code == 200
    run = await finished_run(svc.client, await svc.client.post(path + "/open", headers=headers), headers)
    assert run["status"] == "done", run


async def _certificate(svc, i: int, municipality: str = "chegem", funded_kop: int = 0) -> dict:
    """An active certificate (funded and credited `funded_kop` when given)."""
    c, t = svc.client, svc.tokens
    parent = t.headers("parent", subject=f"parent-{i}")
    kid = (await c.post("/api/v1/children", headers=parent, json={
        "full_name": f"Ребёнок Номер {i}", "birth_date": f"{YEAR - 10}-03-01", "snils": _snils(i),
        "municipality": municipality})).json()["id"]
    cert = (await c.post(f"/api/v1/children/{kid}/certificate", headers=parent)).json()["id"]
    await c.post(f"/api/v1/certificates/{cert}/activate", headers=t.headers("admin"))
    if funded_kop:
        engine = make_engine(svc.database_url)
        async with make_sessions(engine)() as s, s.begin():
            await s.execute(update(Certificate).where(Certificate.id == uuid.UUID(cert)).values(kind="funded"))
            await post_entry(s, uuid.UUID(cert), "credit", funded_kop, credit_cause(YEAR))
        await engine.dispose()
    return {"child_id": kid, "certificate_id": cert}


def _accepted_event(cert: dict, monthly_kop: int, months: int = 2, provider: uuid.UUID = PROVIDER,
                    year: int = YEAR) -> ApplicationAccepted:
    return ApplicationAccepted(
        application_id=uuid.uuid4(), child_id=cert["child_id"], certificate_id=cert["certificate_id"],
        owner="mother", municipality="chegem", provider_id=provider, provider_name="Робототехника",
        program_id=uuid.uuid4(), program_title="Роботы", group_id=uuid.uuid4(), program_register="certified",
        period_year=year, starts_on=date(year, 9, 1), ends_on=date(year, 12, 31),
        months=[MonthlyShare(month=f"{year}-{m:02d}", certificate_kop=monthly_kop, copay_kop=0, planned_lessons=8)
                for m in range(9, 9 + months)],
        weekly_schedule=[{"weekday": 1, "starts_at": "15:00", "minutes": 45}], payer="chegem")


async def _answers(svc, n: int) -> tuple[list[dict], list[dict]]:
    """(the next n answers to reservations, the usage news published meanwhile: on its own, or
    carried by the answer to a hold)."""
    funds: list[dict] = []
    usage: list[dict] = []

    async def arrived() -> bool:
        for e in await svc.events.drain(wait_s=0.2):
            if ".funds." in e["routing_key"]:
                funds.append(e)
                if carried := e["payload"].get("agreement_usage"):
                    usage.append(carried)
            elif e["routing_key"] == "certificates.agreement.usage_changed.v1":
                usage.append(e["payload"])
        return len(funds) >= n
    await eventually(arrived, timeout_s=20, what=f"{n} answers")
    return funds, usage


async def _reserve(svc, *events: ApplicationAccepted) -> tuple[list[dict], list[dict]]:
    await publish(svc.settings.amqp_url, names_of(svc),
                  *(Envelope.wrap(e, district="test-district") for e in events))
    return await _answers(svc, len(events))


async def _balance(svc, cert: dict) -> dict:
    r = await svc.client.get(f"/api/v1/certificates/{cert['certificate_id']}", headers=svc.tokens.headers("admin"))
    return r.json()["balance"] | {"kind": r.json()["kind"]}


async def test_no_agreement_refuses_and_once_the_agreement_arrives_the_family_can_apply_again(certificates):
    svc = certificates
    await _open_period(svc)
    cert = await _certificate(svc, 1)
    [refused], usage = await _reserve(svc, _accepted_event(cert, 300_00))
    assert refused["routing_key"] == "certificates.funds.reservation_failed.v1"
    assert refused["payload"]["reason"] == "no_agreement"
    assert refused["payload"]["reason_ru"].startswith("У организации нет действующего соглашения с муниципалитетом")
    assert usage == []
    balance = await _balance(svc, cert)
    assert (balance["kind"], balance["credited_kop"], balance["reserved_kop"]) == ("accounting", 0, 0)  # not funded

    # An agreement of another payer, another year or an inactive one covers nothing either.
    await signed_agreement(svc, municipality="baksan")
    await signed_agreement(svc, year=YEAR + 1)
    await signed_agreement(svc, active=False)
    [still], _ = await _reserve(svc, _accepted_event(cert, 300_00))
    assert still["payload"]["reason"] == "no_agreement"

    await signed_agreement(svc)  # the registry's agreement for the year, no limit
    again = _accepted_event(cert, 300_00)
    [reserved], usage = await _reserve(svc, again)
    assert (reserved["routing_key"], reserved["payload"]["amount_kop"]) == ("certificates.funds.reserved.v1", 600_00)
    assert usage[-1] == {"provider_id": str(PROVIDER), "municipality": "chegem", "year": YEAR, "limit_kop": None,
                         "used_kop": 600_00}  # after the agreement's own news (used 0)
    assert (await agreement_row(svc, PROVIDER, "chegem", YEAR))["used_kop"] == 600_00
    assert (await _balance(svc, cert))["reserved_kop"] == 600_00


async def test_the_limit_refuses_what_would_pass_it_and_releases_give_back(certificates):
    svc = certificates
    await _open_period(svc)
    await signed_agreement(svc, limit_kop=1_000_00)
    first, second = await _certificate(svc, 1), await _certificate(svc, 2)
    big = _accepted_event(first, 450_00)                        # 900 ₽ of the 1 000 ₽ limit
    [ok], usage = await _reserve(svc, big)
    assert ok["routing_key"] == "certificates.funds.reserved.v1" and usage[-1]["used_kop"] == 900_00
    [over], _ = await _reserve(svc, _accepted_event(second, 100_00))  # 200 ₽ more would pass it
    assert over["payload"]["reason"] == "agreement_limit_reached"
    assert "лимит соглашения" in over["payload"]["reason_ru"]
    assert (await _balance(svc, second))["kind"] == "accounting"  # refused before funding: the quota is not used

    # The first contract ends after September: October's 450 ₽ goes back to the certificate and the agreement.
    contract = big.application_id
    await publish(svc.settings.amqp_url, names_of(svc), Envelope.wrap(ContractTerminated(
        contract_id=contract, certificate_id=first["certificate_id"], terminated_on=date(YEAR, 9, 30), by="parent",
        keep_kop=450_00), district="test-district"))
    [released], usage = await _answers(svc, 1)
    assert released["payload"]["amount_kop"] == 450_00 and usage[-1]["used_kop"] == 450_00
    # September is charged 300 ₽ of its 450 ₽ as the contract's last charge: 150 ₽ more goes back, the debit stays used.
    await publish(svc.settings.amqp_url, names_of(svc), Envelope.wrap(ChargesPosted(
        batch_id=uuid.uuid4(), month=f"{YEAR}-09", charges=[Charge(
            charge_id=uuid.uuid4(), contract_id=contract, certificate_id=first["certificate_id"], amount_kop=300_00,
            final=True)]), district="test-district"))
    [debited], usage = await _answers(svc, 1)
    assert (debited["payload"]["results"][0]["debited_kop"], usage[-1]["used_kop"]) == (300_00, 300_00)
    assert (await agreement_row(svc, PROVIDER, "chegem", YEAR))["used_kop"] == 300_00

    [fits], usage = await _reserve(svc, _accepted_event(second, 350_00))  # 700 ₽: exactly up to the limit
    assert fits["routing_key"] == "certificates.funds.reserved.v1" and usage[-1]["used_kop"] == 1_000_00


async def test_an_older_agreement_event_changes_nothing_and_usage_survives_a_change(certificates):
    svc = certificates
    # Funded at its first enrollment with the nominal of the months left: four from September, enough for two.
    svc.app.state.clock.pin(date(YEAR, 9, 1))
    await _open_period(svc)
    now = datetime.now(UTC)
    await publish(svc.settings.amqp_url, names_of(svc), agreement_event(limit_kop=5_000_00, at=now))

    async def recorded() -> bool:
        return (await agreement_row(svc, PROVIDER, "chegem", YEAR) or {}).get("limit_kop") == 5_000_00
    await eventually(recorded, what="the agreement")
    cert = await _certificate(svc, 1)
    [held], _ = await _reserve(svc, _accepted_event(cert, 1_000_00))
    assert held["routing_key"] == "certificates.funds.reserved.v1", held["payload"]
    # The registry raised the limit; a redelivered older event (the first version) arrives after it.
    await publish(svc.settings.amqp_url, names_of(svc), agreement_event(limit_kop=8_000_00, at=now + timedelta(1)))
    await publish(svc.settings.amqp_url, names_of(svc), agreement_event(limit_kop=1_000_00, at=now - timedelta(1)))

    async def raised() -> bool:
        return (await agreement_row(svc, PROVIDER, "chegem", YEAR))["limit_kop"] == 8_000_00
    await eventually(raised, what="the raised limit")
    await asyncio.sleep(0.5)
    row = await agreement_row(svc, PROVIDER, "chegem", YEAR)
    assert (row["limit_kop"], row["used_kop"]) == (8_000_00, 2_000_00)


async def test_an_accounting_certificate_is_funded_within_its_own_municipalitys_quota(certificates):
    """Each payer's quota is its own: Baksan's certificate of financing does not use up Chegem's one."""
    svc = certificates
    await _open_period(svc, "chegem")
    await _open_period(svc, "baksan")
    await signed_agreement(svc, municipality="chegem")
    await signed_agreement(svc, municipality="baksan")
    chegem, baksan = await _certificate(svc, 1, "chegem"), await _certificate(svc, 2, "baksan")
    engine = make_engine(svc.database_url)
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE funding_periods SET funded_quota = 1"))
    await engine.dispose()
    answers, usage = await _reserve(svc, _accepted_event(baksan, 100_00), _accepted_event(chegem, 100_00))
    assert [a["routing_key"] for a in answers] == ["certificates.funds.reserved.v1"] * 2
    assert {(u["municipality"], u["used_kop"]) for u in usage if u["used_kop"]} == {("chegem", 200_00),
                                                                                  ("baksan", 200_00)}
    assert [(await _balance(svc, c))["kind"] for c in (chegem, baksan)] == ["funded", "funded"]


async def test_concurrent_reservations_never_pass_the_agreements_limit(certificates):
    """Twenty funded certificates ask for 1 000 ₽ each at once, in twenty transactions, against an
    agreement of 7 000 ₽: exactly seven get it, the rest are refused, and the agreement's usage
    is what the reservations hold."""
    svc = certificates
    await _open_period(svc)
    await signed_agreement(svc, limit_kop=7_000_00)
    certs = [await _certificate(svc, i, funded_kop=5_000_00) for i in range(20)]
    events = [_accepted_event(c, 500_00) for c in certs]
    rt = svc.app.state.runtime

    async def reserve(e: ApplicationAccepted) -> None:
        async with rt.sessions() as s, s.begin():
            await reserve_for_application(s, rt.outbox, e, date(YEAR, 9, 1))
    await asyncio.gather(*(reserve(e) for e in events))

    engine = make_engine(svc.database_url)
    async with make_sessions(engine)() as s:
        held = (await s.execute(select(func.count(), func.sum(Reservation.held_kop)).where(
            Reservation.provider_id == PROVIDER, Reservation.payer == "chegem",
            Reservation.period_year == YEAR))).one()
        answers = dict((await s.execute(text(
            "SELECT coalesce(envelope->'payload'->>'reason', 'reserved'), count(*) FROM outbox "
            "WHERE routing_key LIKE 'certificates.funds.%' GROUP BY 1"))).all())
    await engine.dispose()
    assert (held[0], held[1]) == (7, 7_000_00)
    assert answers == {"reserved": 7, "agreement_limit_reached": 13}
    assert (await agreement_row(svc, PROVIDER, "chegem", YEAR))["used_kop"] == 7_000_00
    balances = [await _balance(svc, c) for c in certs]
    assert sum(b["reserved_kop"] for b in balances) == 7_000_00
    assert all(b["available_kop"] + b["reserved_kop"] == 5_000_00 for b in balances)
