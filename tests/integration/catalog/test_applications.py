"""Applications: seats never sold twice, the saga's compensations, refusals that change nothing."""
from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

from sqlalchemy import select, update

from pfdo_events import Envelope
from pfdo_events.certificates import (
    AgreementUsageChanged,
    BalanceChanged,
    CertificateActivated,
    FundsReservationFailed,
    FundsReserved,
)
from pfdo_kit.bus.names import BusNames
from pfdo_kit.clock import Clock
from services.catalog.models import AgreementUsage, Application, CertificateCopy, Group
from tests.integration.catalog.conftest import announce_provider
from tests.integration.catalog.test_programs_and_search import program, publish_program
from tests.support.rows import count_rows
from tests.support.service_app import publish
from tests.support.waiting import eventually

TODAY = Clock().today()


def _names(svc) -> BusNames:
    s = svc.settings
    return BusNames(s.bus_exchange, s.bus_queue_prefix, s.bus_queue_expires_ms)


async def _children(svc, n: int, owner_prefix: str = "parent", age: int = 9, municipality: str = "chegem") -> list[dict]:
    """Active certificates (of `municipality`, their payer) as the catalog learns them from the certificates service."""
    kids = [{"certificate_id": uuid.uuid4(), "child_id": uuid.uuid4(), "owner": f"{owner_prefix}-{i}"} for i in range(n)]
    await publish(svc.settings.amqp_url, _names(svc), *(Envelope.wrap(CertificateActivated(
        certificate_id=k["certificate_id"], child_id=k["child_id"], owner=k["owner"],
        birth_date=TODAY.replace(year=TODAY.year - age, day=1), number="0700000011", municipality=municipality,
        kind="accounting"), district="test-district") for k in kids))

    async def all_known() -> bool:
        async with svc.app.state.runtime.sessions() as s:
            return len((await s.execute(select(CertificateCopy.id).where(
                CertificateCopy.id.in_([k["certificate_id"] for k in kids])))).all()) >= n
    await eventually(all_known, what=f"{n} certificates reaching the catalog")
    return kids


async def _published(svc, routing_key: str, n: int) -> list[dict]:
    """The events of this kind the service published: at least n (its relay publishes a moment
    after the commit), and any more that follow."""
    found = []

    async def enough() -> bool:
        found.extend(e for e in await svc.events.drain(wait_s=0.2) if e["routing_key"] == routing_key)
        return len(found) >= n
    await eventually(enough, what=f"{n} × {routing_key} published")
    return found + [e for e in await svc.events.drain() if e["routing_key"] == routing_key]


async def _group_of(svc, program_id: str) -> str:
    return (await svc.client.get(f"/api/v1/programs/{program_id}")).json()["groups"][0]["id"]


async def _apply(svc, kid: dict, group_id: str):
    return await svc.client.post("/api/v1/applications", headers=svc.tokens.headers("parent", subject=kid["owner"]),
                                 json={"group_id": group_id, "certificate_id": str(kid["certificate_id"])})


async def test_100_concurrent_acceptances_into_10_seats(catalog):
    provider = await announce_provider(catalog)
    group = await _group_of(catalog, await publish_program(catalog, provider, program("Футбол"), capacity=10))
    kids = await _children(catalog, 100)
    apps = [(await _apply(catalog, k, group)).json()["id"] for k in kids]
    staff = catalog.tokens.headers("provider", provider_id=provider)

    answers = await asyncio.gather(*(catalog.client.post(f"/api/v1/applications/{a}/accept", headers=staff)
                                     for a in apps))
    statuses = [r.json()["status"] for r in answers]
    assert statuses.count("accepted") == 10 and statuses.count("waitlisted") == 90
    async with catalog.app.state.runtime.sessions() as s:
        assert (await s.get(Group, uuid.UUID(group))).taken == 10
    accepted = await _published(catalog, "catalog.application.accepted.v1", 10)
    assert len(accepted) == 10 and accepted[0]["payload"]["months"]
    assert sum(m["planned_lessons"] for m in accepted[0]["payload"]["months"]) > 0  # from the weekly schedule
    group_out = (await catalog.client.get(f"/api/v1/groups/{group}")).json()
    assert (accepted[0]["payload"]["group_name"], accepted[0]["payload"]["venue"]) == (  # as the contract names them
        group_out["name"], group_out["venue"])


