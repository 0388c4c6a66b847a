"""End to end through the gateway alone, every service its own process and a real SMTP sink:
two families compete for the last seat of a group, one cancels and the seat passes to the
other from the waitlist, the child attends, the month closes, the provider takes an advance, a
certificate is suspended and reinstated, an application is rejected, a password is reset by
the link in its mail. Each person's feed (GET /api/v1/me/notifications) holds what happened to
them, and the sink holds one mail per notice — exactly once each."""
from __future__ import annotations

import asyncio
import re
from collections import Counter
from datetime import timedelta
from urllib.parse import unquote

import pytest

from deploy.api_client import Api, ApiError
from pfdo_kit.calendar import WorkingCalendar
from tests.support.people import (
    PASSWORD,
    TODAY,
    approved_provider,
    child_with_certificate,
    opened_district,
    register,
)
from tests.support.waiting import eventually

pytestmark = pytest.mark.timeout(600)
MOTHER, FATHER, CLUB = "mother@pfdo-notices.ru", "father@pfdo-notices.ru", "club@pfdo-notices.ru"
RESET_LINK = re.compile(r"/password-reset\?token=(\S+)")
NEXT_MONTH = (TODAY.replace(day=28) + timedelta(days=4)).replace(day=1)


async def _program_with_one_seat(staff: Api, region: Api) -> dict:
    """A published, certified program whose only group has one seat and meets today's weekday."""
    program = await staff.call("POST", "/programs", json={
        "title": "Шахматы: одна доска", "description": "Дебюты, миттельшпиль, эндшпиль",
        "direction": "physical_sports", "level": "starting", "form": "in_person", "min_age": 7, "max_age": 14,
        "modules": [{"title": "Первый год", "hours": 72, "price_kop": 18_000_00}]})
    group = await staff.call("POST", f"/programs/{program['id']}/groups", json={
        "module_id": program["modules"][0]["id"], "venue": "каб. 1", "teacher": "Тхагалегов А. М.",
        "schedule": [{"weekday": TODAY.weekday(), "starts_at": "16:00", "minutes": 45}],
        "starts_on": TODAY.replace(day=1).isoformat(), "ends_on": (TODAY + timedelta(days=150)).isoformat(),
        "capacity": 1})
    await staff.call("POST", f"/programs/{program['id']}/publish")
    await region.call("POST", f"/programs/{program['id']}/certify",
                      json={"score": 90, "valid_until": (TODAY + timedelta(days=365)).isoformat()})
    return group


async def _until(check, what: str, timeout_s: float = 60) -> None:
    await eventually(check, timeout_s=timeout_s, interval_s=0.2, what=what)


async def _application(parent: Api, application_id: str) -> dict:
    return await parent.call("GET", f"/applications/{application_id}")


async def _apply(parent: Api, child: dict, group: dict) -> dict:
    async def payable() -> bool:
        cost = await parent.call("GET", f"/groups/{group['id']}/cost", params={"child_id": child["id"]})
        return cost["payment"] == "certificate"
    await _until(payable, "the certificate reaching the catalog")
    return await parent.call("POST", "/applications", json={"group_id": group["id"],
                                                            "certificate_id": child["certificate_id"]})


async def _feed(api: Api) -> list[dict]:
    return (await api.call("GET", "/me/notifications", params={"page_size": 100}))["items"]


async def _kinds(api: Api) -> Counter:
    return Counter(n["kind"] for n in await _feed(api))


