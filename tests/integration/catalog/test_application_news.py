"""What the catalog tells the platform of an application's life, for the families' and the
providers' notices: whose it is and which program, on every move someone should hear of —
submitted, waitlisted, rejected, cancelled, a seat offered from the queue, and both kinds of
expiry (an offer not confirmed, a decision not made)."""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from services.catalog.jobs.sweeper import sweep_once
from tests.integration.catalog.conftest import announce_provider
from tests.integration.catalog.test_applications import _apply, _children, _group_of
from tests.integration.catalog.test_programs_and_search import program, publish_program
from tests.support.waiting import eventually


class News:
    """Every event the service published, kept (the tap hands each out once)."""

    def __init__(self, svc) -> None:
        self.svc, self.seen, self.taken = svc, [], set()

    async def next(self, routing_key: str, n: int) -> list[dict]:
        """The next n events of this kind not handed out yet, once they are out."""
        def fresh() -> list[dict]:
            return [e for e in self.seen if e["routing_key"] == routing_key and e["message_id"] not in self.taken]

        async def enough() -> bool:
            self.seen.extend(await self.svc.events.drain())
            return len(fresh()) >= n
        await eventually(enough, what=f"{n} × {routing_key} published")
        found = fresh()[:n]
        self.taken.update(e["message_id"] for e in found)
        return found

    async def left_over(self) -> list[str]:
        """Application news published but never handed out (the acceptances aside)."""
        self.seen.extend(await self.svc.events.drain())
        return [e["routing_key"] for e in self.seen if e["message_id"] not in self.taken
                and e["routing_key"].startswith("catalog.application.") and ".accepted." not in e["routing_key"]]


async def test_every_move_a_person_should_hear_of_names_the_family_the_provider_and_the_program(catalog):
    c, t = catalog.client, catalog.tokens
    provider = await announce_provider(catalog)
    group = await _group_of(catalog, await publish_program(catalog, provider, program("Шахматы"), capacity=1))
    kids = await _children(catalog, 5)
    news = News(catalog)
    staff = t.headers("provider", provider_id=provider)
    apps = [(await _apply(catalog, k, group)).json() for k in kids]
    ids = [a["id"] for a in apps]

    submitted = {e["payload"]["application_id"]: e["payload"]
                 for e in await news.next("catalog.application.submitted.v1", 5)}
    assert submitted[ids[0]] | {"application_id": None, "child_id": None, "certificate_id": None, "group_id": None} == {
        "application_id": None, "child_id": None, "certificate_id": None, "group_id": None,
        "provider_id": str(provider), "owner": kids[0]["owner"], "program_title": "Шахматы",
        "decide_by": apps[0]["decide_by"]}

    assert [(await c.post(f"/api/v1/applications/{a}/accept", headers=staff)).json()["status"]
            for a in ids[:3]] == ["accepted", "waitlisted", "waitlisted"]
    waitlisted = await news.next("catalog.application.waitlisted.v1", 2)
    assert [(e["payload"]["application_id"], e["payload"]["owner"]) for e in waitlisted] == [
        (ids[1], kids[1]["owner"]), (ids[2], kids[2]["owner"])]

    rejected = await c.post(f"/api/v1/applications/{ids[3]}/reject", headers=staff, json={"reason": "Группа набрана"})
    assert rejected.json()["status"] == "rejected"
    [refusal] = await news.next("catalog.application.rejected.v1", 1)
    assert (refusal["payload"]["application_id"], refusal["payload"]["owner"], refusal["payload"]["reason"],
            refusal["payload"]["program_title"], refusal["payload"]["provider_id"]) == (
        ids[3], kids[3]["owner"], "Группа набрана", "Шахматы", str(provider))

    # The first family withdraws: the provider hears of it, the first in the queue is offered the seat.
    await c.post(f"/api/v1/applications/{ids[0]}/cancel", headers=t.headers("parent", subject=kids[0]["owner"]))
    [cancelled] = await news.next("catalog.application.cancelled.v1", 1)
    assert (cancelled["payload"]["owner"], cancelled["payload"]["provider_id"], cancelled["payload"]["program_title"],
            cancelled["payload"]["was_accepted"]) == (kids[0]["owner"], str(provider), "Шахматы", True)
    [offered] = await news.next("catalog.application.seat_offered.v1", 1)
    assert (offered["payload"]["application_id"], offered["payload"]["owner"]) == (ids[1], kids[1]["owner"])
    until = datetime.fromisoformat(offered["payload"]["offered_until"])
    assert timedelta(hours=catalog.settings.offer_hours - 1) < until - datetime.now(UTC) \
        <= timedelta(hours=catalog.settings.offer_hours)

    # A month later: the offer lapsed (the seat passes on) and the undecided application expired.
    catalog.app.state.clock.pin(datetime.now(UTC) + timedelta(days=30))
    assert await sweep_once(catalog.app.state.runtime) == 2
    expired = {e["payload"]["application_id"]: e["payload"]
               for e in await news.next("catalog.application.expired.v1", 2)}
    assert {a: (p["reason"], p["owner"], p["program_title"]) for a, p in expired.items()} == {
        ids[1]: ("offer_not_confirmed", kids[1]["owner"], "Шахматы"),
        ids[4]: ("not_decided", kids[4]["owner"], "Шахматы")}
    [passed_on] = await news.next("catalog.application.seat_offered.v1", 1)
    assert passed_on["payload"]["application_id"] == ids[2]
    await asyncio.sleep(1)
    assert await news.left_over() == [], "each move told once"