async def test_funds_reserved_awaits_signature_and_refused_frees_the_seat(catalog):
    provider = await announce_provider(catalog)
    group = await _group_of(catalog, await publish_program(catalog, provider, program("Шахматы"), capacity=1))
    first, second = await _children(catalog, 2)
    staff = catalog.tokens.headers("provider", provider_id=provider)
    a1 = (await _apply(catalog, first, group)).json()["id"]
    a2 = (await _apply(catalog, second, group)).json()["id"]
    assert (await catalog.client.post(f"/api/v1/applications/{a1}/accept", headers=staff)).json()["status"] == "accepted"
    assert (await catalog.client.post(f"/api/v1/applications/{a2}/accept", headers=staff)).json()["status"] == "waitlisted"

    refused = FundsReservationFailed(application_id=a1, certificate_id=first["certificate_id"],
                                     reason="insufficient_funds", reason_ru="На сертификате недостаточно средств")
    await publish(catalog.settings.amqp_url, _names(catalog), Envelope.wrap(refused, district="test-district"))

    async def rejected() -> bool:
        r = await catalog.client.get("/api/v1/applications", headers=staff, params={"status": "rejected"})
        return [a["id"] for a in r.json()["items"]] == [a1]
    await eventually(rejected, what="the refused application rejected")
    mine = (await catalog.client.get("/api/v1/applications",
                                     headers=catalog.tokens.headers("parent", subject=first["owner"]))).json()["items"]
    assert mine[0]["reason"] == "На сертификате недостаточно средств"
    # The freed seat went straight to the first family on the waitlist, held for them.
    second_parent = catalog.tokens.headers("parent", subject=second["owner"])
    offered = (await catalog.client.get("/api/v1/applications", headers=second_parent)).json()["items"][0]
    assert offered["status"] == "offered"
    async with catalog.app.state.runtime.sessions() as s:
        assert (await s.get(Group, uuid.UUID(group))).taken == 1

    confirmed = await catalog.client.post(f"/api/v1/applications/{a2}/confirm", headers=second_parent)
    assert confirmed.json()["status"] == "accepted"
    # The answer carries the certificate's balance and the agreement's usage after the hold: the
    # catalog's copies take them in the same transaction as the move.
    balance = BalanceChanged(certificate_id=second["certificate_id"], status="active", kind="funded",
                             available_kop=7_000_00, period_year=TODAY.year, free_left={})
    usage = AgreementUsageChanged(provider_id=provider, municipality="chegem", year=TODAY.year, limit_kop=None,
                                  used_kop=3_000_00)
    reserved = FundsReserved(application_id=a2, certificate_id=second["certificate_id"], amount_kop=3_000_00,
                             certificate_kind="funded", balance=balance, agreement_usage=usage)
    await publish(catalog.settings.amqp_url, _names(catalog), Envelope.wrap(reserved, district="test-district"))

    async def awaiting() -> bool:
        r = await catalog.client.get("/api/v1/applications", headers=staff, params={"status": "awaiting_signature"})
        return [a["id"] for a in r.json()["items"]] == [a2]
    await eventually(awaiting, what="the application awaiting the parent's signature")
    async with catalog.app.state.runtime.sessions() as s:
        copy = await s.get(CertificateCopy, second["certificate_id"])
        used = await s.get(AgreementUsage, (provider, "chegem", TODAY.year))
    assert (copy.available_kop, copy.kind, used.used_kop) == (7_000_00, "funded", 3_000_00)


