"""The platform's people doing their first steps through the gateway's public API, as the
end-to-end and fault tests need them: accounts, providers, programs with a group, children
with active certificates."""
from __future__ import annotations

import asyncio
import random
from datetime import date, timedelta

from deploy.api_client import Api, ApiError
from deploy.demo.requisites import organisation
from pfdo_kit.clock import Clock
from tests.support.platform import RunningPlatform
from tests.support.waiting import eventually

TODAY = Clock().today()
PASSWORD = "e2e-pass-2026"
PERIOD = {"starts_on": f"{TODAY.year}-01-01", "ends_on": f"{TODAY.year}-12-31", "funded_quota": 100,
          "budget_cap_kop": 10**10, "nominals": [{"min_age": 5, "max_age": 17, "amount_kop": 120_000_00}],
          "free_limits": {"significant": 1, "preprofessional": 1, "other": 1}}


async def status_of(api: Api, method: str, path: str, **kw) -> int:
    try:
        await api.call(method, path, **kw)
        return 200
    except ApiError as error:
        return error.status


async def register(public: Api, email: str, role: str = "parent", municipality: str = "chegem") -> Api:
    await public.call("POST", "/auth/register", auth=False, json={
        "email": email, "phone": "+7 928 555-00-00", "password": PASSWORD, "municipality": municipality,
        "role": role})
    return await public.login(email, PASSWORD)


async def staff_account(admin: Api, public: Api, email: str, role: str, municipality: str | None) -> Api:
    """An operator or admin account made by the admin, logged in."""
    await admin.call("POST", "/accounts", json={"email": email, "password": PASSWORD, "role": role,
                                                "municipality": municipality})
    return await public.login(email, PASSWORD)


async def opened_district(platform: RunningPlatform) -> tuple[Api, Api, Api, Api]:
    """The district's admin makes an operator for chegem and one for neftekumsk; the chegem
    operator sets and opens this year's period. (anonymous, admin, operator, foreign operator)."""
    public = Api(platform.gateway_url)
    admin = await public.login(platform.admin_email, platform.admin_password)
    operator = await staff_account(admin, public, "op-chegem@pfdo-tests.ru", "operator", "chegem")
    foreign_operator = await staff_account(admin, public, "op-neftekumsk@pfdo-tests.ru", "operator", "neftekumsk")
    await operator.call("PUT", f"/municipalities/chegem/periods/{TODAY.year}", json=PERIOD)
    opened = await operator.run("POST", f"/municipalities/chegem/periods/{TODAY.year}/open", poll_s=0.1)
    assert opened["status"] == "done", opened
    return public, admin, operator, foreign_operator


async def approved_provider(public: Api, region: Api, login: str, rng_seed: int, payers: dict[str, Api] | None = None,
                            **requisites) -> tuple[Api, dict]:
    """Staff (e-mail `login`) registers, applies with `requisites` over made-up ones; the region's staff (`region`:
    an admin or a regional operator) approves; each payer's staff (`payers`: municipality code → its operator or an
    admin; by default chegem's, signed by `region`, then an admin) signs this year's payment agreement, without a
    limit. The staff's fresh login carries the provider. (staff, the provider)."""
    staff = await register(public, login, role="provider")
    provider = await staff.call("POST", "/providers", json=organisation(random.Random(rng_seed), **requisites))
    await region.call("POST", f"/providers/{provider['id']}/approve")
    for municipality, payer in (payers or {"chegem": region}).items():
        await payer.call("PUT", f"/providers/{provider['id']}/agreements/{municipality}/{TODAY.year}",
                         json={"number": f"ОП-{rng_seed}-{municipality}", "signed_on": f"{TODAY.year}-01-10",
                               "limit_kop": None, "active": True})

    async def bound() -> bool:
        return (await staff.call("GET", "/me"))["provider_id"] == provider["id"]
    await eventually(bound, timeout_s=30, what="the staff account bound to its provider")
    return await public.login(login, PASSWORD), provider


