"""A provider edits its program, takes it off and back on the Navigator, and closes or reopens
enrollment to one group: roles, refusals and search's projection after each."""
from __future__ import annotations

from tests.integration.catalog.conftest import announce_provider
from tests.integration.catalog.test_applications import _apply, _children, _group_of
from tests.integration.catalog.test_programs_and_search import program, publish_program, search


async def test_provider_edits_its_program_and_search_follows(catalog):
    c = catalog.client
    provider, other = await announce_provider(catalog), await announce_provider(catalog, name="ИП Иванов")
    staff = catalog.tokens.headers("provider", provider_id=provider)
    pid = await publish_program(catalog, provider, program("Робототехника для начинающих"))
    before = (await c.get(f"/api/v1/programs/{pid}")).json()

    r = await c.patch(f"/api/v1/programs/{pid}", headers=staff,
                      json={"title": "Астрономия для юных", "max_age": 14, "ovz_adapted": True, "direction": "natural_science"})
    assert r.status_code == 200, r.text
    edited = r.json()
    assert (edited["title"], edited["max_age"], edited["ovz_adapted"], edited["direction"]) == (
        "Астрономия для юных", 14, True, "natural_science")
    assert (edited["description"], edited["min_age"], edited["modules"]) == (
        before["description"], before["min_age"], before["modules"])
    # The projection at once: the new words find it, the old ones do not, and the filters see the new values.
    assert [i["id"] for i in (await search(catalog, q="астрономия"))["items"]] == [pid]
    assert (await search(catalog, q="робототехника"))["total"] == 0
    assert [i["id"] for i in (await search(catalog, age=14, ovz=True, direction="natural_science"))["items"]] == [pid]

    # A published program's modules are frozen: families' contracts are priced by them.
    module = before["modules"][0]
    frozen = await c.patch(f"/api/v1/programs/{pid}", headers=staff,
                           json={"modules": [{**module, "price_kop": 1}]})
    assert (frozen.status_code, frozen.json()["field"]) == (409, "modules"), frozen.text
    assert "договоры" in frozen.json()["title"]
    bad_ages = await c.patch(f"/api/v1/programs/{pid}", headers=staff, json={"min_age": 15})
    assert (bad_ages.status_code, bad_ages.json()["field"]) == (422, "min_age")
    unknown = await c.patch(f"/api/v1/programs/{pid}", headers=staff, json={"status": "draft"})
    assert unknown.status_code == 422

    foreign = catalog.tokens.headers("provider", provider_id=other)
    assert (await c.patch(f"/api/v1/programs/{pid}", headers=foreign, json={"title": "Чужое"})).status_code == 403
    for role in ("parent", "regional_operator"):
        assert (await c.patch(f"/api/v1/programs/{pid}", headers=catalog.tokens.headers(role),
                              json={"title": "Чужое"})).status_code == 403
    assert (await c.patch(f"/api/v1/programs/{pid}", json={"title": "Чужое"})).status_code == 401
    after = (await c.get(f"/api/v1/programs/{pid}")).json()
    assert after["title"] == "Астрономия для юных" and after["modules"] == before["modules"]


