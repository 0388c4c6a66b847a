"""The reads a frontend is built on: one application, one group, a provider's own programs, the
names and schedule on a family's applications, one page format, and fixed sets refused as 422."""
from __future__ import annotations

import uuid

from sqlalchemy import event

from pfdo_kit.auth import Principal
from pfdo_kit.pagination import PageParams
from services.catalog.models import Review
from services.catalog.queries.applications import applications_for
from tests.integration.catalog.conftest import announce_provider
from tests.integration.catalog.test_applications import _apply, _children, _group_of
from tests.integration.catalog.test_programs_and_search import TODAY, program, publish_program

SCHEDULE = [{"weekday": 2, "starts_at": "15:00", "minutes": 45}]  # publish_program's one lesson, on Wednesdays


async def _draft(svc, provider: uuid.UUID, title: str, with_group: bool = True) -> tuple[str, str | None]:
    """A program its provider created and never published, with one group: (program id, group id)."""
    staff = svc.tokens.headers("provider", provider_id=provider)
    created = (await svc.client.post("/api/v1/programs", json=program(title), headers=staff)).json()
    if not with_group:
        return created["id"], None
    group = await svc.client.post(f"/api/v1/programs/{created['id']}/groups", headers=staff, json={
        "module_id": created["modules"][0]["id"], "venue": "каб. 3", "teacher": "Жангоразова Л. М.",
        "schedule": SCHEDULE, "starts_on": TODAY.isoformat(), "ends_on": TODAY.replace(year=TODAY.year + 1).isoformat(),
        "capacity": 8})
    assert group.status_code == 201, group.text
    return created["id"], group.json()["id"]


async def test_an_application_shows_its_program_group_schedule_and_provider_and_only_to_its_people(catalog):
    provider = await announce_provider(catalog, name="ДДТ «Радуга»")
    group = await _group_of(catalog, await publish_program(catalog, provider, program("Робототехника"), weekday=2))
    kid, stranger = await _children(catalog, 2)
    applied = await _apply(catalog, kid, group)
    assert applied.status_code == 201, applied.text
    shown = {"program_title": "Робототехника", "group_name": "Первый год, Тхагапсоева М. А.", "venue": "каб. 12",
             "schedule": SCHEDULE, "provider_name": "ДДТ «Радуга»", "status": "submitted"}
    assert {k: applied.json()[k] for k in shown} == shown
    app = applied.json()["id"]

    parent = catalog.tokens.headers("parent", subject=kid["owner"])
    [listed] = (await catalog.client.get("/api/v1/applications", headers=parent)).json()["items"]
    assert {k: listed[k] for k in shown} == shown and listed["id"] == app
    readers = [parent, catalog.tokens.headers("provider", provider_id=provider),
               catalog.tokens.headers("operator", municipality="chegem"), catalog.tokens.headers("admin")]
    for headers in readers:
        one = await catalog.client.get(f"/api/v1/applications/{app}", headers=headers)
        assert one.status_code == 200 and one.json() == listed, one.text
    other_provider = await announce_provider(catalog, name="ИП Петров")
    strangers = [catalog.tokens.headers("parent", subject=stranger["owner"]),
                 catalog.tokens.headers("provider", provider_id=other_provider),
                 catalog.tokens.headers("operator", municipality="neftekumsk")]
    for headers in strangers:
        refused = await catalog.client.get(f"/api/v1/applications/{app}", headers=headers)
        assert (refused.status_code, refused.json()["title"]) == (404, "Заявка не найдена")
    missing = await catalog.client.get(f"/api/v1/applications/{uuid.uuid4()}", headers=parent)
    assert (missing.status_code, missing.json()["title"]) == (404, "Заявка не найдена")  # the same as another's
    assert (await catalog.client.get(f"/api/v1/applications/{app}")).status_code == 401

    accepted = await catalog.client.post(f"/api/v1/applications/{app}/accept",
                                         headers=catalog.tokens.headers("provider", provider_id=provider))
    assert {k: accepted.json()[k] for k in shown} == {**shown, "status": "accepted"}