async def test_terminated_contract_offers_the_seat_and_an_unanswered_offer_passes_on(catalog):
    from datetime import UTC, datetime, timedelta

    from pfdo_events.billing import ContractSigned, ContractTerminated
    from services.catalog.jobs.sweeper import sweep_once

    provider = await announce_provider(catalog)
    group = await _group_of(catalog, await publish_program(catalog, provider, program("Плавание"), capacity=1))
    kids = await _children(catalog, 3)
    staff = catalog.tokens.headers("provider", provider_id=provider)
    apps = [(await _apply(catalog, k, group)).json()["id"] for k in kids]
    assert [(await catalog.client.post(f"/api/v1/applications/{a}/accept", headers=staff)).json()["status"]
            for a in apps] == ["accepted", "waitlisted", "waitlisted"]

    signed = ContractSigned(contract_id=apps[0], certificate_id=kids[0]["certificate_id"], signed_on=TODAY)
    ended = ContractTerminated(contract_id=apps[0], certificate_id=kids[0]["certificate_id"], terminated_on=TODAY,
                               by="parent")
    await publish(catalog.settings.amqp_url, _names(catalog), Envelope.wrap(signed, district="test-district"))

    async def status_of(i: int) -> str:
        r = await catalog.client.get("/api/v1/applications",
                                     headers=catalog.tokens.headers("parent", subject=kids[i]["owner"]))
        return r.json()["items"][0]["status"]

    async def enrolled() -> bool:
        return await status_of(0) == "enrolled"
    await eventually(enrolled, what="enrollment after the signature")
    await publish(catalog.settings.amqp_url, _names(catalog), Envelope.wrap(ended, district="test-district"))

    async def offered_to_second() -> bool:
        return await status_of(1) == "offered"
    await eventually(offered_to_second, what="the seat offered to the first on the waitlist")

    catalog.app.state.clock.pin(datetime.now(UTC) + timedelta(hours=catalog.settings.offer_hours + 1))
    assert await sweep_once(catalog.app.state.runtime) >= 1
    assert (await status_of(1), await status_of(2)) == ("expired", "offered")
    async with catalog.app.state.runtime.sessions() as s:
        assert (await s.get(Group, uuid.UUID(group))).taken == 1


async def test_bad_applications_are_refused_and_nothing_is_stored(catalog):
    provider = await announce_provider(catalog)
    group = await _group_of(catalog, await publish_program(catalog, provider, program("Бокс", min_age=12, max_age=17)))
    kid = (await _children(catalog, 1, age=9))[0]
    too_young = await _apply(catalog, kid, group)
    assert (too_young.status_code, too_young.json()["field"]) == (422, "group_id") and "12–17" in too_young.json()["title"] + too_young.json().get("detail", "")
    unknown = await _apply(catalog, kid, str(uuid.uuid4()))
    assert (unknown.status_code, unknown.json()["field"]) == (422, "group_id")
    foreign = await catalog.client.post("/api/v1/applications", headers=catalog.tokens.headers("parent", subject="other"),
                                        json={"group_id": group, "certificate_id": str(kid["certificate_id"])})
    assert (foreign.status_code, foreign.json()["field"]) == (422, "certificate_id")
    assert await count_rows(catalog.database_url, "applications") == 0

    ok_group = await _group_of(catalog, await publish_program(catalog, provider, program("Рисование")))
    app = (await _apply(catalog, kid, ok_group)).json()["id"]
    other_provider = await announce_provider(catalog, name="ИП Петров")
    r = await catalog.client.post(f"/api/v1/applications/{app}/accept",
                                  headers=catalog.tokens.headers("provider", provider_id=other_provider))
    assert r.status_code == 404
    assert (await _apply(catalog, kid, ok_group)).status_code == 409  # one live application per child and group
    cancelled = await catalog.client.post(f"/api/v1/applications/{app}/cancel",
                                          headers=catalog.tokens.headers("parent", subject=kid["owner"]))
    assert cancelled.json()["status"] == "cancelled"


async def test_cancel_after_acceptance_frees_the_seat_for_the_waitlist_and_tells_billing(catalog):
    provider = await announce_provider(catalog)
    group = await _group_of(catalog, await publish_program(catalog, provider, program("Дзюдо"), capacity=1))
    first, second = await _children(catalog, 2)
    staff = catalog.tokens.headers("provider", provider_id=provider)
    a1, a2 = [(await _apply(catalog, k, group)).json()["id"] for k in (first, second)]
    for a in (a1, a2):
        await catalog.client.post(f"/api/v1/applications/{a}/accept", headers=staff)
    await catalog.events.drain()
    r = await catalog.client.post(f"/api/v1/applications/{a1}/cancel",
                                  headers=catalog.tokens.headers("parent", subject=first["owner"]))
    assert r.json()["status"] == "cancelled"
    second_view = (await catalog.client.get("/api/v1/applications",
                                            headers=catalog.tokens.headers("parent", subject=second["owner"]))).json()["items"]
    assert second_view[0]["status"] == "offered"
    events = await _published(catalog, "catalog.application.cancelled.v1", 1)
    assert [(e["payload"]["application_id"], e["payload"]["was_accepted"]) for e in events] == [(a1, True)]