async def test_a_drafts_modules_change_and_another_providers_draft_is_hidden(catalog):
    c = catalog.client
    provider, other = await announce_provider(catalog), await announce_provider(catalog, name="ИП Петров")
    staff = catalog.tokens.headers("provider", provider_id=provider)
    created = (await c.post("/api/v1/programs", json=program("Шахматы"), headers=staff)).json()
    pid, module = created["id"], created["modules"][0]

    r = await c.patch(f"/api/v1/programs/{pid}", headers=staff, json={"modules": [
        {"id": module["id"], "title": "Первый год", "hours": 36, "price_kop": 9_000_00},
        {"title": "Второй год", "hours": 72, "price_kop": 20_000_00}]})
    assert r.status_code == 200, r.text
    assert sorted((m["title"], m["hours"], m["price_kop"]) for m in r.json()["modules"]) == [
        ("Второй год", 72, 20_000_00), ("Первый год", 36, 9_000_00)]
    assert (await search(catalog, q="шахматы"))["total"] == 0  # a draft stays out of search
    stray = await c.patch(f"/api/v1/programs/{pid}", headers=staff, json={"modules": [
        {"id": "00000000-0000-0000-0000-000000000001", "title": "Чужой", "hours": 1, "price_kop": 0}]})
    assert (stray.status_code, stray.json()["field"]) == (422, "modules")
    foreign = catalog.tokens.headers("provider", provider_id=other)
    assert (await c.patch(f"/api/v1/programs/{pid}", headers=foreign, json={"title": "Чужое"})).status_code == 404


async def test_unpublished_program_leaves_search_refuses_applications_and_returns_on_publish(catalog):
    c = catalog.client
    provider, other = await announce_provider(catalog), await announce_provider(catalog, name="ИП Сидоров")
    staff = catalog.tokens.headers("provider", provider_id=provider)
    pid = await publish_program(catalog, provider, program("Юный эколог", direction="natural_science"))
    group = await _group_of(catalog, pid)
    first, late = await _children(catalog, 2, owner_prefix="eco")
    submitted = await _apply(catalog, first, group)
    assert submitted.status_code == 201, submitted.text

    foreign = catalog.tokens.headers("provider", provider_id=other)
    assert (await c.post(f"/api/v1/programs/{pid}/unpublish", headers=foreign)).status_code == 403
    assert (await search(catalog, q="эколог"))["total"] == 1
    r = await c.post(f"/api/v1/programs/{pid}/unpublish", headers=staff)
    assert (r.status_code, r.json()["status"]) == (200, "unpublished"), r.text
    assert (await c.post(f"/api/v1/programs/{pid}/unpublish", headers=staff)).status_code == 200  # a repeat is fine

    assert (await search(catalog, q="эколог"))["total"] == 0
    assert (await c.get(f"/api/v1/programs/{pid}")).status_code == 404  # hidden from the public
    assert (await c.get(f"/api/v1/programs/{pid}", headers=staff)).json()["status"] == "unpublished"
    refused = await _apply(catalog, late, group)
    assert (refused.status_code, refused.json()["field"]) == (409, "group_id"), refused.text
    assert "снял программу с публикации" in refused.json()["title"]
    # What was applied for goes on: the provider still decides it.
    accepted = await c.post(f"/api/v1/applications/{submitted.json()['id']}/accept", headers=staff)
    assert accepted.json()["status"] == "accepted", accepted.text

    # A suspension and reinstatement of the provider do not republish what it took off itself.
    await announce_provider(catalog, "suspended", provider)
    await announce_provider(catalog, "reinstated", provider)
    assert (await search(catalog, q="эколог"))["total"] == 0
    assert (await c.post(f"/api/v1/programs/{pid}/publish", headers=staff)).json()["status"] == "published"
    assert [i["id"] for i in (await search(catalog, q="эколог"))["items"]] == [pid]
    assert (await _apply(catalog, late, group)).status_code == 201

    draft = (await c.post("/api/v1/programs", json=program("Черновик"), headers=staff)).json()["id"]
    not_yet = await c.post(f"/api/v1/programs/{draft}/unpublish", headers=staff)
    assert (not_yet.status_code, not_yet.json()["field"]) == (409, "status")


