"""The registry's lists answer the one page format, a filter outside its fixed set is a 422 (not
an empty page), and a municipality the installation does not know is refused."""
from __future__ import annotations

import random

from tests.support.requisites_factory import organisation


async def test_history_is_paged_oldest_first(registry):
    staff = registry.tokens.headers("provider", subject="staff-h")
    pid = (await registry.client.post("/api/v1/providers", json=organisation(random.Random(21)), headers=staff)).json()["id"]
    for n in range(4):
        r = await registry.client.post(f"/api/v1/providers/{pid}/venues", headers=staff,
                                       json={"title": f"Корпус {n}", "address": f"г. Чегем, ул. Баляева, {n}"})
        assert r.status_code == 201, r.text

    pages = [(await registry.client.get(f"/api/v1/providers/{pid}/history", headers=staff,
                                        params={"page": n, "page_size": 2})).json() for n in (1, 2, 3)]
    assert [(p["total"], p["page"], p["page_size"]) for p in pages] == [(5, 1, 2), (5, 2, 2), (5, 3, 2)]
    items = [i for p in pages for i in p["items"]]
    assert [i["action"] for i in items] == ["submit"] + ["add_venue"] * 4
    assert items[0]["changes"] == {"inn": organisation(random.Random(21))["inn"], "before": None, "after": None,
                                   "venue": None, "agreement": None}
    assert [i["changes"]["venue"]["title"] for i in items[1:]] == [f"Корпус {n}" for n in range(4)]
    too_big = await registry.client.get(f"/api/v1/providers/{pid}/history", headers=staff, params={"page_size": 101})
    assert (too_big.status_code, too_big.json()["field"]) == (422, "page_size")


async def test_the_agreement_change_is_typed_in_the_history(registry):
    op = registry.tokens.headers("operator", municipality="neftekumsk")
    pid = (await registry.client.post("/api/v1/providers", json=organisation(random.Random(22)),
                                      headers=registry.tokens.headers("provider"))).json()["id"]
    await registry.client.post(f"/api/v1/providers/{pid}/approve", headers=registry.tokens.headers("admin"))
    for limit in (None, 500_000_00):
        r = await registry.client.put(f"/api/v1/providers/{pid}/agreements/neftekumsk/2026", headers=op,
                                      json={"number": "ДО-17/2026", "signed_on": "2026-01-15", "limit_kop": limit})
        assert r.status_code == 200, r.text
    history = (await registry.client.get(f"/api/v1/providers/{pid}/history",
                                         headers=registry.tokens.headers("admin"))).json()
    terms = {"number": "ДО-17/2026", "signed_on": "2026-01-15", "limit_kop": None, "active": True}
    assert [(i["action"], i["actor"].split(":")[0]) for i in history["items"][-2:]] == [("agreement", "operator")] * 2
    assert [i["changes"] for i in history["items"][-2:]] == [
        {"inn": None, "venue": None, "before": None, "after": None,
         "agreement": {"municipality": "neftekumsk", "year": 2026, "before": None, "after": terms}},
        {"inn": None, "venue": None, "before": None, "after": None,
         "agreement": {"municipality": "neftekumsk", "year": 2026, "before": terms,
                       "after": terms | {"limit_kop": 500_000_00}}}]


async def test_a_filter_outside_its_set_is_refused_not_answered_empty(registry):
    for params in ({"status": "active"}, {"kind": "ooo"}, {"municipality": "atlantis"}):
        r = await registry.client.get("/api/v1/providers", params=params)
        assert r.status_code == 422, (params, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["field"] == next(iter(params))
    assert (await registry.client.get("/api/v1/providers", params={"status": "approved", "kind": "private",
                                                                   "municipality": "chegem"})).status_code == 200


async def test_an_unknown_municipality_is_refused_and_nothing_is_stored(registry):
    body = organisation(random.Random(23)) | {"municipality": "atlantis"}
    r = await registry.client.post("/api/v1/providers", json=body, headers=registry.tokens.headers("provider"))
    assert (r.status_code, r.json()["field"]) == (422, "municipality"), r.text
    assert "GET /api/v1/municipalities" in r.json()["detail"]
    ok = await registry.client.post("/api/v1/providers", json=body | {"municipality": "baksan"},
                                    headers=registry.tokens.headers("provider"))
    assert ok.status_code == 201, ok.text


async def test_the_card_says_which_it_is(registry):
    staff = registry.tokens.headers("provider", subject="staff-v")
    op = registry.tokens.headers("operator", municipality="chegem")
    pid = (await registry.client.post("/api/v1/providers", json=organisation(random.Random(24)), headers=staff)).json()["id"]
    await registry.client.post(f"/api/v1/providers/{pid}/approve", headers=registry.tokens.headers("regional_operator"))
    assert (await registry.client.get(f"/api/v1/providers/{pid}", headers=staff)).json()["view"] == "full"
    public = (await registry.client.get(f"/api/v1/providers/{pid}")).json()
    assert public["view"] == "public" and "bank_account" not in public
    listed = (await registry.client.get("/api/v1/providers", params={"q": public["inn"]}, headers=op)).json()
    assert [i["view"] for i in listed["items"]] == ["full"]