async def test_only_an_enrolled_family_reviews_once_and_the_program_shows_the_average(catalog):
    from pfdo_events.billing import ContractSigned

    provider = await announce_provider(catalog)
    pid = await publish_program(catalog, provider, program("Гончарная мастерская", direction="artistic"))
    group = await _group_of(catalog, pid)
    enrolled, stranger = await _children(catalog, 2)
    app = (await _apply(catalog, enrolled, group)).json()["id"]
    await catalog.client.post(f"/api/v1/applications/{app}/accept",
                              headers=catalog.tokens.headers("provider", provider_id=provider))
    parent = catalog.tokens.headers("parent", subject=enrolled["owner"])
    review = {"child_id": str(enrolled["child_id"]), "rating": 4, "text": "Ребёнку очень нравится"}
    assert (await catalog.client.post(f"/api/v1/programs/{pid}/reviews", json=review, headers=parent)).status_code == 403

    signed = ContractSigned(contract_id=app, certificate_id=enrolled["certificate_id"], signed_on=TODAY)
    await publish(catalog.settings.amqp_url, _names(catalog), Envelope.wrap(signed, district="test-district"))

    async def may_review() -> bool:
        r = await catalog.client.post(f"/api/v1/programs/{pid}/reviews", json=review, headers=parent)
        return r.status_code == 201
    await eventually(may_review, what="the right to review after enrollment")
    assert (await catalog.client.post(f"/api/v1/programs/{pid}/reviews", json=review, headers=parent)).status_code == 409
    other = catalog.tokens.headers("parent", subject=stranger["owner"])
    assert (await catalog.client.post(f"/api/v1/programs/{pid}/reviews", headers=other, json={
        **review, "child_id": str(stranger["child_id"])})).status_code == 403
    bad = await catalog.client.post(f"/api/v1/programs/{pid}/reviews", json={**review, "rating": 6}, headers=parent)
    assert (bad.status_code, bad.json()["field"]) == (422, "rating")
    shown = (await catalog.client.get(f"/api/v1/programs/{pid}")).json()
    assert (shown["rating"], shown["reviews"]) == (4.0, 1)


async def test_how_will_this_be_paid(catalog):
    provider = await announce_provider(catalog)
    certified = await publish_program(catalog, provider, program("Робототехника"), certify=True)
    teens = await publish_program(catalog, provider, program("Стартапы", min_age=14, max_age=17))
    kid = (await _children(catalog, 1))[0]
    parent = catalog.tokens.headers("parent", subject=kid["owner"])

    async def cost(pid):
        r = await catalog.client.get(f"/api/v1/groups/{await _group_of(catalog, pid)}/cost",
                                     params={"child_id": str(kid["child_id"])}, headers=parent)
        assert r.status_code == 200, r.text
        return r.json()

    by_certificate = await cost(certified)
    assert by_certificate["payment"] == "certificate" and by_certificate["total_kop"] == 18_000_00
    # 72 hours × 180 ₽ normative rate for a technical program: the certificate pays 12 960 ₽, the family the rest
    assert sum(m["certificate_kop"] for m in by_certificate["monthly"]) == 12_960_00
    assert sum(m["copay_kop"] for m in by_certificate["monthly"]) == 5_040_00
    too_young = await cost(teens)
    assert (too_young["payment"], too_young["reasons"]) == ("impossible", ["age_out_of_range"])
    assert too_young["reasons_ru"] == ["Возраст ребёнка не подходит для этой программы"]
    from pfdo_events.certificates import BalanceChanged
    news = BalanceChanged(certificate_id=kid["certificate_id"], status="active", kind="funded", available_kop=1_000_00,
                          period_year=TODAY.year, free_left={"significant": 0, "preprofessional": 1, "other": 1})
    await publish(catalog.settings.amqp_url, _names(catalog), Envelope.wrap(news, district="test-district"))

    async def exhausted() -> bool:
        return (await cost(certified))["reasons"] == ["certificate_exhausted"]
    await eventually(exhausted, what="the certificate's balance reaching the catalog")
    assert (await cost(certified))["payment"] == "impossible"

    stranger = await catalog.client.get(f"/api/v1/groups/{await _group_of(catalog, certified)}/cost",
                                        params={"child_id": str(kid["child_id"])},
                                        headers=catalog.tokens.headers("parent", subject="someone-else"))
    assert stranger.status_code == 404