async def test_closed_group_takes_no_applications_and_counts_no_free_seats(catalog):
    c = catalog.client
    provider, other = await announce_provider(catalog), await announce_provider(catalog, name="ИП Кузнецов")
    staff = catalog.tokens.headers("provider", provider_id=provider)
    pid = await publish_program(catalog, provider, program("Картинг"), capacity=5)
    group = await _group_of(catalog, pid)
    (kid,) = await _children(catalog, 1, owner_prefix="kart")

    for who in (catalog.tokens.headers("provider", provider_id=other), catalog.tokens.headers("parent", subject="x")):
        assert (await c.post(f"/api/v1/groups/{group}/close-enrollment", headers=who)).status_code == 403
    r = await c.post(f"/api/v1/groups/{group}/close-enrollment", headers=staff)
    assert r.status_code == 200, r.text
    assert (r.json()["enrollment_open"], r.json()["id"], r.json()["program_title"]) == (False, group, "Картинг")
    assert (await c.get(f"/api/v1/groups/{group}")).json()["enrollment_open"] is False
    assert (await c.get(f"/api/v1/programs/{pid}")).json()["groups"][0]["enrollment_open"] is False
    card = (await search(catalog, q="картинг"))["items"][0]
    assert card["free_seats"] == 0
    assert (await search(catalog, q="картинг", free_seats=True))["total"] == 0
    refused = await _apply(catalog, kid, group)
    assert (refused.status_code, refused.json()["field"]) == (409, "group_id"), refused.text
    assert refused.json()["title"] == "Набор в группу закрыт"

    r = await c.post(f"/api/v1/groups/{group}/open-enrollment", headers=staff)
    assert (r.status_code, r.json()["enrollment_open"]) == (200, True), r.text
    assert (await search(catalog, q="картинг"))["items"][0]["free_seats"] == 5
    assert (await _apply(catalog, kid, group)).status_code == 201


async def test_a_certified_programs_provider_changes_only_what_certification_allows(catalog):
    c = catalog.client
    provider = await announce_provider(catalog, name="ДЮСШ «Олимп»")
    staff = catalog.tokens.headers("provider", provider_id=provider)
    pid = await publish_program(catalog, provider, program("Робототехника сертифицированная", enrollment_limit=20),
                                certify=True)
    before = (await c.get(f"/api/v1/programs/{pid}")).json()
    assert before["certified"] and before["enrollment_limit"] == 20

    allowed = await c.patch(f"/api/v1/programs/{pid}", headers=staff, json={
        "description": "Новое описание программы для семей.", "enrollment_limit": 25, "ovz_adapted": True})
    assert allowed.status_code == 200, allowed.text
    assert (allowed.json()["description"], allowed.json()["enrollment_limit"], allowed.json()["ovz_adapted"]) == (
        "Новое описание программы для семей.", 25, True)
    for body, field in (({"description": "Ещё одно описание программы.", "title": "Другое", "level": "basic"}, "title"),
                        ({"title": before["title"], "form": "distance", "min_age": 8}, "form"),
                        ({"max_age": 13}, "max_age"), ({"direction": "artistic"}, "direction")):
        r = await c.patch(f"/api/v1/programs/{pid}", headers=staff, json=body)
        assert (r.status_code, r.json()["field"]) == (409, field), r.text
        assert r.json()["title"] == ("Программа сертифицирована: название, направленность, уровень, форма и возраст "
                                     "меняются только после повторной сертификации")
    # The whole form sent back with its certified fields unchanged is an allowed edit.
    same = {k: before[k] for k in ("title", "direction", "level", "form", "min_age", "max_age")}
    r = await c.patch(f"/api/v1/programs/{pid}", headers=staff, json={**same, "ovz_adapted": False})
    assert (r.status_code, r.json()["ovz_adapted"]) == (200, False), r.text
    after = (await c.get(f"/api/v1/programs/{pid}")).json()
    assert {k: after[k] for k in same} == same and after["description"] == "Новое описание программы для семей."