async def test_a_page_of_applications_is_read_in_two_statements_however_many_it_holds(catalog):
    provider = await announce_provider(catalog)
    kids = await _children(catalog, 3)
    for n, kid in enumerate(kids):
        group = await _group_of(catalog, await publish_program(catalog, provider, program(f"Кружок {n}")))
        assert (await _apply(catalog, kid, group)).status_code == 201
    staff = Principal(subject="staff", role="provider", provider_id=provider)
    seen: list[str] = []
    async with catalog.app.state.runtime.sessions() as session:
        connection = await session.connection()
        event.listen(connection.sync_connection, "before_cursor_execute", lambda _c, _cur, sql, *_: seen.append(sql))
        rows, total = await applications_for(session, staff, None, PageParams(page_size=10))
    assert total == 3 and len(seen) == 2, seen  # the total and the page, the names joined in
    assert {row.program_title for row in rows} == {"Кружок 0", "Кружок 1", "Кружок 2"}


async def test_applications_page_newest_first_and_a_status_outside_the_set_is_refused(catalog):
    provider = await announce_provider(catalog)
    kids = await _children(catalog, 3)
    made = []
    for n, kid in enumerate(kids):
        group = await _group_of(catalog, await publish_program(catalog, provider, program(f"Секция {n}")))
        made.append((await _apply(catalog, kid, group)).json()["id"])
    staff = catalog.tokens.headers("provider", provider_id=provider)

    async def page(**params) -> dict:
        r = await catalog.client.get("/api/v1/applications", headers=staff, params=params)
        assert r.status_code == 200, r.text
        return r.json()
    first, second = await page(page_size=2), await page(page_size=2, page=2)
    assert (first["total"], first["page"], first["page_size"], second["total"]) == (3, 1, 2, 3)
    assert [a["id"] for a in first["items"] + second["items"]] == made[::-1]
    assert (await page(status="submitted"))["total"] == 3 and (await page(status="enrolled"))["total"] == 0
    for params in ({"status": "archived"}, {"page_size": 101}, {"page": 0}):
        bad = await catalog.client.get("/api/v1/applications", headers=staff, params=params)
        assert (bad.status_code, bad.json()["field"]) == (422, next(iter(params))), bad.text


async def test_a_group_is_public_with_its_program_and_a_drafts_group_only_for_its_provider_and_staff(catalog):
    provider = await announce_provider(catalog, name="ДДТ «Радуга»")
    published = await publish_program(catalog, provider, program("Шахматы"), weekday=2, capacity=6)
    group = await _group_of(catalog, published)
    shown = await catalog.client.get(f"/api/v1/groups/{group}")
    assert shown.status_code == 200, shown.text
    assert {k: shown.json()[k] for k in ("program_id", "program_title", "program_status", "provider_name", "name",
                                         "schedule", "capacity", "free_seats")} == {
        "program_id": published, "program_title": "Шахматы", "program_status": "published",
        "provider_name": "ДДТ «Радуга»", "name": "Первый год, Тхагапсоева М. А.", "schedule": SCHEDULE,
        "capacity": 6, "free_seats": 6}

    _, draft_group = await _draft(catalog, provider, "Шашки")
    other_provider = await announce_provider(catalog, name="ИП Петров")
    for headers in ({}, catalog.tokens.headers("parent", subject="someone"),
                    catalog.tokens.headers("provider", provider_id=other_provider),
                    catalog.tokens.headers("operator", municipality="neftekumsk")):
        refused = await catalog.client.get(f"/api/v1/groups/{draft_group}", headers=headers)
        assert (refused.status_code, refused.json()["title"]) == (404, "Группа не найдена")
    for headers in (catalog.tokens.headers("provider", provider_id=provider),
                    catalog.tokens.headers("operator", municipality="chegem"), catalog.tokens.headers("admin")):
        seen = await catalog.client.get(f"/api/v1/groups/{draft_group}", headers=headers)
        assert (seen.status_code, seen.json()["program_status"]) == (200, "draft")
    assert (await catalog.client.get(f"/api/v1/groups/{uuid.uuid4()}")).status_code == 404