async def test_program_enrollment_limit_counts_seats_across_groups(catalog):
    provider = await announce_provider(catalog)
    pid = await publish_program(catalog, provider, program("Мини-футбол", enrollment_limit=2), capacity=5)
    staff = catalog.tokens.headers("provider", provider_id=provider)
    module = (await catalog.client.get(f"/api/v1/programs/{pid}")).json()["modules"][0]["id"]
    second_group = (await catalog.client.post(f"/api/v1/programs/{pid}/groups", headers=staff, json={
        "module_id": module, "venue": "стадион", "teacher": "Коков А. Б.", "capacity": 5,
        "schedule": [{"weekday": 5, "starts_at": "10:00", "minutes": 60}],
        "starts_on": TODAY.isoformat(), "ends_on": (TODAY + timedelta(days=90)).isoformat()})).json()["id"]
    kids = await _children(catalog, 3)
    groups = [await _group_of(catalog, pid), second_group, second_group]
    apps = [(await _apply(catalog, k, g)).json()["id"] for k, g in zip(kids, groups)]
    statuses = [(await catalog.client.post(f"/api/v1/applications/{a}/accept", headers=staff)).json()["status"]
                for a in apps]
    assert statuses == ["accepted", "accepted", "waitlisted"]


async def test_a_repeated_write_with_the_same_idempotency_key_returns_the_first_answer(catalog):
    provider = await announce_provider(catalog)
    group = await _group_of(catalog, await publish_program(catalog, provider, program("Кикбоксинг"), capacity=1))
    first, second = await _children(catalog, 2)
    parent = {**catalog.tokens.headers("parent", subject=first["owner"]), "Idempotency-Key": "apply-1"}
    body = {"group_id": group, "certificate_id": str(first["certificate_id"])}
    answers = await asyncio.gather(*(catalog.client.post("/api/v1/applications", json=body, headers=parent)
                                     for _ in range(5)))
    assert {r.status_code for r in answers} == {201} and len({r.json()["id"] for r in answers}) == 1
    assert await count_rows(catalog.database_url, "applications") == 1

    app = answers[0].json()["id"]
    other = (await _apply(catalog, second, group)).json()["id"]
    staff = {**catalog.tokens.headers("provider", provider_id=provider), "Idempotency-Key": "accept-1"}
    again = [await catalog.client.post(f"/api/v1/applications/{app}/accept", headers=staff) for _ in range(3)]
    assert [r.json()["status"] for r in again] == ["accepted"] * 3
    assert again[1].headers.get("idempotent-replayed") == "true"
    reused = await catalog.client.post(f"/api/v1/applications/{other}/accept", headers=staff)
    assert (reused.status_code, reused.json()["field"]) == (422, "Idempotency-Key")
    async with catalog.app.state.runtime.sessions() as s:
        assert (await s.get(Group, uuid.UUID(group))).taken == 1


async def test_a_suspended_certificate_cannot_apply(catalog):
    from pfdo_events.certificates import BalanceChanged

    provider = await announce_provider(catalog)
    group = await _group_of(catalog, await publish_program(catalog, provider, program("Вольная борьба")))
    kid = (await _children(catalog, 1))[0]
    news = BalanceChanged(certificate_id=kid["certificate_id"], status="suspended", available_kop=0,
                          period_year=None, free_left={})
    await publish(catalog.settings.amqp_url, _names(catalog), Envelope.wrap(news, district="test-district"))

    async def suspended() -> bool:
        async with catalog.app.state.runtime.sessions() as s:
            return (await s.get(CertificateCopy, kid["certificate_id"])).status == "suspended"
    await eventually(suspended, what="the suspension reaching the catalog")
    refused = await _apply(catalog, kid, group)
    assert (refused.status_code, refused.json()["type"]) == (409, "urn:pfdo:problem:certificate-inactive")
    assert await count_rows(catalog.database_url, "applications") == 0


