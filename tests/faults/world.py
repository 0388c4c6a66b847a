"""A district with two of everything, built through the gateway's public API: family A's child
is enrolled with provider A in municipality chegem, has attended, and the month is closed and
invoiced. The other side — family B, provider B (same municipality), the operator of
neftekumsk, the region's operator, the admin and an anonymous caller — reaches for A's objects.

`secrets` are A's strings that A's public views do not show (name, СНИЛС in every form,
certificate number, amounts, e-mail, bank account...); no answer to the other side may hold one.
`snapshot(key)` reads one of A's objects as its owner sees it, to prove it did not change."""
from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from deploy.api_client import Api
from tests.support import people
from tests.support.people import TODAY
from tests.support.platform import RunningPlatform
from tests.support.waiting import eventually

ROLES = ("anonymous", "parent", "provider", "operator", "regional_operator", "admin")
SNILS_A = "156-374-295 88"
CHILD_A = "Залина Тхагалегова"
PARENT_A_EMAIL = "mother-a@pfdo-faults.ru"
BANK_ACCOUNT_A_SEED = 21


@dataclass
class World:
    gateway_url: str
    actors: dict[str, Api]  # the other side, by role
    owners: dict[str, Api]  # A's side: parent, staff, operator
    ids: dict[str, str]  # A's objects
    secrets: list[str] = field(default_factory=list)
    readers: dict[str, Callable[[], Awaitable[object]]] = field(default_factory=dict)

    async def snapshot(self, key: str) -> object:
        return await self.readers[key]()

    async def snapshots(self) -> dict[str, object]:
        return {key: await read() for key, read in self.readers.items()}

    def leaked(self, text: str, asked: str = "") -> list[str]:
        """The secrets found in `text` but not in what the caller `asked` (an echo of the caller's own
        words is no leak); numbers only as whole numbers."""
        def found(s: str, where: str) -> bool:
            return bool(re.search(rf"(?<!\d){s}(?!\d)", where)) if s.isdigit() else s in where
        return [s for s in self.secrets if found(s, text) and not found(s, asked)]


async def build_world(platform: RunningPlatform) -> World:
    public, admin, operator, foreign_operator = await people.opened_district(platform)
    # asked again: nothing left to credit
    run = await operator.run("POST", f"/municipalities/chegem/periods/{TODAY.year}/open")

    staff, provider = await people.approved_provider(public, admin, "club-a@pfdo-faults.ru", BANK_ACCOUNT_A_SEED,
                                                     payers={"chegem": operator}, email="secret-club-a@pfdo-faults.ru")
    other_staff, _ = await people.approved_provider(public, admin, "club-b@pfdo-faults.ru", 22,
                                                    payers={"chegem": operator})
    program, group = await people.certified_program(staff, admin, "Робототехника: чужая группа", "Кучменов Р. Х.")
    parent = await people.register(public, PARENT_A_EMAIL)
    other_parent = await people.register(public, "father-b@pfdo-faults.ru")
    child = await people.child_with_certificate(parent, operator, SNILS_A, CHILD_A)
    application = await people.offered_contract(parent, staff, child, group)
    contract = await parent.call("POST", f"/contracts/{application['id']}/sign")
    await staff.call("POST", f"/groups/{group['id']}/attendance",
                     json={"lesson_date": TODAY.isoformat(), "present": [child["id"]]})

    month = await people.month_closed(platform, operator)
    [invoice] = (await staff.call("GET", "/invoices", params={"month": month}))["items"]
    [debit] = (await parent.call("GET", "/debits"))["items"]
    dispute = await parent.call("POST", "/disputes", json={"charge_id": debit["charge_id"],
                                                          "reason": "Проверьте посещения: ребёнок болел"})
    certificate = await parent.call("GET", f"/certificates/{child['certificate_id']}")
    full_provider = await staff.call("GET", f"/providers/{provider['id']}")
    [agreement] = (await staff.call("GET", f"/providers/{provider['id']}/agreements"))["items"]
    notice = await _first_notice(parent)

    world = World(
        gateway_url=platform.gateway_url,
        actors={"anonymous": public, "parent": other_parent, "provider": other_staff, "operator": foreign_operator,
                "regional_operator": await people.staff_account(admin, public, "region@pfdo-faults.ru",
                                                                "regional_operator", None),
                "admin": admin},
        owners={"parent": parent, "staff": staff, "operator": operator},
        ids={"provider_id": provider["id"], "child_id": child["id"], "certificate_id": child["certificate_id"],
             "number": certificate["number"], "program_id": program["id"], "module_id": program["modules"][0]["id"],
             "group_id": group["id"], "application_id": application["id"], "contract_id": contract["id"],
             "invoice_id": invoice["id"], "month": month, "year": str(TODAY.year), "inn": provider["inn"],
             "run_id": run["id"], "notification_id": notice["id"], "municipality": "chegem",
             "charge_id": debit["charge_id"], "dispute_id": dispute["id"],
             "account_id": (await parent.call("GET", "/me"))["id"]},
    )
    digits = SNILS_A.replace("-", "").replace(" ", "")
    candidates = [CHILD_A, SNILS_A, digits, f"{digits[:3]}-{digits[3:6]}-{digits[6:9]}", digits[6:9] + " " + digits[9:],
                  certificate["number"], PARENT_A_EMAIL, full_provider["bank_account"], full_provider["email"],
                  agreement["number"], contract["number"], invoice["number"],
                  str(debit["amount_kop"]), str(certificate["balance"]["available_kop"]),
                  str(certificate["balance"]["reserved_kop"])]
    public_views = (await public.call("GET", f"/programs/{program['id']}", auth=False),
                    await public.call("GET", f"/providers/{provider['id']}", auth=False))
    shown = "".join(str(v) for v in public_views)
    world.secrets = [s for s in candidates if s and s not in shown]
    world.readers = _readers(world, month)
    return world


