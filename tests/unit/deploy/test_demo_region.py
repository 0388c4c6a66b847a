"""The demo region as `make run` loads it, against a recording stand-in for the gateway: who does
what is the regional design — the regional operator approves and certifies, each municipal
operator sets its own period, signs its own payer's agreements and activates its own
children's certificates; one provider holds agreements with both payers and teaches a child of
each municipality. (The real calls run in `make run`; this checks the demo asks for the right
things, by the right people.)"""
from __future__ import annotations

import asyncio
import itertools
import re
from datetime import date

import pytest

from deploy.demo import region as demo
from deploy.region_config import region

TODAY = date(2026, 9, 14)


class Gateway:
    def __init__(self) -> None:
        self.log: list[tuple[str, str, str, dict | None]] = []
        self.ids = itertools.count(1)
        self.provider_of: dict[str, str] = {}  # staff e-mail → provider id


class FakeApi:
    def __init__(self, gateway: Gateway, who: str) -> None:
        self.g, self.who = gateway, who

    async def login(self, email: str, password: str) -> FakeApi:
        assert password == demo.PASSWORD
        return FakeApi(self.g, email)

    async def run(self, method: str, path: str, **_) -> dict:
        self.g.log.append((self.who, method, path, None))
        return {"status": "done", "result": {"credited_certificates": 0, "stopped_at_budget": False}}

    async def call(self, method: str, path: str, json=None, params=None, auth=True, **_):
        self.g.log.append((self.who, method, path, json))
        n = next(self.g.ids)
        if method == "GET" and re.fullmatch(r"/municipalities/[^/]+/periods/\d+", path):
            from deploy.api_client import ApiError
            raise ApiError(404, {"title": "Не найдено"})
        if (method, path) == ("POST", "/providers"):
            self.g.provider_of[self.who] = f"provider-{n}"
            return {"id": f"provider-{n}"}
        if (method, path) == ("GET", "/me"):
            return {"provider_id": self.g.provider_of.get(self.who)}
        if (method, path) == ("POST", "/programs"):
            return {"id": f"program-{n}", "modules": [{"id": f"module-{n}"}]}
        if method == "POST" and path.endswith("/groups"):
            return {"id": f"group-{n}"}
        if (method, path) == ("POST", "/children"):
            return {"id": f"child-{n}", "full_name": json["full_name"]}
        if method == "POST" and re.fullmatch(r"/children/[^/]+/certificate", path):
            return {"id": f"certificate-{path.split('/')[2]}"}
        if method == "GET" and path.endswith("/cost"):
            return {"payment": "certificate"}
        if (method, path) == ("POST", "/applications"):
            return {"id": f"application-{json['certificate_id']}"}
        if (method, path) == ("GET", "/contracts"):  # the offer, drafted once the acceptance reached billing
            return {"items": [{"id": f"application-certificate-{params['child_id']}", "status": "offered"}]}
        return {}


@pytest.fixture
def loaded(monkeypatch):
    gateway = Gateway()
    monkeypatch.setattr(demo, "Api", lambda url: FakeApi(gateway, "anonymous"))
    logins = asyncio.run(demo.load("http://gateway", FakeApi(gateway, demo.ADMIN_EMAIL), region("kbr"), TODAY))
    return gateway, logins


def calls(gateway: Gateway, method: str, pattern: str) -> list[tuple[str, str, dict | None]]:
    return [(who, path, body) for who, m, path, body in gateway.log if m == method and re.fullmatch(pattern, path)]


def test_the_admin_makes_a_regional_operator_and_one_operator_per_municipality(loaded):
    gateway, logins = loaded
    made = [(who, body["role"], body.get("municipality"), body["email"]) for who, _, body in
            calls(gateway, "POST", "/accounts")]
    assert made == [(demo.ADMIN_EMAIL, "regional_operator", None, "region@pfdo-kbr.ru"),
                    (demo.ADMIN_EMAIL, "operator", "chegem", "operator-chegem@pfdo-kbr.ru"),
                    (demo.ADMIN_EMAIL, "operator", "baksan", "operator-baksan@pfdo-kbr.ru")]
    assert (logins.regional_operator, logins.operators) == (
        "region@pfdo-kbr.ru", ["operator-chegem@pfdo-kbr.ru", "operator-baksan@pfdo-kbr.ru"])
    assert len(logins.providers) == 10 and len(logins.parents) == 3


