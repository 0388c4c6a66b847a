"""The demo region (Кабардино-Балкарская Республика with two of its municipalities, Чегемский
and Баксанский районы), loaded once through the public API as its people would: the admin
makes the regional operator and one operator per municipality; each municipal operator sets
and opens its municipality's funding period; ten providers apply, the regional operator
approves them and certifies their programs (deploy/demo/programs.py: 154 across the six
directions, with groups); each payer's operator signs the payment agreements with the
providers of its municipality, and one provider (the robotics school) holds agreements with
both payers; families register in each municipality, their operators activate the
certificates, and a child of each municipality enrolls with that provider."""
from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from datetime import date

from deploy.api_client import Api
from deploy.demo import requisites as rf
from deploy.demo.programs import Published
from deploy.demo.programs import publish as publish_programs
from deploy.region_config import MunicipalityConfig, RegionConfig
from deploy.region_load import load_municipality
from pfdo_kit.clock import Clock
from services.certificates.domain.snils import checksum

PASSWORD = "demo-pass-2026"  # every demo account; printed by `make run`
DOMAIN = "pfdo-kbr.ru"
ADMIN_EMAIL = f"admin@{DOMAIN}"
REGIONAL_EMAIL = f"region@{DOMAIN}"


def operator_email(municipality: str) -> str:
    return f"operator-{municipality}@{DOMAIN}"


# (kind, name, which of the region's municipalities it is registered in: 0 the first, 1 the second)
PROVIDERS = [
    ("municipal", "МКУ ДО «Дом детского творчества»", 0), ("municipal", "МКУ ДО «ДЮСШ Чегемского района»", 0),
    ("municipal", "МКУ ДО «Центр технического творчества»", 0),
    ("state", "ГБУ ДО «Республиканский центр туризма»", 0),
    ("private", "АНО ДО «Школа робототехники Кванторикс»", 0), ("private", "ООО «Языковой центр Полиглот»", 1),
    ("private", "АНО «Шахматная школа Гамбит»", 1), ("individual_entrepreneur", "ИП Кудаев А. М. — студия танца", 0),
    ("individual_entrepreneur", "ИП Бечелова З. Х. — изостудия", 1),
    ("municipal", "МКУ ДО «Детская школа искусств»", 0),
]
SHARED_PROVIDER = 4  # the robotics school: teaches children of both municipalities, an agreement with each payer
ADDRESSES = ["361401, КБР, г. Чегем, ул. Баляева, 1", "361541, КБР, Баксанский район, с. Заюково, ул. Кирова, 12"]
# (parent, [(child, age)], municipality index); each family's first child enrolls with the shared provider
# when it is its municipality's first family
FAMILIES = [("Залина Шогенова", [("Амир Шогенов", 9), ("Алина Шогенова", 12)], 0),
            ("Мурат Кудаев", [("Тимур Кудаев", 10)], 1),
            ("Фатима Бечелова", [("Дана Бечелова", 14)], 0)]
AGREEMENT_LIMIT_KOP = 500_000_00  # the second payer's agreement with the shared provider has a limit; others none
WAIT_S = 60  # events between the services: the demo waits for them this long at most


@dataclass
class DemoLogins:
    admin: str
    regional_operator: str
    operators: list[str]
    providers: list[str]
    parents: list[str]
    enrolled: list[str] = field(default_factory=list)  # "child (municipality) → program"


def _snils(rng: random.Random) -> str:
    nine = f"{rng.randint(2_000_000, 998_999_999):09d}"
    return f"{nine[:3]}-{nine[3:6]}-{nine[6:]} {checksum(nine):02d}"


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _provider_body(rng: random.Random, kind: str, name: str, municipality: str, address: str) -> dict:
    body = (rf.entrepreneur(rng) if kind == "individual_entrepreneur" else rf.organisation(rng, kind=kind))
    return body | {"full_name": name, "short_name": name[:60], "municipality": municipality, "legal_address": address,
                   "venues": [{"title": "Главный корпус", "address": address}]}


async def _eventually(check, what: str) -> None:
    for _ in range(int(WAIT_S / 0.2)):
        if await check():
            return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"the demo waited {WAIT_S} s for {what}")


async def _provider(public: Api, regional: Api, payers: dict[str, Api], index: int, kind: str, name: str,
                    municipality: str, address: str, rng: random.Random, year: int) -> Api:
    """Its staff registers and applies, the regional operator approves, each payer's operator
    signs the agreement for the year; the staff's fresh login (bound to the provider)."""
    email = f"provider{index + 1}@{DOMAIN}"
    await public.call("POST", "/auth/register", auth=False, json={
        "email": email, "phone": f"+7 928 100-00-{index + 10:02d}", "password": PASSWORD,
        "municipality": municipality, "role": "provider", "full_name": name})
    staff = await public.login(email, PASSWORD)
    provider = await staff.call("POST", "/providers", json=_provider_body(rng, kind, name, municipality, address))
    await regional.call("POST", f"/providers/{provider['id']}/approve")
    for payer, operator in payers.items():
        await operator.call("PUT", f"/providers/{provider['id']}/agreements/{payer}/{year}", json={
            "number": f"С-{payer}-{index + 1:03d}", "signed_on": f"{year}-01-15", "active": True,
            "limit_kop": AGREEMENT_LIMIT_KOP if payer != municipality else None})

    async def bound() -> bool:  # the gateway binds the account when the approval event reaches it
        return bool((await staff.call("GET", "/me"))["provider_id"])
    await _eventually(bound, f"{email} bound to its provider")
    return await public.login(email, PASSWORD)