async def test_an_accounting_certificate_is_not_exhausted_it_is_funded_on_first_enrollment(catalog):
    from pfdo_events.certificates import BalanceChanged

    provider = await announce_provider(catalog)
    certified = await publish_program(catalog, provider, program("Робототехника"), certify=True)
    kid = (await _children(catalog, 1))[0]
    parent = catalog.tokens.headers("parent", subject=kid["owner"])
    news = BalanceChanged(certificate_id=kid["certificate_id"], status="active", kind="accounting", available_kop=0,
                          period_year=TODAY.year, free_left={"significant": 1, "preprofessional": 1, "other": 1})
    await publish(catalog.settings.amqp_url, _names(catalog), Envelope.wrap(news, district="test-district"))
    path = f"/api/v1/groups/{await _group_of(catalog, certified)}/cost"

    async def known() -> bool:
        async with catalog.app.state.runtime.sessions() as session:
            return (await session.get(CertificateCopy, kid["certificate_id"])).balance_at is not None
    await eventually(known, what="the balance reaching the catalog")
    cost = (await catalog.client.get(path, params={"child_id": str(kid["child_id"])}, headers=parent)).json()
    assert cost["payment"] == "certificate" and cost["reasons"] == []


async def test_a_batch_of_balance_news_reaches_every_certificate(catalog):
    from pfdo_events.certificates import BalanceChanged, BalancesChanged

    kids = await _children(catalog, 3)
    news = BalancesChanged(balances=[
        BalanceChanged(certificate_id=k["certificate_id"], status="active", kind="funded", available_kop=100 * (i + 1),
                       period_year=TODAY.year, free_left={"significant": i, "preprofessional": 0, "other": 0})
        for i, k in enumerate(kids)])
    await publish(catalog.settings.amqp_url, _names(catalog), Envelope.wrap(news, district="test-district"))

    async def taken() -> bool:
        async with catalog.app.state.runtime.sessions() as session:
            copies = [await session.get(CertificateCopy, k["certificate_id"]) for k in kids]
            return [c.available_kop for c in copies] == [100, 200, 300]
    await eventually(taken, what="every certificate's balance in the catalog")


async def test_the_decision_deadline_follows_the_production_calendar(catalog):
    provider = await announce_provider(catalog)
    group = await _group_of(catalog, await publish_program(catalog, provider, program("Каллиграфия")))
    kid = (await _children(catalog, 1))[0]
    catalog.app.state.clock.pin(date(2025, 12, 29))
    applied = await _apply(catalog, kid, group)
    assert (applied.status_code, applied.json()["decide_by"]) == (201, "2026-01-19")  # not 2026-01-07


async def test_what_the_payment_check_calls_impossible_is_refused_at_once_with_its_reasons(catalog):
    """`POST /applications` refuses what `GET /groups/{id}/cost` calls impossible, with the same
    reasons, and writes nothing; a full group still takes the application for the waitlist."""
    from pfdo_events.certificates import BalanceChanged

    provider = await announce_provider(catalog)
    certified = await _group_of(catalog, await publish_program(catalog, provider, program("Робототехника"),
                                                               certify=True))
    teens = await _group_of(catalog, await publish_program(catalog, provider, program(
        "Программирование", min_age=14, max_age=17), certify=True))
    free = await _group_of(catalog, await publish_program(catalog, provider, program(
        "Краеведение", free_registers=["significant"])))
    kid, other = await _children(catalog, 2)
    parent = catalog.tokens.headers("parent", subject=kid["owner"])
    news = BalanceChanged(certificate_id=kid["certificate_id"], status="active", kind="funded", available_kop=1_000_00,
                          period_year=TODAY.year, free_left={"significant": 0, "preprofessional": 1, "other": 1})
    await publish(catalog.settings.amqp_url, _names(catalog), Envelope.wrap(news, district="test-district"))

    async def cost(group_id: str) -> dict:
        r = await catalog.client.get(f"/api/v1/groups/{group_id}/cost", params={"child_id": str(kid["child_id"])},
                                     headers=parent)
        return r.json()

    async def known() -> bool:
        return (await cost(free))["payment"] == "impossible"
    await eventually(known, what="the certificate's balance reaching the catalog")
    await catalog.events.drain()

    for group, status, first in ((certified, 409, "certificate-exhausted"), (free, 409, "free-limit-reached"),
                                 (teens, 422, "age-out-of-range")):
        said = await cost(group)
        assert said["payment"] == "impossible"
        refused = await _apply(catalog, kid, group)
        body = refused.json()
        assert (refused.status_code, body["type"]) == (status, f"urn:pfdo:problem:{first}"), body
        assert refused.headers["content-type"] == "application/problem+json"
        assert [e["message"] for e in body["errors"]] == said["reasons_ru"]
        assert body["title"] == said["reasons_ru"][0]
    teens_said = await cost(teens)  # two reasons at once: both are named
    assert teens_said["reasons"] == ["age_out_of_range", "certificate_exhausted"]
    assert [e["field"] for e in (await _apply(catalog, kid, teens)).json()["errors"]] == ["group_id", "certificate_id"]
    assert await count_rows(catalog.database_url, "applications") == 0
    assert [e for e in await catalog.events.drain() if e["routing_key"].startswith("catalog.application.")] == []

    # A full group is no refusal: the application is taken and waits for a seat.
    full = await _group_of(catalog, await publish_program(catalog, provider, program("Лепка"), capacity=1))
    staff = catalog.tokens.headers("provider", provider_id=provider)
    first_app = (await _apply(catalog, other, full)).json()["id"]
    assert (await catalog.client.post(f"/api/v1/applications/{first_app}/accept", headers=staff)).json()["status"] \
        == "accepted"
    assert (await cost(full))["reasons"] == ["no_seats"]
    waiting = await _apply(catalog, kid, full)
    assert waiting.status_code == 201, waiting.text
    assert (await catalog.client.post(f"/api/v1/applications/{waiting.json()['id']}/accept",
                                      headers=staff)).json()["status"] == "waitlisted"


