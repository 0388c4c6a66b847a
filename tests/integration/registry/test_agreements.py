"""Payment agreements per provider × payer municipality × year: the payer's operator keeps them,
everyone else is refused and changes nothing, each change is announced in its own transaction."""
from __future__ import annotations

import asyncio
import random

from tests.support.requisites_factory import organisation
from tests.support.rows import count_rows
from tests.support.waiting import eventually

YEAR = 2026
TERMS = {"number": "С-нефт-001", "signed_on": "2026-01-15", "limit_kop": 1_500_000_00, "active": True}


async def _approved(registry, seed: int, municipality: str = "chegem", subject: str | None = None) -> str:
    body = organisation(random.Random(seed)) | {"municipality": municipality}
    r = await registry.client.post("/api/v1/providers", json=body,
                                   headers=registry.tokens.headers("provider", subject=subject))
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    r = await registry.client.post(f"/api/v1/providers/{pid}/approve", headers=registry.tokens.headers("admin"))
    assert r.status_code == 200, r.text
    return pid


async def _put(registry, pid: str, municipality: str, headers: dict, year: int = YEAR, **terms):
    return await registry.client.put(f"/api/v1/providers/{pid}/agreements/{municipality}/{year}",
                                     json=TERMS | terms, headers=headers)


async def _counts(registry) -> tuple[int, ...]:
    return tuple([await count_rows(registry.database_url, t)
                  for t in ("payment_agreements", "provider_changes", "outbox")])


async def _drain(registry, routing_key: str, n: int) -> list[dict]:
    """Every event published until n of this kind arrived (the others too: they came with them)."""
    found: list[dict] = []

    async def arrived() -> bool:
        found.extend(await registry.events.drain(wait_s=0.2))
        return len([e for e in found if e["routing_key"] == routing_key]) >= n
    await eventually(arrived, timeout_s=15, what=f"{n} × {routing_key}")
    return found


def _of(events: list[dict], routing_key: str) -> list[dict]:
    return [e for e in events if e["routing_key"] == routing_key]


async def test_the_payer_signs_with_a_provider_of_another_municipality_and_it_is_announced(registry):
    pid = await _approved(registry, 31, municipality="chegem", subject="staff-31")
    payer = registry.tokens.headers("operator", subject="op-n", municipality="neftekumsk")
    r = await _put(registry, pid, "neftekumsk", payer)
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in ("provider_id", "municipality", "year", *TERMS)} == {
        "provider_id": pid, "municipality": "neftekumsk", "year": YEAR, **TERMS}

    events = await _drain(registry, "registry.agreement.changed.v1", 1)
    events += await registry.events.drain(wait_s=0.5)
    assert [e["payload"] for e in _of(events, "registry.agreement.changed.v1")] == [
        {"provider_id": pid, "municipality": "neftekumsk", "year": YEAR, **TERMS}]
    # The snapshot's old single agreement names the newest active one: consumers' copies say "has one".
    [updated] = _of(events, "registry.provider.updated.v1")
    assert updated["payload"]["provider"]["payment_agreement_number"] == TERMS["number"]

    # The same terms again: nothing changes, nothing is announced.
    before = await _counts(registry)
    assert (await _put(registry, pid, "neftekumsk", payer)).status_code == 200
    assert await _counts(registry) == before

    # A lower limit and then the end of it: each announced; ended, the provider holds no active agreement.
    assert (await _put(registry, pid, "neftekumsk", payer, limit_kop=0)).json()["limit_kop"] == 0
    assert (await _put(registry, pid, "neftekumsk", payer, limit_kop=0, active=False)).json()["active"] is False
    events = await _drain(registry, "registry.agreement.changed.v1", 2)
    events += await registry.events.drain(wait_s=0.5)
    assert [(e["payload"]["limit_kop"], e["payload"]["active"])
            for e in _of(events, "registry.agreement.changed.v1")] == [(0, True), (0, False)]
    assert [e["payload"]["provider"]["payment_agreement_number"]
            for e in _of(events, "registry.provider.updated.v1")] == [TERMS["number"], None]
    history = (await registry.client.get(f"/api/v1/providers/{pid}/history",
                                         headers=registry.tokens.headers("admin"))).json()["items"]
    assert [(h["action"], h["actor"]) for h in history] == [
        ("submit", "provider:staff-31"), ("approve", history[1]["actor"])] + [("agreement", "operator:op-n")] * 3


