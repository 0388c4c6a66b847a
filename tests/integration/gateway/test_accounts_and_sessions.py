"""The gateway's accounts as the platform hears of them (events staged with the change), the
password reset by mail through the notifications service and its SMTP sink, and logging out."""
from __future__ import annotations

import asyncio
import re
import uuid
from datetime import timedelta
from urllib.parse import unquote

from sqlalchemy import select

from gateway.jobs.announce_accounts import announce_all
from pfdo_events import Envelope
from pfdo_events.registry import ProviderApproved, ProviderSnapshot
from services.notifications.models import Contact
from tests.integration.gateway.conftest import NAVIGATOR
from tests.support.service_app import publish
from tests.support.waiting import eventually

PARENT = {"email": "Anna@Example.ru", "phone": "+7 928 000-00-01", "password": "river-stone-42",
          "municipality": "chegem", "full_name": "Анна Иванова"}
NEW_PASSWORD = "new-river-stone-43"
LINK = re.compile(re.escape(NAVIGATOR) + r"/password-reset\?token=(\S+)")


def _events(drained: list[dict], routing_key: str) -> list[dict]:
    return [e["payload"] for e in drained if e["routing_key"] == routing_key]


async def _published(world, routing_key: str, count: int) -> list[dict]:
    """The gateway's events of this kind, once `count` of them are out (the tap answers at once)."""
    seen: list[dict] = []

    async def enough() -> bool:
        seen.extend(await world.gateway.events.drain())
        return len(_events(seen, routing_key)) >= count
    await eventually(enough, what=f"{count} × {routing_key}")
    return _events(seen, routing_key)


async def _contacts(world) -> dict[str, Contact]:
    async with world.notifications.app.state.runtime.sessions() as session:
        return {c.subject: c for c in (await session.execute(select(Contact))).scalars()}


async def _tokens(world, email: str, password: str) -> dict:
    r = await world.gateway.client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert r.status_code == 200, r.text
    return r.json()


async def _refresh(world, refresh_token: str) -> int:
    r = await world.gateway.client.post("/api/v1/auth/token", json={"grant_type": "refresh_token",
                                                                    "refresh_token": refresh_token})
    return r.status_code


async def test_accounts_are_announced_with_each_change_and_notifications_learns_them(world, bus_names, amqp_url):
    c = world.gateway.client
    parent = (await c.post("/api/v1/auth/register", json=PARENT)).json()
    staff = (await c.post("/api/v1/auth/register", json=PARENT | {"email": "club@example.ru", "role": "provider",
                                                                   "full_name": "Тимур Кудаев"})).json()
    admin = {"Authorization": "Bearer " + await world.admin_token()}
    operator = (await c.post("/api/v1/accounts", headers=admin, json={
        "email": "op@chegem.ru", "password": "operator-pass-1", "role": "operator", "municipality": "chegem"})).json()

    provider_id = uuid.uuid4()
    approved = ProviderApproved(actor="operator:x", provider=ProviderSnapshot(
        provider_id=provider_id, status="approved", kind="private", short_name="Клуб", inn="0700000000",
        municipality="chegem", submitted_by=staff["id"]))
    await publish(amqp_url, bus_names, Envelope.wrap(approved, district="test-district"))

    async def bound() -> bool:
        contact = (await _contacts(world)).get(staff["id"])
        return contact is not None and contact.provider_id == provider_id
    await eventually(bound, what="the staff's binding reaching notifications")

    drained = await world.gateway.events.drain()
    registered = {e["subject"]: e for e in _events(drained, "gateway.account.registered.v1")}
    assert set(registered) >= {parent["id"], staff["id"], operator["id"]}
    assert registered[parent["id"]] | {"subject": None} == {
        "subject": None, "email": "anna@example.ru", "role": "parent", "municipality": "chegem", "provider_id": None,
        "full_name": "Анна Иванова", "active": True}
    assert registered[operator["id"]]["role"] == "operator"
    [updated] = _events(drained, "gateway.account.updated.v1")
    assert (updated["subject"], updated["provider_id"], updated["role"]) == (staff["id"], str(provider_id), "provider")
    contacts = await _contacts(world)
    assert (contacts[parent["id"]].email, contacts[parent["id"]].role) == ("anna@example.ru", "parent")
    assert contacts[operator["id"]].municipality == "chegem"
    assert not any("password" in key for e in drained for key in e["payload"]), "no hash goes out"

    # The backfill repeats every account's current state.
    assert await announce_all(world.gateway.settings, batch=2) == len(contacts) == 4
    again = await _published(world, "gateway.account.registered.v1", 4)
    assert sorted(e["subject"] for e in again) == sorted(contacts)
    assert {e["subject"]: e["provider_id"] for e in again}[staff["id"]] == str(provider_id)