async def _enroll(parent: Api, staff: Api, child: dict, group_id: str) -> None:
    """The child applies to the group with its certificate once the catalog can pay by it (the
    certificate, the agreement with its payer and the certification have reached it), the provider
    accepts and the parent signs the offer."""
    async def payable() -> bool:
        cost = await parent.call("GET", f"/groups/{group_id}/cost", params={"child_id": child["id"]})
        return cost["payment"] == "certificate"
    await _eventually(payable, f"the catalog paying {child['full_name']}'s place by certificate")
    application = await parent.call("POST", "/applications", json={"group_id": group_id,
                                                                   "certificate_id": child["certificate_id"]})
    await staff.call("POST", f"/applications/{application['id']}/accept")

    async def offered() -> bool:  # billing drafts the contract when the acceptance reaches it: 404 until then
        contracts = (await parent.call("GET", "/contracts", params={"child_id": child["id"]}))["items"]
        return any(c["id"] == application["id"] and c["status"] == "offered" for c in contracts)
    await _eventually(offered, f"the contract offer for {child['full_name']}")
    await parent.call("POST", f"/contracts/{application['id']}/sign")


def _this_year(m: MunicipalityConfig, year: int) -> MunicipalityConfig:
    period = m.period.model_copy(update={"year": year, "starts_on": date(year, 1, 1), "ends_on": date(year, 12, 31)})
    return m.model_copy(update={"period": period})


def _shared_group(published: list[Published], ages: list[int]) -> tuple[Published, str]:
    for program in published:
        if program.certified and program.groups and program.min_age <= min(ages) and max(ages) <= program.max_age:
            return program, program.groups[0]
    raise RuntimeError(f"the shared provider has no certified program for ages {ages}")


async def load(gateway_url: str, admin: Api, config: RegionConfig, today: date | None = None) -> DemoLogins:
    """`admin`: a logged-in admin of this gateway; `config`: a region of at least two
    municipalities (the first two are the demo's); `today` defaults to the region's local date."""
    if len(config.municipalities) < 2:
        raise ValueError(f"the demo needs two municipalities; {config.code} has {len(config.municipalities)}")
    today, rng = today or Clock(config.timezone).today(), random.Random(2026)
    municipalities = [_this_year(m, today.year) for m in config.municipalities[:2]]
    codes = [m.code for m in municipalities]
    public = Api(gateway_url)

    await admin.call("POST", "/accounts", json={"email": REGIONAL_EMAIL, "password": PASSWORD,
                                                "role": "regional_operator", "full_name": "Оператор региона"})
    regional = await public.login(REGIONAL_EMAIL, PASSWORD)
    operators: dict[str, Api] = {}
    for m in municipalities:
        await admin.call("POST", "/accounts", json={"email": operator_email(m.code), "password": PASSWORD,
                                                    "role": "operator", "municipality": m.code,
                                                    "full_name": f"Оператор: {m.name}"})
        operators[m.code] = await public.login(operator_email(m.code), PASSWORD)
        loaded = await load_municipality(operators[m.code], m, open_=True)
        if not loaded.ok:
            raise RuntimeError(loaded.message)

    providers, staffs, shared_programs = [], [], []
    for index, (kind, name, where) in enumerate(PROVIDERS):
        home = codes[where]
        payers = {code: operators[code] for code in (codes if index == SHARED_PROVIDER else [home])}
        staff = await _provider(public, regional, payers, index, kind, name, home, ADDRESSES[where], rng, today.year)
        published = await publish_programs(staff, regional, index, rng, today)
        if index == SHARED_PROVIDER:
            shared_programs = published
        staffs.append(staff)
        providers.append(f"provider{index + 1}@{DOMAIN}")

    parents, first_children = [], {}
    for index, (parent_name, kids, where) in enumerate(FAMILIES):
        municipality, email = codes[where], f"parent{index + 1}@{DOMAIN}"
        await public.call("POST", "/auth/register", auth=False, json={
            "email": email, "phone": f"+7 928 200-00-{index + 10:02d}", "password": PASSWORD,
            "municipality": municipality, "full_name": parent_name})
        parent = await public.login(email, PASSWORD)
        for kid_name, age in kids:
            born = date(today.year - age, 3, 15)
            child = await parent.call("POST", "/children", json={
                "full_name": kid_name, "birth_date": born.isoformat(), "snils": _snils(rng),
                "municipality": municipality})
            certificate = await parent.call("POST", f"/children/{child['id']}/certificate")
            await operators[municipality].call("POST", f"/certificates/{certificate['id']}/activate")
            first_children.setdefault(municipality, (parent, child | {"certificate_id": certificate["id"],
                                                                      "age": _age(born, today)}))
        parents.append(email)

    program, group_id = _shared_group(shared_programs, [first_children[c][1]["age"] for c in codes])
    enrolled = []
    for code in codes:
        parent, child = first_children[code]
        await _enroll(parent, staffs[SHARED_PROVIDER], child, group_id)
        enrolled.append(f"{child['full_name']} ({code}) → {program.title}")
    return DemoLogins(ADMIN_EMAIL, REGIONAL_EMAIL, [operator_email(c) for c in codes], providers, parents, enrolled)
