"""Contracts and attendance in the billing service, driven by real events on the bus."""
from __future__ import annotations

import asyncio
import uuid
from datetime import date

from sqlalchemy import func, select

from pfdo_kit.calendar import last_day, month_of
from services.billing.models import AttendanceChange, Contract
from tests.support.billing_events import accepted, bus_names_of, reserved
from tests.support.service_app import publish
from tests.support.waiting import eventually

MONTHS = {"2026-09": (300_00, 5), "2026-10": (300_00, 4), "2026-11": (300_00, 4)}


async def contract_status(svc, contract_id) -> str | None:
    async with svc.app.state.runtime.sessions() as session:
        contract = await session.get(Contract, uuid.UUID(str(contract_id)))
        return contract.status if contract else None


async def wait_status(svc, contract_id, status: str) -> None:
    async def reached() -> bool:
        return await contract_status(svc, contract_id) == status
    await eventually(reached, timeout_s=30, what=f"contract {status}")


async def wait_events(svc, routing_key: str, n: int = 1) -> list[dict]:
    got: list[dict] = []

    async def arrived() -> bool:
        got.extend(e for e in await svc.events.drain(wait_s=0.2) if e["routing_key"] == routing_key)
        return len(got) >= n
    await eventually(arrived, timeout_s=20, what=f"{n} × {routing_key}")
    return got


async def offered_contract(svc, provider_id: uuid.UUID, owner: str = "mother", **kw) -> tuple[str, dict]:
    application = accepted(certificate_id=uuid.uuid4(), child_id=uuid.uuid4(), owner=owner, provider_id=provider_id,
                           months=MONTHS, starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 30), **kw)
    await publish(svc.settings.amqp_url, bus_names_of(svc), application, reserved(application))
    contract_id = application.payload["application_id"]
    await wait_status(svc, contract_id, "offered")
    return contract_id, application.payload


async def test_only_the_family_that_applied_signs_and_signing_twice_changes_nothing(billing):
    svc, t = billing, billing.tokens
    svc.app.state.clock.pin(date(2026, 9, 2))
    provider = uuid.uuid4()
    # The reservation may arrive before the acceptance: the contract is offered all the same.
    application = accepted(certificate_id=uuid.uuid4(), child_id=uuid.uuid4(), provider_id=provider, months=MONTHS,
                           starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 30))
    contract_id = application.payload["application_id"]
    await publish(svc.settings.amqp_url, bus_names_of(svc), reserved(application))
    await publish(svc.settings.amqp_url, bus_names_of(svc), application)
    await wait_status(svc, contract_id, "offered")

    path = f"/api/v1/contracts/{contract_id}"
    assert (await svc.client.post(path + "/sign", headers=t.headers("parent", subject="stranger"))).status_code == 404
    assert (await svc.client.post(path + "/sign", headers=t.headers("provider", provider_id=provider))).status_code == 403
    assert (await svc.client.post(path + "/sign")).status_code == 401
    signed = await svc.client.post(path + "/sign", headers=t.headers("parent", subject="mother"))
    assert signed.status_code == 200, signed.text
    body = signed.json()
    assert body["status"] == "signed" and body["signed_on"] == "2026-09-02" and body["number"].startswith("ДС-2026-")
    assert [m["certificate_kop"] for m in body["months"]] == [300_00] * 3
    again = await svc.client.post(path + "/sign", headers=t.headers("parent", subject="mother"))
    assert again.status_code == 200 and again.json()["signed_on"] == "2026-09-02"

    seen: list[dict] = []

    async def signed_seen() -> bool:
        seen.extend(await svc.events.drain(wait_s=0.2))
        return "billing.contract.signed.v1" in [e["routing_key"] for e in seen]
    await eventually(signed_seen, timeout_s=20, what="the signature event")
    await asyncio.sleep(1.0)
    seen.extend(await svc.events.drain())
    by_key = {}
    for e in seen:
        by_key.setdefault(e["routing_key"], []).append(e["payload"])
    [offered], [signed_news] = by_key["billing.contract.offered.v1"], by_key["billing.contract.signed.v1"]
    assert (offered["program_title"], offered["provider_name"]) == ("Шахматы для начинающих", "ДЮСШ «Старт»")
    assert (signed_news["owner"], signed_news["number"], signed_news["program_title"]) == (
        "mother", body["number"], "Шахматы для начинающих")

    mine = (await svc.client.get("/api/v1/contracts", headers=t.headers("parent", subject="mother"))).json()
    theirs = (await svc.client.get("/api/v1/contracts", headers=t.headers("parent", subject="stranger"))).json()
    assert [c["id"] for c in mine["items"]] == [contract_id] and mine["total"] == 1
    assert theirs["items"] == [] and theirs["total"] == 0