async def test_a_forgotten_password_is_reset_by_the_link_in_the_mail(world):
    c = world.gateway.client
    me = (await c.post("/api/v1/auth/register", json=PARENT)).json()
    before = await _tokens(world, "anna@example.ru", PARENT["password"])
    await eventually(lambda: _known(world, me["id"]), what="notifications knowing the account")

    asked = await c.post("/api/v1/auth/password-reset", json={"email": "ANNA@example.ru"})
    unknown = await c.post("/api/v1/auth/password-reset", json={"email": "ghost@example.ru"})
    assert asked.status_code == unknown.status_code == 202 and asked.content == unknown.content == b""
    await eventually(lambda: _mails(world, 1), what="the reset mail")
    [mail] = world.mail.mails()
    assert mail["To"] == "anna@example.ru" and mail["Subject"] == "Смена пароля в Навигаторе"
    token = unquote(LINK.search(mail.get_content()).group(1))
    [request] = await _published(world, "gateway.account.password_reset_requested.v1", 1)
    assert request["subject"] == me["id"] and request["email"] == "anna@example.ru" and request["token"] == token

    weak = await c.post("/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": "1234567890"})
    assert weak.status_code == 422 and weak.json()["field"] == "new_password"
    done = await c.post("/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD})
    assert done.status_code == 204, done.text
    old = await c.post("/api/v1/auth/token", json={"email": "anna@example.ru", "password": PARENT["password"]})
    assert old.status_code == 401
    assert await _refresh(world, before["refresh_token"]) == 401, "every session ended"
    await _tokens(world, "anna@example.ru", NEW_PASSWORD)

    used = await c.post("/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD})
    assert used.status_code == 422 and used.headers["content-type"] == "application/problem+json"
    assert used.json()["field"] == "token" and "Ссылка" in used.json()["title"]
    assert len(world.mail.mails()) == 1, "nothing was mailed for the unknown address"


async def test_a_reset_link_stops_working_when_it_expires(world):
    c = world.gateway.client
    await c.post("/api/v1/auth/register", json=PARENT)
    assert (await c.post("/api/v1/auth/password-reset", json={"email": "anna@example.ru"})).status_code == 202
    [request] = await _published(world, "gateway.account.password_reset_requested.v1", 1)
    clock = world.gateway.app.state.clock
    clock.pin(clock.now() + timedelta(seconds=world.gateway.settings.password_reset_ttl_s + 1))
    try:
        late = await c.post("/api/v1/auth/password-reset/confirm",
                            json={"token": request["token"], "new_password": NEW_PASSWORD})
    finally:
        clock.unpin()
    assert late.status_code == 422 and late.json()["field"] == "token"
    await _tokens(world, "anna@example.ru", PARENT["password"])


async def test_reset_requests_are_throttled_per_address_and_per_mailbox(world):
    c = world.gateway.client
    await c.post("/api/v1/auth/register", json=PARENT)
    codes = [(await c.post("/api/v1/auth/password-reset", json={"email": "anna@example.ru"})).status_code
             for _ in range(4)]
    codes += [(await c.post("/api/v1/auth/password-reset", json={"email": f"x{n}@example.ru"})).status_code
              for n in range(3)]
    assert codes == [202] * 6 + [429]
    assert len(await _published(world, "gateway.account.password_reset_requested.v1", 3)) == 3
    await asyncio.sleep(1)  # the outbox would have sent a fourth by now
    assert _events(await world.gateway.events.drain(), "gateway.account.password_reset_requested.v1") == [], \
        "a mailbox gets at most three links in the window, and the answer says nothing"


async def test_logging_out_ends_that_session_or_every_session(world):
    c = world.gateway.client
    await c.post("/api/v1/auth/register", json=PARENT)
    first, second, third = [await _tokens(world, "anna@example.ru", PARENT["password"]) for _ in range(3)]

    out = await c.post("/api/v1/auth/logout", json={"refresh_token": first["refresh_token"]})
    assert out.status_code == 204
    assert await _refresh(world, first["refresh_token"]) == 401, "a revoked refresh token no longer works"
    r = await c.post("/api/v1/auth/token", json={"grant_type": "refresh_token",
                                                 "refresh_token": second["refresh_token"]})
    assert r.status_code == 200, "the other sessions go on"
    renewed = r.json()

    everywhere = await c.post("/api/v1/auth/logout", json={"refresh_token": third["refresh_token"],
                                                           "all_sessions": True})
    assert everywhere.status_code == 204
    assert await _refresh(world, renewed["refresh_token"]) == 401
    again = await c.post("/api/v1/auth/logout", json={"refresh_token": third["refresh_token"]})
    unknown = await c.post("/api/v1/auth/logout", json={"refresh_token": "not-a-token"})
    assert again.status_code == unknown.status_code == 204


async def test_the_notices_are_reached_through_the_gateway(world):
    c = world.gateway.client
    await c.post("/api/v1/auth/register", json=PARENT)
    parent = {"Authorization": "Bearer " + await world.login("anna@example.ru", PARENT["password"])}
    feed = await c.get("/api/v1/me/notifications", headers=parent)
    assert feed.status_code == 200 and feed.json() | {"items": None} == {
        "items": None, "total": 0, "unread": 0, "page": 1, "page_size": 20}
    assert (await c.get("/api/v1/me/notifications")).status_code == 401
    read_all = await c.post("/api/v1/me/notifications/read-all", headers=parent)
    assert read_all.status_code == 200 and read_all.json() == {"marked": 0}
    off = await c.put("/api/v1/me/notification-preferences", headers=parent,
                      json={"email": {"application_accepted": False}})
    assert off.status_code == 200
    assert {p["kind"]: p["email"] for p in off.json()["items"]}["application_accepted"] is False
    essential = await c.put("/api/v1/me/notification-preferences", headers=parent,
                            json={"email": {"funds_debited": False}})
    assert essential.status_code == 422 and essential.json()["field"] == "email.funds_debited"


async def _known(world, subject: str) -> bool:
    return subject in await _contacts(world)


async def _mails(world, count: int) -> bool:
    return len(world.mail.mails()) >= count
