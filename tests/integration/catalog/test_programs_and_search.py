"""Programs, groups and the Navigator's search on real PostgreSQL, providers learned from the bus."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from pfdo_kit.clock import Clock
from services.catalog.models import Group
from tests.integration.catalog.conftest import announce_provider

TODAY = Clock().today()


def program(title: str, description: str = "Занятия для детей в кружке нашего дома творчества.", **kw) -> dict:
    return {"title": title, "description": description, "direction": "technical", "level": "starting",
            "form": "in_person", "min_age": 7, "max_age": 12,
            "modules": [{"title": "Первый год", "hours": 72, "price_kop": 18_000_00}], **kw}


async def publish_program(svc, provider_id, body: dict, *, weekday: int = 1, capacity: int = 10,
                          certify: bool = False) -> str:
    c, t = svc.client, svc.tokens
    staff = t.headers("provider", provider_id=provider_id)
    created = await c.post("/api/v1/programs", json=body, headers=staff)
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    group = await c.post(f"/api/v1/programs/{pid}/groups", headers=staff, json={
        "module_id": created.json()["modules"][0]["id"], "venue": "каб. 12", "teacher": "Тхагапсоева М. А.",
        "schedule": [{"weekday": weekday, "starts_at": "15:00", "minutes": 45}],
        "starts_on": TODAY.isoformat(), "ends_on": (TODAY + timedelta(days=200)).isoformat(), "capacity": capacity})
    assert group.status_code == 201, group.text
    assert (await c.post(f"/api/v1/programs/{pid}/publish", headers=staff)).status_code == 200
    if certify:
        r = await c.post(f"/api/v1/programs/{pid}/certify", headers=t.headers("regional_operator"),
                         json={"score": 87, "valid_until": (TODAY + timedelta(days=365)).isoformat()})
        assert r.json()["certified"] is True
    return pid


async def search(svc, **params) -> dict:
    r = await svc.client.get("/api/v1/programs", params=params)
    assert r.status_code == 200, r.text
    return r.json()


async def test_russian_word_forms_and_title_weighs_more(catalog):
    provider = await announce_provider(catalog)
    robots = await publish_program(catalog, provider, program("Робототехника для начинающих"))
    chess = await publish_program(catalog, provider, program(
        "Шахматы", "Логика, стратегия и немного робототехники для любознательных детей."))
    await publish_program(catalog, provider, program("Вокальная студия «Соловушка»", direction="artistic"))

    for q in ("робототехнике", "робототехника", "РОБОТОТЕХНИКОЙ"):
        found = [i["id"] for i in (await search(catalog, q=q))["items"]]
        assert found == [robots, chess], (q, found)
    # A derived word finds its root's programs (вокал → вокальная), and nothing else.
    assert [i["title"] for i in (await search(catalog, q="вокал"))["items"]] == ["Вокальная студия «Соловушка»"]
    assert (await search(catalog, q="астрономия"))["total"] == 0
    assert (await search(catalog, q="соловушка"))["total"] == 1


async def test_filters_combine_and_paging_is_stable(catalog):
    provider = await announce_provider(catalog)
    certified = await publish_program(catalog, provider, program("Авиамоделирование"), weekday=2, certify=True)
    await publish_program(catalog, provider, program("Судомоделирование", min_age=13, max_age=17), weekday=2)
    full = await publish_program(catalog, provider, program("Картинг"), weekday=4, capacity=1)
    async with catalog.app.state.runtime.sessions() as s, s.begin():
        await s.execute(update(Group).where(Group.program_id == full).values(taken=1))

    assert {i["title"] for i in (await search(catalog, age=8))["items"]} == {"Авиамоделирование", "Картинг"}
    assert [i["id"] for i in (await search(catalog, age=8, certificate=True))["items"]] == [certified]
    assert [i["title"] for i in (await search(catalog, age=8, free_seats=True, weekday=4))["items"]] == []
    assert [i["title"] for i in (await search(catalog, weekday=2, age=15))["items"]] == ["Судомоделирование"]
    assert (await search(catalog, weekday=2, after="15:00"))["total"] == 2  # lessons start at 15:00
    assert (await search(catalog, weekday=2, after="15:01"))["total"] == 0
    bad_time = await catalog.client.get("/api/v1/programs", params={"after": "25:00"})
    assert (bad_time.status_code, bad_time.json()["field"]) == (422, "after")
    assert (await search(catalog, direction="artistic"))["total"] == 0

    for n in range(7):
        await publish_program(catalog, provider, program(f"Кружок номер {n}"))
    pages = [await search(catalog, page=k, page_size=4, sort="start") for k in (1, 2, 3)]
    ids = [i["id"] for p in pages for i in p["items"]]
    assert len(ids) == len(set(ids)) == 10 and {p["total"] for p in pages} == {10}


async def test_suspended_provider_vanishes_from_search_at_once(catalog):
    provider = await announce_provider(catalog)
    pid = await publish_program(catalog, provider, program("Юный эколог", direction="natural_science"))
    assert (await search(catalog, q="эколог"))["total"] == 1
    await announce_provider(catalog, "suspended", provider)
    assert (await search(catalog, q="эколог"))["total"] == 0
    assert (await catalog.client.get(f"/api/v1/programs/{pid}")).status_code == 404
    staff = catalog.tokens.headers("provider", provider_id=provider)
    assert (await catalog.client.post(f"/api/v1/programs/{pid}/publish", headers=staff)).status_code == 409
    await announce_provider(catalog, "reinstated", provider)
    assert (await search(catalog, q="эколог"))["total"] == 1


async def test_bad_input_and_foreign_provider_change_nothing(catalog):
    provider, other = await announce_provider(catalog), await announce_provider(catalog, name="ИП Иванов")
    staff = catalog.tokens.headers("provider", provider_id=provider)
    r = await catalog.client.post("/api/v1/programs", json=program("Лего", min_age=12, max_age=7), headers=staff)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    pid = await publish_program(catalog, provider, program("Лего-конструирование"))
    foreign = catalog.tokens.headers("provider", provider_id=other)
    module = (await catalog.client.get(f"/api/v1/programs/{pid}")).json()["modules"][0]["id"]
    group = {"module_id": module, "venue": "зал", "teacher": "Иванов И. И.", "capacity": 5,
             "schedule": [{"weekday": 0, "starts_at": "10:00", "minutes": 45}],
             "starts_on": TODAY.isoformat(), "ends_on": TODAY.isoformat()}
    assert (await catalog.client.post(f"/api/v1/programs/{pid}/groups", json=group, headers=foreign)).status_code == 403
    wrong_module = {**group, "module_id": "00000000-0000-0000-0000-000000000001"}
    r = await catalog.client.post(f"/api/v1/programs/{pid}/groups", json=wrong_module, headers=staff)
    assert (r.status_code, r.json()["field"]) == (422, "module_id")
    assert (await catalog.client.post(f"/api/v1/programs/{pid}/certify", json={"score": 5, "valid_until": "2030-01-01"},
                                      headers=catalog.tokens.headers("operator", municipality="neftekumsk"))).status_code == 403
    after = (await catalog.client.get(f"/api/v1/programs/{pid}")).json()
    assert len(after["groups"]) == 1 and after["certified"] is False