async def test_a_refused_reservation_voids_the_draft_and_it_cannot_be_signed(billing):
    from pfdo_events import Envelope
    from pfdo_events.certificates import FundsReservationFailed

    svc = billing
    application = accepted(certificate_id=uuid.uuid4(), child_id=uuid.uuid4(), provider_id=uuid.uuid4(),
                           months=MONTHS, starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 30))
    p = application.payload
    refused = Envelope.wrap(FundsReservationFailed(application_id=p["application_id"], certificate_id=p["certificate_id"],
                                                   reason="insufficient_funds", reason_ru="Недостаточно средств"),
                            district="test-district")
    await publish(svc.settings.amqp_url, bus_names_of(svc), application, refused)
    await wait_status(svc, p["application_id"], "void")
    r = await svc.client.post(f"/api/v1/contracts/{p['application_id']}/sign",
                              headers=svc.tokens.headers("parent", subject="mother"))
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")


async def test_attendance_only_for_enrolled_children_on_past_lesson_days_with_history(billing):
    svc, t = billing, billing.tokens
    provider, group = uuid.uuid4(), uuid.uuid4()
    svc.app.state.clock.pin(date(2026, 9, 1))
    contract_id, p = await offered_contract(svc, provider, group_id=group)
    await svc.client.post(f"/api/v1/contracts/{contract_id}/sign", headers=t.headers("parent", subject="mother"))
    svc.app.state.clock.pin(date(2026, 9, 10))
    mark = f"/api/v1/groups/{group}/attendance"
    staff = t.headers("provider", provider_id=provider)
    child = p["child_id"]

    def post(body, headers=staff):
        return svc.client.post(mark, json=body, headers=headers)

    future = await post({"lesson_date": "2026-09-15", "present": [child]})
    assert future.status_code == 422 and future.json()["field"] == "lesson_date"
    wednesday = await post({"lesson_date": "2026-09-09", "present": [child]})
    assert wednesday.status_code == 422 and wednesday.json()["field"] == "lesson_date"
    stranger = await post({"lesson_date": "2026-09-08", "present": [str(uuid.uuid4())]})
    assert stranger.status_code == 422 and stranger.json()["field"] == "present[0]"
    other_provider = await post({"lesson_date": "2026-09-08", "present": [child]},
                                t.headers("provider", provider_id=uuid.uuid4()))
    assert other_provider.status_code == 404

    assert (await post({"lesson_date": "2026-09-08", "present": [child]})).status_code == 200
    corrected = await post({"lesson_date": "2026-09-08", "absent": [child]})
    assert corrected.status_code == 200 and corrected.json()["marked"][0]["attended"] == 0
    await post({"lesson_date": "2026-09-01", "present": [child]})
    roster = (await svc.client.get(mark, params={"month": "2026-09"}, headers=staff)).json()
    assert roster["total"] == 1
    assert [(m["lesson_date"], m["present"]) for m in roster["items"][0]["marks"]] == [("2026-09-01", True),
                                                                                      ("2026-09-08", False)]
    async with svc.app.state.runtime.sessions() as session:
        history = await session.scalar(select(func.count()).select_from(AttendanceChange))
    assert history == 3  # the mark, its correction, the other lesson


async def test_termination_keeps_what_months_up_to_the_end_may_still_cost(billing):
    svc, t = billing, billing.tokens
    provider = uuid.uuid4()
    svc.app.state.clock.pin(date(2026, 9, 1))
    contract_id, _ = await offered_contract(svc, provider)
    await svc.client.post(f"/api/v1/contracts/{contract_id}/sign", headers=t.headers("parent", subject="mother"))
    await svc.events.drain()
    path = f"/api/v1/contracts/{contract_id}/terminate"
    svc.app.state.clock.pin(date(2026, 9, 20))
    past = await svc.client.post(path, json={"terminated_on": "2026-09-19", "reason": "переезд"},
                                 headers=t.headers("parent", subject="mother"))
    assert past.status_code == 422 and past.json()["field"] == "terminated_on"
    foreign = await svc.client.post(path, json={"terminated_on": "2026-10-15", "reason": "переезд"},
                                    headers=t.headers("provider", provider_id=uuid.uuid4()))
    assert foreign.status_code == 404
    ended = await svc.client.post(path, json={"terminated_on": "2026-10-15", "reason": "переезд"},
                                  headers=t.headers("parent", subject="mother"))
    assert ended.status_code == 200 and ended.json()["status"] == "terminated"
    twice = await svc.client.post(path, json={"terminated_on": "2026-10-20", "reason": "переезд"},
                                  headers=t.headers("parent", subject="mother"))
    assert twice.status_code == 409

    [terminated] = await wait_events(svc, "billing.contract.terminated.v1")
    assert terminated["payload"]["keep_kop"] == 600_00  # September and October; November is released
    news = terminated["payload"]
    assert (news["owner"], news["reason"], news["was_signed"], news["program_title"]) == (
        "mother", "переезд", True, "Шахматы для начинающих")
    assert news["number"].startswith("ДС-2026-")
    async with svc.app.state.runtime.sessions() as session:
        contract = await session.get(Contract, uuid.UUID(contract_id))
    assert (contract.last_month, contract.released_kop, contract.closed_out) == ("2026-10", 300_00, False)


