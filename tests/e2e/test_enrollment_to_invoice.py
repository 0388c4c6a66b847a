"""End to end through the gateway alone, every service its own process: a family registers,
enrolls, the child attends, the month closes, the cabinet shows the debit and the provider's
invoice lists it. Along the way, other families, providers and municipalities try to reach
what is not theirs and change nothing."""
from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

import pytest

from deploy.api_client import Api, ApiError
from deploy.demo.requisites import organisation
from tests.support.waiting import eventually

pytestmark = pytest.mark.timeout(600)
TODAY = date.today()
PASSWORD = "e2e-pass-2026"
PERIOD = {"starts_on": f"{TODAY.year}-01-01", "ends_on": f"{TODAY.year}-12-31", "funded_quota": 100,
          "budget_cap_kop": 10**10, "nominals": [{"min_age": 5, "max_age": 17, "amount_kop": 30_000_00}],
          "free_limits": {"significant": 1, "preprofessional": 1, "other": 1}}


async def _status(api: Api, method: str, path: str, **kw) -> int:
    try:
        await api.call(method, path, **kw)
        return 200
    except ApiError as error:
        return error.status


async def _register(public: Api, email: str, role: str = "parent", municipality: str = "chegem") -> Api:
    await public.call("POST", "/auth/register", auth=False, json={
        "email": email, "phone": "+7 928 555-00-00", "password": PASSWORD, "municipality": municipality,
        "role": role})
    return await public.login(email, PASSWORD)


async def _provider(public: Api, operator: Api, email: str, rng_seed: int) -> tuple[Api, str]:
    import random

    staff = await _register(public, email, role="provider")
    provider = await staff.call("POST", "/providers", json=organisation(random.Random(rng_seed)))
    await operator.call("POST", f"/providers/{provider['id']}/approve")
    await operator.call("PUT", f"/providers/{provider['id']}/payment-agreement",
                        json={"number": f"ОП-{rng_seed}", "date": f"{TODAY.year}-01-10"})

    async def bound() -> bool:
        return (await staff.call("GET", "/me"))["provider_id"] == provider["id"]
    await eventually(bound, timeout_s=30, what="the staff account bound to its provider")
    return await public.login(email, PASSWORD), provider["id"]


async def _child(public: Api, parent: Api, operator: Api, snils: str, name: str) -> dict:
    child = await parent.call("POST", "/children", json={
        "full_name": name, "birth_date": date(TODAY.year - 10, 2, 1).isoformat(), "snils": snils,
        "municipality": "chegem"})
    certificate = await parent.call("POST", f"/children/{child['id']}/certificate")
    await operator.call("POST", f"/certificates/{certificate['id']}/activate")
    return child | {"certificate_id": certificate["id"]}