async def test_the_enrollment_limit_is_shown_and_an_explicit_null_lifts_it(catalog):
    c = catalog.client
    provider = await announce_provider(catalog, name="ДДТ «Лимит»")
    staff = catalog.tokens.headers("provider", provider_id=provider)
    created = (await c.post("/api/v1/programs", json=program("Лепка", enrollment_limit=12), headers=staff)).json()
    assert created["enrollment_limit"] == 12
    pid = created["id"]
    kept = await c.patch(f"/api/v1/programs/{pid}", headers=staff, json={"max_age": 11})
    assert (kept.status_code, kept.json()["enrollment_limit"]) == (200, 12), kept.text  # absent: unchanged
    lifted = await c.patch(f"/api/v1/programs/{pid}", headers=staff, json={"enrollment_limit": None})
    assert (lifted.status_code, lifted.json()["enrollment_limit"]) == (200, None), lifted.text
    assert (await c.get(f"/api/v1/programs/{pid}", headers=staff)).json()["enrollment_limit"] is None
    nulls = await c.patch(f"/api/v1/programs/{pid}", headers=staff, json={"title": None, "enrollment_limit": 7})
    assert (nulls.json()["title"], nulls.json()["enrollment_limit"]) == ("Лепка", 7)  # a null title changes nothing


async def test_a_barred_provider_neither_closes_nor_opens_a_groups_enrollment(catalog):
    c = catalog.client
    provider = await announce_provider(catalog, name="ИП Сидоров")
    staff = catalog.tokens.headers("provider", provider_id=provider)
    pid = await publish_program(catalog, provider, program("Гончарное дело"))
    group = await _group_of(catalog, pid)
    await announce_provider(catalog, status="excluded", provider_id=provider)
    for action in ("close-enrollment", "open-enrollment"):
        assert (await c.post(f"/api/v1/groups/{group}/{action}", headers=staff)).status_code == 403
    assert (await c.get(f"/api/v1/groups/{group}", headers=staff)).json()["enrollment_open"] is True


async def test_a_provider_lists_its_groups_with_their_programs_a_page_at_a_time(catalog):
    c = catalog.client
    provider, other = await announce_provider(catalog, name="ДДТ «Журнал»"), await announce_provider(catalog)
    staff = catalog.tokens.headers("provider", provider_id=provider)
    ballet = await publish_program(catalog, provider, program("Балет"))
    abacus = await publish_program(catalog, provider, program("Абакус"), weekday=3)
    await publish_program(catalog, other, program("Чужая программа"))
    draft = (await c.post("/api/v1/programs", json=program("Вязание"), headers=staff)).json()

    page = (await c.get("/api/v1/groups/mine", headers=staff)).json()
    assert page["total"] == 2 and [g["program_title"] for g in page["items"]] == ["Абакус", "Балет"]
    first = page["items"][0]
    assert first == (await c.get(f"/api/v1/groups/{first['id']}", headers=staff)).json()  # the group's own card
    assert (first["program_id"], first["program_status"], first["schedule"][0]["weekday"]) == (abacus, "published", 3)
    assert {"name", "venue", "teacher", "starts_on", "ends_on", "capacity", "free_seats", "enrollment_open"} <= set(first)
    await c.post(f"/api/v1/programs/{draft['id']}/groups", headers=staff, json={
        "module_id": draft["modules"][0]["id"], "venue": "каб. 3", "teacher": "Иванова А. А.",
        "schedule": [{"weekday": 0, "starts_at": "10:00", "minutes": 45}], "starts_on": "2026-09-01",
        "ends_on": "2027-05-31", "capacity": 8})
    second = (await c.get("/api/v1/groups/mine", headers=staff, params={"page": 2, "page_size": 2})).json()
    assert (second["total"], [g["program_title"] for g in second["items"]]) == (3, ["Вязание"])  # a draft's too
    assert [g["program_id"] for g in page["items"]] == [abacus, ballet]
    for role in ("parent", "operator", "regional_operator", "admin"):
        assert (await c.get("/api/v1/groups/mine", headers=catalog.tokens.headers(role))).status_code == 403
    assert (await c.get("/api/v1/groups/mine")).status_code == 401