async def test_a_terminated_contract_is_charged_up_to_its_date_and_never_after(billing):
    import asyncio

    from services.billing.jobs.month_close import drive_month
    from services.billing.models import ChargeRow

    svc, t = billing, billing.tokens
    provider, group = uuid.uuid4(), uuid.uuid4()
    svc.app.state.clock.pin(date(2026, 9, 1))
    contract_id, p = await offered_contract(svc, provider, group_id=group)
    await svc.client.post(f"/api/v1/contracts/{contract_id}/sign", headers=t.headers("parent", subject="mother"))
    staff, child = t.headers("provider", provider_id=provider), p["child_id"]
    mark = f"/api/v1/groups/{group}/attendance"
    svc.app.state.clock.pin(date(2026, 10, 14))
    for day in ("2026-10-06", "2026-10-13"):
        assert (await svc.client.post(mark, json={"lesson_date": day, "present": [child]}, headers=staff)).status_code == 200
    ended = await svc.client.post(f"/api/v1/contracts/{contract_id}/terminate", headers=staff,
                                  json={"terminated_on": "2026-10-14", "reason": "Ребёнок перестал ходить"})
    assert ended.status_code == 200
    svc.app.state.clock.pin(date(2026, 10, 21))
    late = await svc.client.post(mark, json={"lesson_date": "2026-10-20", "present": [child]}, headers=staff)
    assert late.status_code == 422 and late.json()["field"] == "present[0]"

    operator = t.headers("operator", municipality="chegem")
    svc.app.state.clock.pin(date(2026, 12, 1))
    skipped = await svc.client.post("/api/v1/municipalities/chegem/months/2026-10/close", headers=operator)
    assert skipped.status_code == 409 and "2026-09" in skipped.json()["title"]  # months close in order
    for month in ("2026-09", "2026-10", "2026-11"):
        closing = await svc.client.post(f"/api/v1/municipalities/chegem/months/{month}/close", headers=operator)
        assert closing.status_code == 202
    rt = svc.app.state.runtime
    await asyncio.gather(*(drive_month(rt.sessions, rt.outbox, rt.clock, m, "chegem", 1000)
                           for m in ("2026-10", "2026-10", "2026-11")))

    async def posted() -> bool:
        async with rt.sessions() as session:
            rows = (await session.execute(select(ChargeRow).where(ChargeRow.batch_id.is_(None)))).scalars().all()
            november = await svc.client.get("/api/v1/municipalities/chegem/months/2026-11", headers=operator)
            return not rows and len(november.json()) > 0
    await eventually(posted, what="every charge posted")
    async with rt.sessions() as session:
        rows = (await session.execute(select(ChargeRow.month, ChargeRow.amount_kop, ChargeRow.release_kop,
                                             ChargeRow.final).order_by(ChargeRow.month))).all()
    # September: nothing attended, its share goes back. October: 2 of 4 lessons before the end,
    # and it is the last month: the rest goes back with it. November: nothing.
    assert [tuple(r) for r in rows] == [("2026-09", 0, 300_00, False), ("2026-10", 150_00, 150_00, True)]
    posted_events = await wait_events(svc, "billing.charges.posted.v1", 2)
    posted_events += [e for e in await svc.events.drain(wait_s=1.0) if e["routing_key"] == "billing.charges.posted.v1"]
    charge_ids = [c["charge_id"] for e in posted_events for c in e["payload"]["charges"]]
    assert len(charge_ids) == len(set(charge_ids)) == 2  # three drivers at once, each charge sent once


async def test_a_suspended_provider_s_contracts_finish_the_month_and_unsigned_offers_end_now(billing):
    from tests.support.billing_events import provider_event

    svc, t = billing, billing.tokens
    provider = uuid.uuid4()
    svc.app.state.clock.pin(date(2026, 9, 1))
    signed, _ = await offered_contract(svc, provider, owner="mother")
    unsigned, _ = await offered_contract(svc, provider, owner="father")
    await svc.client.post(f"/api/v1/contracts/{signed}/sign", headers=t.headers("parent", subject="mother"))
    suspended = provider_event("suspended", provider)
    await publish(svc.settings.amqp_url, bus_names_of(svc), provider_event("approved", provider), suspended)
    await wait_status(svc, signed, "terminated")
    await wait_status(svc, unsigned, "void")
    async with svc.app.state.runtime.sessions() as session:
        contract = await session.get(Contract, uuid.UUID(signed))
    suspended_on = svc.app.state.clock.local(suspended.occurred_at).date()  # the district's day of the event
    assert contract.terminated_on == min(last_day(month_of(suspended_on)), contract.ends_on)
    assert contract.terminated_by == "system" and contract.end_reason == "Поставщик приостановлен"
    terminations = await wait_events(svc, "billing.contract.terminated.v1", 2)
    ended = {e["payload"]["contract_id"]: e["payload"] for e in terminations}
    assert (ended[signed]["was_signed"], ended[signed]["reason"]) == (True, "Поставщик приостановлен")
    assert (ended[unsigned]["was_signed"], ended[unsigned]["owner"]) == (False, "father"), "an offer withdrawn"