async def certified_program(staff: Api, region: Api, title: str, teacher: str) -> tuple[dict, dict]:
    """A published program with one group meeting today's weekday, certified by the region's staff (`region`: an
    admin or a regional operator). (program, group)."""
    program = await staff.call("POST", "/programs", json={
        "title": title, "description": "Собираем и программируем роботов",
        "direction": "technical", "level": "starting", "form": "in_person", "min_age": 7, "max_age": 14,
        "modules": [{"title": "Первый год", "hours": 72, "price_kop": 18_000_00}]})
    group = await staff.call("POST", f"/programs/{program['id']}/groups", json={
        "module_id": program["modules"][0]["id"], "venue": "каб. 5", "teacher": teacher,
        "schedule": [{"weekday": TODAY.weekday(), "starts_at": "15:00", "minutes": 45}],
        "starts_on": TODAY.replace(day=1).isoformat(), "ends_on": (TODAY + timedelta(days=150)).isoformat(),
        "capacity": 10})
    await staff.call("POST", f"/programs/{program['id']}/publish")
    await region.call("POST", f"/programs/{program['id']}/certify",
                      json={"score": 90, "valid_until": (TODAY + timedelta(days=365)).isoformat()})
    return program, group


async def child_with_certificate(parent: Api, operator: Api, snils: str, name: str,
                                 municipality: str = "chegem") -> dict:
    """The child as added, with `certificate_id` of its activated certificate."""
    child = await parent.call("POST", "/children", json={
        "full_name": name, "birth_date": date(TODAY.year - 10, 2, 1).isoformat(), "snils": snils,
        "municipality": municipality})
    certificate = await parent.call("POST", f"/children/{child['id']}/certificate")
    await operator.call("POST", f"/certificates/{certificate['id']}/activate")
    return child | {"certificate_id": certificate["id"]}


async def offered_contract(parent: Api, staff: Api, child: dict, group: dict) -> dict:
    """The child applies to the group with its certificate once the catalog can pay by it, the
    provider accepts, and the offer reaches the parent. The application (its id is the contract's)."""
    cost: dict = {}

    async def payable() -> bool:
        cost.update(await parent.call("GET", f"/groups/{group['id']}/cost", params={"child_id": child["id"]}))
        return cost["payment"] == "certificate"
    try:
        await eventually(payable, timeout_s=30, what="the certificate reaching the catalog")
    except AssertionError as error:
        raise AssertionError(f"{error}: {cost}") from None
    application = await parent.call("POST", "/applications", json={"group_id": group["id"],
                                                                   "certificate_id": child["certificate_id"]})
    await staff.call("POST", f"/applications/{application['id']}/accept")

    async def offered() -> bool:
        contracts = (await parent.call("GET", "/contracts", params={"child_id": child["id"]}))["items"]
        return bool(contracts) and contracts[0]["status"] == "offered"
    await eventually(offered, timeout_s=30, what="the contract offer")
    return application


def month_after(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


async def month_closed(platform: RunningPlatform, operator: Api, municipality: str = "chegem",
                       later: int = 0) -> str:
    """This month (or the one `later` months on), closed for the payer `municipality` (whose
    operator `operator` is): billing restarted with its clock on the next month's 2nd day, the close
    asked for and waited on. The month, YYYY-MM."""
    first = TODAY.replace(day=1)
    for _ in range(later):
        first = month_after(first)
    month = f"{first.year:04d}-{first.month:02d}"
    next_month = month_after(first).replace(day=2)
    await asyncio.to_thread(platform.restart, "billing", {"BILLING_CLOCK_DATE": next_month.isoformat()})
    await operator.call("POST", f"/municipalities/{municipality}/months/{month}/close")

    async def closed() -> bool:
        return (await operator.call("GET", f"/municipalities/{municipality}/months/{month}"))["status"] == "closed"
    await eventually(closed, timeout_s=60, what="the month closed")
    return month