async def test_a_provider_lists_its_own_programs_drafts_included(catalog):
    provider = await announce_provider(catalog)
    other = await announce_provider(catalog, name="ИП Петров")
    published = await publish_program(catalog, provider, program("Авиамоделирование"))
    drafts = [(await _draft(catalog, provider, "Судомоделирование"))[0],
              (await _draft(catalog, provider, "Ракетомоделирование", with_group=False))[0]]
    await _draft(catalog, other, "Чужая программа")
    staff = catalog.tokens.headers("provider", provider_id=provider)

    async def mine(**params) -> dict:
        r = await catalog.client.get("/api/v1/programs/mine", headers=staff, params=params)
        assert r.status_code == 200, r.text
        return r.json()
    everything = await mine()
    assert everything["total"] == 3
    assert [(p["id"], p["status"], p["groups"]) for p in everything["items"]] == [
        (drafts[1], "draft", 0), (drafts[0], "draft", 1), (published, "published", 1)]
    assert [p["id"] for p in (await mine(status="draft"))["items"]] == drafts[::-1]
    assert [p["id"] for p in (await mine(status="published"))["items"]] == [published]
    paged = [await mine(page_size=2, page=n) for n in (1, 2)]
    assert [p["id"] for pg in paged for p in pg["items"]] == [p["id"] for p in everything["items"]]
    bad = await catalog.client.get("/api/v1/programs/mine", headers=staff, params={"status": "archived"})
    assert (bad.status_code, bad.json()["field"]) == (422, "status")
    for headers in (catalog.tokens.headers("parent", subject="someone"),
                    catalog.tokens.headers("operator", municipality="chegem")):
        assert (await catalog.client.get("/api/v1/programs/mine", headers=headers)).status_code == 403
    assert (await catalog.client.get("/api/v1/programs/mine")).status_code == 401


async def test_reviews_page_newest_first(catalog):
    provider = await announce_provider(catalog)
    pid = await publish_program(catalog, provider, program("Гончарное дело"))
    async with catalog.app.state.runtime.sessions() as s, s.begin():
        s.add_all(Review(id=uuid.uuid4(), program_id=uuid.UUID(pid), child_id=uuid.uuid4(), owner=f"parent-{n}",
                         rating=5 - n % 2, text=f"Отзыв {n}") for n in range(3))
    pages = [(await catalog.client.get(f"/api/v1/programs/{pid}/reviews", params={"page_size": 2, "page": n})).json()
             for n in (1, 2)]
    assert [(p["total"], p["page"], p["page_size"], len(p["items"])) for p in pages] == [(3, 1, 2, 2), (3, 2, 2, 1)]
    assert len({r["id"] for p in pages for r in p["items"]}) == 3


async def test_search_refuses_a_value_outside_its_fixed_sets(catalog):
    provider = await announce_provider(catalog)
    await publish_program(catalog, provider, program("Робототехника"))
    for params in ({"direction": "cooking"}, {"level": "expert"}, {"sort": "price"}):
        bad = await catalog.client.get("/api/v1/programs", params=params)
        assert (bad.status_code, bad.json()["field"]) == (422, next(iter(params))), bad.text
    found = await catalog.client.get("/api/v1/programs", params={"direction": "technical", "level": "starting",
                                                                 "municipality": "chegem", "page_size": 1})
    assert found.status_code == 200 and (found.json()["total"], found.json()["page_size"]) == (1, 1)
    assert found.json()["full_matches"] == 1