async def test_a_family_enrolls_the_child_attends_and_the_month_is_paid(platform):
    public = Api(platform.gateway_url)
    admin = await public.login(platform.admin_email, platform.admin_password)
    for municipality, email in (("chegem", "op@pfdo-e2e.ru"), ("neftekumsk", "op2@pfdo-e2e.ru")):
        await admin.call("POST", "/accounts", json={"email": email, "password": PASSWORD, "role": "operator",
                                                    "municipality": municipality})
    operator = await public.login("op@pfdo-e2e.ru", PASSWORD)
    foreign_operator = await public.login("op2@pfdo-e2e.ru", PASSWORD)
    await operator.call("PUT", f"/periods/{TODAY.year}", json=PERIOD)
    await operator.call("POST", f"/periods/{TODAY.year}/open")

    staff, provider_id = await _provider(public, operator, "club@pfdo-e2e.ru", 11)
    other_staff, _ = await _provider(public, operator, "rival@pfdo-e2e.ru", 12)
    program = await staff.call("POST", "/programs", json={
        "title": "Робототехника для начинающих", "description": "Собираем и программируем роботов",
        "direction": "technical", "level": "starting", "form": "in_person", "min_age": 7, "max_age": 14,
        "modules": [{"title": "Первый год", "hours": 72, "price_kop": 18_000_00}]})
    group = await staff.call("POST", f"/programs/{program['id']}/groups", json={
        "module_id": program["modules"][0]["id"], "venue": "каб. 5", "teacher": "Кучменов Р. Х.",
        "schedule": [{"weekday": TODAY.weekday(), "starts_at": "15:00", "minutes": 45}],
        "starts_on": TODAY.replace(day=1).isoformat(), "ends_on": (TODAY + timedelta(days=150)).isoformat(),
        "capacity": 10})
    await staff.call("POST", f"/programs/{program['id']}/publish")
    await operator.call("POST", f"/programs/{program['id']}/certify",
                        json={"score": 90, "valid_until": (TODAY + timedelta(days=365)).isoformat()})

    parent = await _register(public, "mother@pfdo-e2e.ru")
    other_parent = await _register(public, "neighbour@pfdo-e2e.ru")
    child = await _child(public, parent, operator, "112-233-445 95", "Амир Шогенов")
    found = await public.call("GET", "/programs", auth=False, params={"q": "роботы", "certificate": "true"})
    assert [p["id"] for p in found["items"]] == [program["id"]]

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
        contracts = await parent.call("GET", "/contracts")
        return bool(contracts) and contracts[0]["status"] == "offered"
    await eventually(offered, timeout_s=30, what="the contract offer")

    # Strangers reach nothing and change nothing.
    contract_path = f"/contracts/{application['id']}"
    assert await _status(other_parent, "POST", contract_path + "/sign") == 404
    assert await _status(other_parent, "GET", f"/certificates/{child['certificate_id']}") in (403, 404)
    assert await _status(other_parent, "POST", f"/applications/{application['id']}/cancel") in (403, 404)
    assert await _status(other_staff, "POST", f"/applications/{application['id']}/reject",
                         json={"reason": "не наш ученик"}) in (403, 404)
    assert await _status(foreign_operator, "POST", f"/certificates/{child['certificate_id']}/suspend") in (403, 404)
    assert await _status(other_parent, "GET", contract_path) == 404
    assert await _status(other_staff, "POST", f"/programs/{program['id']}/groups", json={
        "module_id": program["modules"][0]["id"], "venue": "чужой", "teacher": "чужой",
        "schedule": [{"weekday": 0, "starts_at": "10:00", "minutes": 45}], "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + timedelta(days=30)).isoformat(), "capacity": 5}) in (403, 404)
    assert await _status(other_staff, "POST", f"/applications/{application['id']}/accept") in (403, 404)
    assert application["id"] not in [a["id"] for a in await other_parent.call("GET", "/applications")]
    assert await other_parent.call("GET", "/contracts") == []
    assert child["id"] not in [c["id"] for c in (await foreign_operator.call("GET", "/children"))["items"]]
    assert (await parent.call("GET", contract_path))["status"] == "offered"
    assert (await parent.call("GET", f"/certificates/{child['certificate_id']}"))["status"] == "active"
    assert len((await parent.call("GET", f"/programs/{program['id']}"))["groups"]) == 1

    signed = await parent.call("POST", contract_path + "/sign")
    assert signed["status"] == "signed"
    marks = {"lesson_date": TODAY.isoformat(), "present": [child["id"]]}
    assert await _status(other_staff, "POST", f"/groups/{group['id']}/attendance", json=marks) == 404
    await staff.call("POST", f"/groups/{group['id']}/attendance", json=marks)

    month = f"{TODAY.year:04d}-{TODAY.month:02d}"
    next_month = (TODAY.replace(day=28) + timedelta(days=4)).replace(day=2)
    await asyncio.to_thread(platform.restart, "billing", {"BILLING_CLOCK_DATE": next_month.isoformat()})
    await operator.call("POST", f"/billing/months/{month}/close")

    async def closed() -> bool:
        return (await operator.call("GET", f"/billing/months/{month}"))["status"] == "closed"
    await eventually(closed, timeout_s=60, what="the month closed")

    cabinet = await parent.call("GET", "/me/cabinet")
    assert all(part["status"] == "ok" for part in cabinet.values())
    [debit] = cabinet["debits"]["data"]
    assert debit["month"] == month and debit["attended_lessons"] == 1 and debit["amount_kop"] > 0
    [invoice] = await staff.call("GET", "/invoices", params={"month": month})
    lines = (await staff.call("GET", f"/invoices/{invoice['id']}"))["lines"]
    assert [(line["contract_id"], line["charged_kop"]) for line in lines] == [(application["id"], debit["amount_kop"])]
    assert invoice["provider_id"] == provider_id and invoice["charges_kop"] == debit["amount_kop"]
    assert await _status(other_staff, "GET", f"/invoices/{invoice['id']}") == 404
    report = await operator.call("GET", "/reports/reconciliation", params={"month": month})
    assert report["balanced"] and report["debited_kop"] == debit["amount_kop"]


async def test_a_service_that_is_down_is_a_502_not_a_hang(platform):
    public = Api(platform.gateway_url)
    await asyncio.to_thread(platform.stop, "catalog")
    try:
        started = asyncio.get_running_loop().time()
        assert await _status(public, "GET", "/programs", auth=False) == 502
        assert asyncio.get_running_loop().time() - started < 10
    finally:
        await asyncio.to_thread(platform.restart, "catalog", {})
    assert await _status(public, "GET", "/programs", auth=False) == 200
    assert await _status(public, "GET", f"/contracts/{uuid.uuid4()}", auth=False) == 401