async def test_each_person_is_told_what_happened_to_them_in_the_feed_and_by_one_mail_each(platform):
    public, admin, operator, _ = await opened_district(platform)
    staff, provider = await approved_provider(public, admin, CLUB, 31, payers={"chegem": operator})
    group = await _program_with_one_seat(staff, admin)
    mother, father = await register(public, MOTHER), await register(public, FATHER)
    amir = await child_with_certificate(mother, operator, "112-233-445 95", "Амир Шогенов")
    alan = await child_with_certificate(father, operator, "156-374-295 88", "Алан Шогенов")

    # Both apply for the one seat; the first takes it, the second waits in the queue.
    first = await _apply(mother, amir, group)
    second = await _apply(father, alan, group)
    await staff.call("POST", f"/applications/{first['id']}/accept")

    async def offered_to_mother() -> bool:
        return any(c["status"] == "offered" for c in (await mother.call("GET", "/contracts"))["items"])
    await _until(offered_to_mother, "the mother's contract offer")
    assert (await staff.call("POST", f"/applications/{second['id']}/accept"))["status"] == "waitlisted"

    # The mother withdraws: the seat passes to the father, who confirms and signs.
    await mother.call("POST", f"/applications/{first['id']}/cancel")
    assert (await _application(father, second["id"]))["status"] == "offered"
    await father.call("POST", f"/applications/{second['id']}/confirm")

    async def offered_to_father() -> bool:
        return any(c["status"] == "offered" for c in (await father.call("GET", "/contracts"))["items"])
    await _until(offered_to_father, "the father's contract offer")
    assert (await father.call("POST", f"/contracts/{second['id']}/sign"))["status"] == "signed"
    await staff.call("POST", f"/groups/{group['id']}/attendance",
                     json={"lesson_date": TODAY.isoformat(), "present": [alan["id"]]})

    # The month closes on the next month's second working day, when the provider's advance opens.
    opens = WorkingCalendar().nth_working_day(NEXT_MONTH.year, NEXT_MONTH.month, 2)
    await asyncio.to_thread(platform.restart, "billing", {"BILLING_CLOCK_DATE": opens.isoformat()})
    month = f"{TODAY:%Y-%m}"
    await operator.call("POST", f"/municipalities/chegem/months/{month}/close")

    async def closed() -> bool:
        return (await operator.call("GET", f"/municipalities/chegem/months/{month}"))["status"] == "closed"
    await _until(closed, "the month closed")
    advance_expected = NEXT_MONTH.year == TODAY.year  # a contract's months end with the funding year
    if advance_expected:
        await staff.call("POST", "/advances", json={"month": f"{NEXT_MONTH:%Y-%m}"})

    # The operator suspends the father's certificate for a while; the mother's new application is refused.
    await operator.call("POST", f"/certificates/{alan['certificate_id']}/suspend",
                        json={"reason": "Проверка документов о регистрации"})
    await operator.call("POST", f"/certificates/{alan['certificate_id']}/reinstate")
    again = await _apply(mother, amir, group)
    await staff.call("POST", f"/applications/{again['id']}/reject", json={"reason": "Группа уже набрана"})

    expected = {
        MOTHER: (mother, Counter(["certificate_activated", "application_accepted", "funds_reserved",
                                  "contract_offered", "application_rejected"])),
        FATHER: (father, Counter(["certificate_activated", "application_waitlisted", "seat_offered",
                                  "application_accepted", "funds_reserved", "contract_offered", "contract_signed",
                                  "funds_debited", "certificate_suspended", "certificate_reinstated"])),
        CLUB: (staff, Counter(["application_submitted"] * 3 + ["application_cancelled", "invoice_issued"]
                              + ["advance_granted"] * advance_expected)),
    }
    for address, (api, kinds) in expected.items():
        async def told(api=api, kinds=kinds) -> bool:
            return await _kinds(api) == kinds
        try:
            await _until(told, f"{address}'s notices", timeout_s=90)
        except AssertionError:
            raise AssertionError(f"{address}: {await _kinds(api)} ≠ {kinds}") from None

    # The password reset's mail: a link, not a notice in the feed.
    await public.call("POST", "/auth/password-reset", auth=False, json={"email": MOTHER})
    await _until(lambda: _mailed(platform, MOTHER, sum(expected[MOTHER][1].values()) + 1), "the reset link")
    [reset_mail] = [m for m in platform.mail.mails() if m["To"] == MOTHER and "пароля" in m["Subject"]]
    token = unquote(RESET_LINK.search(reset_mail.get_content()).group(1))
    await public.call("POST", "/auth/password-reset/confirm", auth=False, ok=(204,),
                      json={"token": token, "new_password": "new-mother-pass-2026"})
    with pytest.raises(ApiError) as refused:
        await public.login(MOTHER, PASSWORD)
    assert refused.value.status == 401
    mother = await public.login(MOTHER, "new-mother-pass-2026")

    for address, (api, kinds) in expected.items():
        await _until(lambda address=address, kinds=kinds: _mailed(
            platform, address, sum(kinds.values()) + (address == MOTHER)), f"{address}'s mail")
    await asyncio.sleep(3)  # time for a duplicate to show up, if one were coming
    mails = platform.mail.mails()
    assert len({m["Message-ID"] for m in mails}) == len(mails), "no mail twice"
    for address, (api, kinds) in expected.items():
        feed = await _feed(mother if address == MOTHER else api)
        assert Counter(n["kind"] for n in feed) == kinds, address
        subjects = sorted(m["Subject"] for m in mails if m["To"] == address)
        titles = sorted([n["title"] for n in feed] + (["Смена пароля в Навигаторе"] if address == MOTHER else []))
        assert subjects == titles, address
    offer = next(m for m in mails if m["To"] == FATHER and m["Subject"].startswith("Освободилось место"))
    assert f"{platform.navigator_url}/cabinet/applications/{second['id']}" in offer.get_content()

    # Reading the feed through the gateway.
    unread = await father.call("GET", "/me/notifications", params={"page_size": 1})
    assert unread["unread"] == unread["total"] == sum(expected[FATHER][1].values())
    assert (await father.call("POST", "/me/notifications/read-all"))["marked"] == unread["total"]
    assert (await father.call("GET", "/me/notifications"))["unread"] == 0


async def _mailed(platform, address: str, count: int) -> bool:
    return len([m for m in platform.mail.mails() if m["To"] == address]) >= count