async def test_a_certificate_whose_activation_has_not_arrived_yet_is_not_refused_the_authority_decides(catalog):
    """The catalog's copy may be behind: an issued certificate whose activation event is held back
    still takes the application; certificates decides at reservation and the saga tells the family.
    A copy that says closed still refuses at once."""
    from pfdo_events.certificates import CertificateClosed, CertificateIssued

    provider = await announce_provider(catalog)
    group = await _group_of(catalog, await publish_program(catalog, provider, program("Скалолазание")))
    pending = {"certificate_id": uuid.uuid4(), "child_id": uuid.uuid4(), "owner": "parent-pending"}
    closed = {"certificate_id": uuid.uuid4(), "child_id": uuid.uuid4(), "owner": "parent-closed"}
    await publish(catalog.settings.amqp_url, _names(catalog), *(Envelope.wrap(CertificateIssued(
        certificate_id=k["certificate_id"], child_id=k["child_id"], owner=k["owner"],
        birth_date=TODAY.replace(year=TODAY.year - 9, day=1), number="0700000012", municipality="chegem"),
        district="test-district") for k in (pending, closed)))  # CertificateActivated is held back
    await publish(catalog.settings.amqp_url, _names(catalog), Envelope.wrap(CertificateClosed(
        certificate_id=closed["certificate_id"], child_id=closed["child_id"], reason="moved", expired_kop=0),
        district="test-district"))

    async def known() -> bool:
        async with catalog.app.state.runtime.sessions() as s:
            p, c = [await s.get(CertificateCopy, k["certificate_id"]) for k in (pending, closed)]
            return (p is not None and p.status == "pending_verification" and c is not None
                    and c.status == "closed")
    await eventually(known, what="the issued and the closed certificate reaching the catalog")

    parent = catalog.tokens.headers("parent", subject=pending["owner"])
    cost = await catalog.client.get(f"/api/v1/groups/{group}/cost", params={"child_id": str(pending["child_id"])},
                                    headers=parent)
    assert cost.status_code == 200 and cost.json()["payment"] != "impossible"
    assert "certificate_awaiting_activation" in cost.json()["reasons"]

    taken = await _apply(catalog, pending, group)
    assert (taken.status_code, taken.json()["status"]) == (201, "submitted"), taken.text
    app = taken.json()["id"]
    staff = catalog.tokens.headers("provider", provider_id=provider)
    accepted = await catalog.client.post(f"/api/v1/applications/{app}/accept", headers=staff)
    assert accepted.json()["status"] == "accepted"
    assert app in [e["payload"]["application_id"]
                   for e in await _published(catalog, "catalog.application.accepted.v1", 1)]

    refused = FundsReservationFailed(application_id=app, certificate_id=pending["certificate_id"],
                                     reason="certificate_inactive",
                                     reason_ru="Сертификат не активен: обратитесь в муниципальный опорный центр")
    await publish(catalog.settings.amqp_url, _names(catalog), Envelope.wrap(refused, district="test-district"))

    async def rejected() -> bool:
        mine = (await catalog.client.get("/api/v1/applications", headers=parent)).json()["items"]
        return mine[0]["status"] == "rejected"
    await eventually(rejected, what="the application rejected by the authority's refusal")
    mine = (await catalog.client.get("/api/v1/applications", headers=parent)).json()["items"]
    assert mine[0]["reason"] == "Сертификат не активен: обратитесь в муниципальный опорный центр"

    at_once = await _apply(catalog, closed, group)
    assert (at_once.status_code, at_once.json()["type"]) == (409, "urn:pfdo:problem:certificate-inactive")
    assert await count_rows(catalog.database_url, "applications") == 1


