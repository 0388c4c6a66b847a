"""The demo district (Чегемский муниципальный район), loaded once through the public API as
its people would: an admin makes the operator, the operator opens the year, ten providers
apply and are approved, they publish their programs (deploy/demo/programs.py: 154 across the
six directions) with groups, three families register their children and the operator
activates the certificates."""
from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import date

from deploy.api_client import Api
from deploy.demo import requisites as rf
from deploy.demo.programs import publish as publish_programs
from deploy.district_config import DistrictConfig
from pfdo_kit.clock import Clock
from services.certificates.domain.snils import checksum

PASSWORD = "demo-pass-2026"  # every demo account; printed by `make run`
ADMIN_EMAIL = "admin@pfdo-chegem.ru"
OPERATOR_EMAIL = "operator@pfdo-chegem.ru"

PROVIDERS = [
    ("municipal", "МКУ ДО «Дом детского творчества»"), ("municipal", "МКУ ДО «ДЮСШ Чегемского района»"),
    ("municipal", "МКУ ДО «Центр технического творчества»"), ("state", "ГБУ ДО «Республиканский центр туризма»"),
    ("private", "АНО ДО «Школа робототехники Кванторикс»"), ("private", "ООО «Языковой центр Полиглот»"),
    ("private", "АНО «Шахматная школа Гамбит»"), ("individual_entrepreneur", "ИП Кудаев А. М. — студия танца"),
    ("individual_entrepreneur", "ИП Бечелова З. Х. — изостудия"), ("municipal", "МКУ ДО «Детская школа искусств»"),
]
FAMILIES = [("Залина Шогенова", [("Амир Шогенов", 9), ("Алина Шогенова", 12)]),
            ("Мурат Кудаев", [("Тимур Кудаев", 7)]),
            ("Фатима Бечелова", [("Дана Бечелова", 14)])]


@dataclass
class DemoLogins:
    admin: str
    operator: str
    providers: list[str]
    parents: list[str]


def _snils(rng: random.Random) -> str:
    nine = f"{rng.randint(2_000_000, 998_999_999):09d}"
    return f"{nine[:3]}-{nine[3:6]}-{nine[6:]} {checksum(nine):02d}"


def _provider_body(rng: random.Random, kind: str, name: str, municipality: str) -> dict:
    body = (rf.entrepreneur(rng) if kind == "individual_entrepreneur" else rf.organisation(rng, kind=kind))
    return body | {"full_name": name, "short_name": name[:60], "municipality": municipality}


async def _provider(api: Api, admin: Api, operator: Api, index: int, kind: str, name: str, municipality: str,
                    rng: random.Random, year: int) -> Api:
    """Its staff applies, the admin (the region's staff) approves, the municipality's operator signs the payment
    agreement for the year as payer; the staff's fresh login."""
    email = f"provider{index + 1}@pfdo-chegem.ru"
    await api.call("POST", "/auth/register", auth=False, json={
        "email": email, "phone": f"+7 928 100-00-{index + 10:02d}", "password": PASSWORD,
        "municipality": municipality, "role": "provider", "full_name": name})
    staff = await api.login(email, PASSWORD)
    provider = await staff.call("POST", "/providers", json=_provider_body(rng, kind, name, municipality))
    await admin.call("POST", f"/providers/{provider['id']}/approve")
    await operator.call("PUT", f"/providers/{provider['id']}/agreements/{municipality}/{year}",
                        json={"number": f"ОП-{index + 1:03d}", "signed_on": f"{year}-01-15", "limit_kop": None,
                              "active": True})
    for _ in range(100):  # the gateway binds the account when the approval event reaches it
        if (await staff.call("GET", "/me"))["provider_id"]:
            return await api.login(email, PASSWORD)
        await asyncio.sleep(0.1)
    raise RuntimeError(f"{email} was not bound to its provider")


async def load(gateway_url: str, admin: Api, config: DistrictConfig, today: date | None = None) -> DemoLogins:
    """`admin`: a logged-in admin of this gateway; `today` defaults to the district's local date."""
    today, rng = today or Clock(config.timezone).today(), random.Random(2026)
    municipality = config.municipalities[0].code
    public = Api(gateway_url)
    await admin.call("POST", "/accounts", json={"email": OPERATOR_EMAIL, "password": PASSWORD, "role": "operator",
                                                "municipality": municipality, "full_name": "Оператор района"})
    operator = await public.login(OPERATOR_EMAIL, PASSWORD)
    period = config.period.model_copy(update={"year": today.year, "starts_on": date(today.year, 1, 1),
                                              "ends_on": date(today.year, 12, 31)})
    await operator.call("PUT", f"/municipalities/{municipality}/periods/{today.year}", json=period.api_body())
    await operator.run("POST", f"/municipalities/{municipality}/periods/{today.year}/open")

    providers = []
    for index, (kind, name) in enumerate(PROVIDERS):
        staff = await _provider(public, admin, operator, index, kind, name, municipality, rng, today.year)
        await publish_programs(staff, admin, index, rng, today)  # certification is the region's
        providers.append(f"provider{index + 1}@pfdo-chegem.ru")

    parents = []
    for index, (parent_name, kids) in enumerate(FAMILIES):
        email = f"parent{index + 1}@pfdo-chegem.ru"
        await public.call("POST", "/auth/register", auth=False, json={
            "email": email, "phone": f"+7 928 200-00-{index + 10:02d}", "password": PASSWORD,
            "municipality": municipality, "full_name": parent_name})
        parent = await public.login(email, PASSWORD)
        for kid_name, age in kids:
            child = await parent.call("POST", "/children", json={
                "full_name": kid_name, "birth_date": date(today.year - age, 3, 15).isoformat(),
                "snils": _snils(rng), "municipality": municipality})
            certificate = await parent.call("POST", f"/children/{child['id']}/certificate")
            await operator.call("POST", f"/certificates/{certificate['id']}/activate")
        parents.append(email)
    return DemoLogins(ADMIN_EMAIL, OPERATOR_EMAIL, providers, parents)