async def test_who_reads_which_agreements(registry):
    pid = await _approved(registry, 32, municipality="chegem", subject="staff-32")
    await _put(registry, pid, "chegem", registry.tokens.headers("operator", municipality="chegem"),
               number="С-чег-1", limit_kop=None)
    await _put(registry, pid, "neftekumsk", registry.tokens.headers("operator", municipality="neftekumsk"))
    await _put(registry, pid, "neftekumsk", registry.tokens.headers("admin"), year=YEAR + 1, number="С-нефт-2")

    async def listed(headers: dict, **params) -> list[tuple[str, int]]:
        r = await registry.client.get(f"/api/v1/providers/{pid}/agreements", headers=headers, params=params)
        assert r.status_code == 200, r.text
        return [(a["municipality"], a["year"]) for a in r.json()["items"]]

    everything = [("neftekumsk", YEAR + 1), ("chegem", YEAR), ("neftekumsk", YEAR)]
    assert await listed(registry.tokens.headers("provider", subject="staff-32")) == everything
    assert await listed(registry.tokens.headers("regional_operator")) == everything
    assert await listed(registry.tokens.headers("admin"), year=YEAR) == everything[1:]
    assert await listed(registry.tokens.headers("operator", municipality="neftekumsk")) == [
        ("neftekumsk", YEAR + 1), ("neftekumsk", YEAR)]
    assert await listed(registry.tokens.headers("operator", municipality="chegem")) == [("chegem", YEAR)]
    assert await listed(registry.tokens.headers("operator", municipality="baksan")) == []
    assert await listed(registry.tokens.headers("admin"), municipality="chegem", active=True) == [("chegem", YEAR)]
    for stranger in (registry.tokens.headers("parent"), registry.tokens.headers("provider")):
        r = await registry.client.get(f"/api/v1/providers/{pid}/agreements", headers=stranger)
        assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
    assert (await registry.client.get(f"/api/v1/providers/{pid}/agreements")).status_code == 401
    bad = await registry.client.get(f"/api/v1/providers/{pid}/agreements", headers=registry.tokens.headers("admin"),
                                    params={"municipality": "atlantis"})
    assert (bad.status_code, bad.json()["field"]) == (422, "municipality")