async def test_a_contract_accepted_after_its_group_started_pays_from_its_own_start(catalog):
    from pfdo_kit.calendar import first_day, last_day, month_of, months_between
    from pfdo_kit.money import div_half_up

    provider = await announce_provider(catalog)
    group = await _group_of(catalog, await publish_program(catalog, provider, program("Гончарное дело"), weekday=0))
    kid = (await _children(catalog, 1))[0]
    app = (await _apply(catalog, kid, group)).json()["id"]
    # The group began today on Mondays; the provider accepts on the 20th of the next month.
    joined = (last_day(month_of(TODAY)) + timedelta(days=1)).replace(day=20)
    catalog.app.state.clock.pin(joined)
    staff = catalog.tokens.headers("provider", provider_id=provider)
    assert (await catalog.client.post(f"/api/v1/applications/{app}/accept", headers=staff)).json()["status"] == "accepted"

    event = (await _published(catalog, "catalog.application.accepted.v1", 1))[0]["payload"]
    months = event["months"]
    mondays = [first_day(month_of(joined)) + timedelta(days=d) for d in range(31)]
    mondays = [d for d in mondays if d.month == joined.month and d.weekday() == 0]
    own = sum(d >= joined for d in mondays)
    assert event["starts_on"] == joined.isoformat()
    assert months[0]["month"] == month_of(joined) and month_of(TODAY) not in [m["month"] for m in months]
    assert months[0]["planned_lessons"] == own  # not every Monday of the month
    whole = div_half_up(18_000_00, len(months_between(TODAY, TODAY + timedelta(days=200))))  # a full month's price
    assert months[0]["certificate_kop"] + months[0]["copay_kop"] in {  # both parts cut half up
        div_half_up(whole * own, len(mondays)) + d for d in (-1, 0, 1)}


async def test_a_providers_inbox_sorted_by_deadline_starts_with_the_most_urgent(catalog):
    provider = await announce_provider(catalog, name="ДДТ «Срочно»")
    staff = catalog.tokens.headers("provider", provider_id=provider)
    group = await _group_of(catalog, await publish_program(catalog, provider, program("Оригами")))
    kids = await _children(catalog, 3, owner_prefix="urgent")
    ids = []
    for kid in kids:
        applied = await _apply(catalog, kid, group)
        assert applied.status_code == 201, applied.text
        ids.append(applied.json()["id"])
    async with catalog.app.state.runtime.sessions() as session, session.begin():
        for app_id, days in zip(ids, (5, 2, 2), strict=True):  # the first applied is the least urgent
            await session.execute(update(Application).where(Application.id == uuid.UUID(app_id))
                                  .values(decide_by=TODAY + timedelta(days=days)))

    async def order(**params) -> list[str]:
        r = await catalog.client.get("/api/v1/applications", headers=staff, params=params)
        assert r.status_code == 200, r.text
        return [i["id"] for i in r.json()["items"]]
    assert await order() == await order(sort="newest") == ids[::-1]
    assert await order(sort="deadline") == [ids[1], ids[2], ids[0]]
    assert await order(sort="deadline", page_size=1) == [ids[1]]
    bad = await catalog.client.get("/api/v1/applications", headers=staff, params={"sort": "oldest"})
    assert (bad.status_code, bad.json()["field"]) == (422, "sort")