async def _first_notice(parent: Api) -> dict:
    """The oldest notice in A's feed (the contract offer's, at the latest), once notifications made it."""
    feed: dict = {}

    async def noticed() -> bool:
        feed.update(await parent.call("GET", "/me/notifications", params={"page_size": 100}))
        return bool(feed["items"])
    await eventually(noticed, timeout_s=30, what="a notice in the family's feed")
    return feed["items"][-1]


def _readers(world: World, month: str) -> dict[str, Callable[[], Awaitable[object]]]:
    parent, staff, operator = world.owners["parent"], world.owners["staff"], world.owners["operator"]
    i = world.ids

    def read(api: Api, path: str, **params):
        return lambda: api.call("GET", path, params=params or None)
    return {
        "account": read(parent, "/me"),
        "child": read(parent, "/children"),
        "certificate": read(parent, f"/certificates/{i['certificate_id']}"),
        "ledger": read(parent, f"/certificates/{i['certificate_id']}/ledger"),
        "application": read(parent, "/applications"),
        "contract": read(parent, f"/contracts/{i['contract_id']}"),
        "debits": read(parent, "/debits"),
        "dispute": read(parent, f"/disputes/{i['dispute_id']}"),
        "provider": read(operator, f"/providers/{i['provider_id']}"),
        "provider_history": read(operator, f"/providers/{i['provider_id']}/history"),
        "agreements": read(staff, f"/providers/{i['provider_id']}/agreements"),
        "program": read(staff, f"/programs/{i['program_id']}"),
        "reviews": read(staff, f"/programs/{i['program_id']}/reviews"),
        "attendance": read(staff, f"/groups/{i['group_id']}/attendance", month=month),
        "invoice": read(staff, f"/invoices/{i['invoice_id']}"),
        "advances": read(staff, "/advances"),
        "month": read(operator, f"/municipalities/{i['municipality']}/months/{month}"),
        "period": read(operator, f"/municipalities/{i['municipality']}/periods/{i['year']}"),
        "notice": lambda: _notice_state(parent, i["notification_id"]),
        "preferences": read(parent, "/me/notification-preferences"),
    }


async def _notice_state(parent: Api, notification_id: str) -> object:
    """A's notice as A's feed shows it (read or not); newer notices may come meanwhile."""
    feed = await parent.call("GET", "/me/notifications", params={"page_size": 100})
    return [n for n in feed["items"] if n["id"] == notification_id]