def test_each_municipal_operator_sets_and_opens_its_own_period_for_this_year(loaded):
    gateway, _ = loaded
    config = region("kbr")
    puts = calls(gateway, "PUT", r"/municipalities/[^/]+/periods/\d+")
    assert [(who, path) for who, path, _ in puts] == [
        ("operator-chegem@pfdo-kbr.ru", "/municipalities/chegem/periods/2026"),
        ("operator-baksan@pfdo-kbr.ru", "/municipalities/baksan/periods/2026")]
    assert puts[1][2]["nominals"] == config.municipality("baksan").period.api_body()["nominals"]
    assert [who for who, _, _ in calls(gateway, "POST", r"/municipalities/[^/]+/periods/\d+/open")] == [
        "operator-chegem@pfdo-kbr.ru", "operator-baksan@pfdo-kbr.ru"]


def test_the_regional_operator_alone_approves_and_certifies(loaded):
    gateway, _ = loaded
    approvals = calls(gateway, "POST", r"/providers/[^/]+/approve")
    certifications = calls(gateway, "POST", r"/programs/[^/]+/certify")
    assert len(approvals) == 10 and len(certifications) > 50
    assert {who for who, _, _ in approvals + certifications} == {"region@pfdo-kbr.ru"}


def test_each_payer_signs_its_own_agreements_and_one_provider_has_both(loaded):
    gateway, _ = loaded
    home = {gateway.provider_of[who]: body["municipality"] for who, _, body in calls(gateway, "POST", "/providers")}
    assert set(home.values()) == {"chegem", "baksan"}
    payers: dict[str, set[str]] = {}
    for who, path, body in calls(gateway, "PUT", r"/providers/[^/]+/agreements/[^/]+/\d+"):
        _, _, provider, _, payer, year = path.split("/")
        assert who == f"operator-{payer}@pfdo-kbr.ru" and year == "2026"
        assert set(body) == {"number", "signed_on", "limit_kop", "active"} and body["active"] is True
        payers.setdefault(provider, set()).add(payer)
    assert all(home[p] in payers[p] for p in home)
    both = [p for p, ps in payers.items() if ps == {"chegem", "baksan"}]
    assert len(both) == 1 and all(len(ps) == 1 for p, ps in payers.items() if p not in both)


def test_a_child_of_each_municipality_enrolls_with_the_provider_of_both(loaded):
    gateway, logins = loaded
    municipality_of = {}
    for who, m, path, body in gateway.log:
        if (m, path) == ("POST", "/children"):
            child_municipality = body["municipality"]
        if m == "POST" and re.fullmatch(r"/children/[^/]+/certificate", path):
            municipality_of[f"certificate-{path.split('/')[2]}"] = child_municipality
    assert set(municipality_of.values()) == {"chegem", "baksan"}
    for who, path, _ in calls(gateway, "POST", r"/certificates/[^/]+/activate"):
        assert who == f"operator-{municipality_of[path.split('/')[2]]}@pfdo-kbr.ru"
    applications = calls(gateway, "POST", "/applications")
    assert len(applications) == 2 and len({body["group_id"] for _, _, body in applications}) == 1
    assert {municipality_of[body["certificate_id"]] for _, _, body in applications} == {"chegem", "baksan"}
    shared_staff = f"provider{demo.SHARED_PROVIDER + 1}@pfdo-kbr.ru"
    assert {who for who, _, _ in calls(gateway, "POST", r"/applications/[^/]+/accept")} == {shared_staff}
    assert len(calls(gateway, "POST", r"/contracts/[^/]+/sign")) == 2 and len(logins.enrolled) == 2