async def test_only_the_payer_s_staff_change_an_agreement_and_a_refusal_changes_nothing(registry):
    pid = await _approved(registry, 33, municipality="chegem")
    submitted = (await registry.client.post("/api/v1/providers", json=organisation(random.Random(34)),
                                            headers=registry.tokens.headers("provider"))).json()["id"]
    await _put(registry, pid, "neftekumsk", registry.tokens.headers("operator", municipality="neftekumsk"))
    before = await _counts(registry)

    refusals = [
        # a foreign municipal operator on another payer's agreement (even the provider's own municipality's)
        (pid, "neftekumsk", registry.tokens.headers("operator", municipality="chegem"), {}, 403, None),
        (pid, "neftekumsk", registry.tokens.headers("operator", municipality="baksan"), {}, 403, None),
        # the region runs the registry, not a municipality's money
        (pid, "neftekumsk", registry.tokens.headers("regional_operator"), {}, 403, None),
        (pid, "neftekumsk", registry.tokens.headers("provider"), {}, 403, None),
        (pid, "neftekumsk", registry.tokens.headers("parent"), {}, 403, None),
        # a provider not yet in the public registry: a stranger does not learn it exists
        (submitted, "neftekumsk", registry.tokens.headers("operator", municipality="neftekumsk"), {}, 404, None),
        (submitted, "chegem", registry.tokens.headers("operator", municipality="chegem"), {}, 409, "status"),
        (pid, "atlantis", registry.tokens.headers("admin"), {}, 422, "municipality"),
        (pid, "neftekumsk", registry.tokens.headers("admin"), {"limit_kop": -1}, 422, "limit_kop"),
        (pid, "neftekumsk", registry.tokens.headers("admin"), {"number": ""}, 422, "number"),
    ]
    for provider_id, municipality, headers, terms, status, field in refusals:
        r = await _put(registry, provider_id, municipality, headers, **terms)
        assert r.status_code == status, (municipality, headers, terms, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        if field:
            assert r.json()["field"] == field, r.text
        if status == 422:
            assert any("а" <= ch <= "я" for ch in r.json()["title"] + (r.json().get("detail") or "")), r.text
        if status == 409:
            assert r.json()["type"] == "urn:pfdo:problem:provider-not-approved" and "допущенным" in r.json()["title"]
    old_year = await _put(registry, pid, "neftekumsk", registry.tokens.headers("admin"), year=1999)
    assert (old_year.status_code, old_year.json()["field"]) == (422, "year")
    assert (await registry.client.put(f"/api/v1/providers/{pid}/agreements/neftekumsk/{YEAR}",
                                      json=TERMS)).status_code == 401
    assert await _counts(registry) == before
    mine = (await registry.client.get(f"/api/v1/providers/{pid}/agreements",
                                      headers=registry.tokens.headers("admin"))).json()["items"]
    assert [(a["municipality"], a["number"], a["limit_kop"]) for a in mine] == [
        ("neftekumsk", TERMS["number"], TERMS["limit_kop"])]


async def test_a_payer_ends_its_agreement_with_a_suspended_provider(registry):
    pid = await _approved(registry, 35, municipality="chegem")
    payer = registry.tokens.headers("operator", municipality="neftekumsk")
    await _put(registry, pid, "neftekumsk", payer)
    await registry.client.post(f"/api/v1/providers/{pid}/suspend", json={"reason": "Проверка"},
                               headers=registry.tokens.headers("regional_operator"))
    again = await _put(registry, pid, "neftekumsk", payer, number="С-нефт-новый")
    assert (again.status_code, again.json()["type"]) == (409, "urn:pfdo:problem:provider-not-approved")
    ended = await _put(registry, pid, "neftekumsk", payer, active=False)
    assert (ended.status_code, ended.json()["active"]) == (200, False), ended.text
    listed = await registry.client.get(f"/api/v1/providers/{pid}/agreements", headers=payer)
    assert [a["active"] for a in listed.json()["items"]] == [False]


async def test_racing_writers_of_one_agreement_leave_one_row_and_every_change_announced(registry):
    pid = await _approved(registry, 36, municipality="chegem")
    payer = registry.tokens.headers("operator", municipality="chegem")
    await registry.events.drain(wait_s=0.3)
    answers = await asyncio.gather(*(_put(registry, pid, "chegem", payer, number=f"С-{n}") for n in range(12)))
    assert [r.status_code for r in answers] == [200] * 12, [r.text for r in answers if r.status_code != 200]
    assert await count_rows(registry.database_url, "payment_agreements") == 1
    changed = _of(await _drain(registry, "registry.agreement.changed.v1", 12), "registry.agreement.changed.v1")
    assert sorted(e["payload"]["number"] for e in changed) == sorted(f"С-{n}" for n in range(12))
    last = (await registry.client.get(f"/api/v1/providers/{pid}/agreements", headers=payer)).json()["items"][0]
    assert last["number"] == changed[-1]["payload"]["number"]  # the last announced is what is kept


async def test_announce_agreements_publishes_every_agreement_s_current_terms_again(registry):
    from services.registry.jobs.announce_agreements import announce_all

    pid = await _approved(registry, 37, municipality="chegem")
    await _put(registry, pid, "chegem", registry.tokens.headers("operator", municipality="chegem"), number="С-1")
    await _put(registry, pid, "neftekumsk", registry.tokens.headers("admin"), limit_kop=5_00)
    await _put(registry, pid, "neftekumsk", registry.tokens.headers("admin"), year=YEAR + 1, active=False)
    await _drain(registry, "registry.agreement.changed.v1", 3)
    await registry.events.drain(wait_s=0.3)

    assert await announce_all(registry.settings, batch=2) == 3  # two batches
    again = _of(await _drain(registry, "registry.agreement.changed.v1", 3), "registry.agreement.changed.v1")
    assert sorted((e["payload"]["municipality"], e["payload"]["year"], e["payload"]["number"],
                   e["payload"]["limit_kop"], e["payload"]["active"]) for e in again) == [
        ("chegem", YEAR, "С-1", TERMS["limit_kop"], True), ("neftekumsk", YEAR, TERMS["number"], 5_00, True),
        ("neftekumsk", YEAR + 1, TERMS["number"], TERMS["limit_kop"], False)]


async def test_a_payer_reads_the_history_of_a_provider_it_pays_of_another_municipality(registry):
    pid = await _approved(registry, 36, municipality="chegem", subject="staff-36")
    neftekumsk = registry.tokens.headers("operator", municipality="neftekumsk")

    async def history(headers: dict):
        return await registry.client.get(f"/api/v1/providers/{pid}/history", headers=headers)
    assert (await history(neftekumsk)).status_code == 404  # no agreement yet: not its provider
    assert (await _put(registry, pid, "neftekumsk", neftekumsk)).status_code == 200
    assert (await _put(registry, pid, "neftekumsk", neftekumsk, active=False)).status_code == 200  # held, ended
    r = await history(neftekumsk)
    assert r.status_code == 200, r.text
    assert [h["action"] for h in r.json()["items"]] == ["submit", "approve", "agreement", "agreement"]
    assert (await history(registry.tokens.headers("operator", municipality="baksan"))).status_code == 404
    assert (await history(registry.tokens.headers("operator", municipality="chegem"))).status_code == 200
    assert (await history(registry.tokens.headers("provider", subject="someone-else"))).status_code == 404
