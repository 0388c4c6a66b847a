"""How the Navigator matches what parents type, through the API on real PostgreSQL: the
issue's examples on the demo district's programs, partial matches below full ones,
highlights, the filter panel's facets, suggestions while typing, a district's own
thesaurus, and the projection following seats and providers."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from deploy.demo.programs import demo_programs
from pfdo_kit.clock import Clock
from services.catalog.app import create_app
from services.catalog.queries.query_plans import QueryPlans
from tests.integration.catalog.conftest import announce_provider
from tests.integration.catalog.test_applications import _apply, _children, _group_of
from tests.integration.catalog.test_programs_and_search import program, publish_program, search

TODAY = Clock().today()


async def _demo_district(svc) -> dict[str, str]:
    """Every demo program, published through the API by ten providers as `make run` does: title → id."""
    providers = [await announce_provider(svc, name=f"Поставщик {i}") for i in range(10)]
    ids = {}
    for index, offered in demo_programs():
        ids[offered.title] = await publish_program(svc, providers[index], program(
            offered.title, offered.description, direction=offered.direction, min_age=offered.min_age,
            max_age=offered.max_age))
    return ids


async def _titles(svc, q: str, **params) -> list[str]:
    return [i["title"] for i in (await search(svc, q=q, page_size=10, **params))["items"]]


async def test_what_a_new_parent_types_finds_what_they_mean(catalog):
    await _demo_district(catalog)
    examples = {
        "танцы": "Кабардинские народные танцы",
        "танец": "Кабардинские народные танцы",
        "танцевальный": "Кабардинские народные танцы",
        "рисование": "Изостудия «Палитра»",
        "изо": "Изостудия «Палитра»",
        "англ": "Английский язык в игре",
        "английский": "Английский язык в игре",
        "робототехика": "Робототехника для начинающих",
        "робот": "Робототехника для начинающих",
        "футбольная секция": "Футбол",
        "футбольная": "Футбол",
    }
    missed = {q: found for q, meant in examples.items() if meant not in (found := await _titles(catalog, q))}
    assert missed == {}
    # Generic words never empty the page: «кружок», «занятия», «для детей» exclude nothing.
    assert "Шахматы" in await _titles(catalog, "кружок шахматы для детей")
    assert (await search(catalog, q="занятия"))["total"] == len(demo_programs())
    # Synonyms both ways, narrower terms one way.
    assert "Вольная борьба" in await _titles(catalog, "единоборства")
    assert "Дзюдо" in await _titles(catalog, "единоборства")
    assert "Бокс" not in await _titles(catalog, "дзюдо")
    assert "Программирование на Python" in await _titles(catalog, "IT")


async def test_partial_matches_come_below_full_ones_with_highlights(catalog):
    provider = await announce_provider(catalog)
    both = await publish_program(catalog, provider, program(
        "Футбол и шахматы для девочек", "Тренировки по футболу и шахматам, мяч и доска выдаются."))
    football = await publish_program(catalog, provider, program("Футбол", "Тренировки для мальчиков."))
    chess = await publish_program(catalog, provider, program("Шахматы", "Логика и стратегия."))

    page = await search(catalog, q="футбол шахматы")
    assert [i["id"] for i in page["items"]][0] == both and page["items"][0]["full_match"] is True
    assert {i["id"] for i in page["items"][1:]} == {football, chess}
    assert not any(i["full_match"] for i in page["items"][1:])
    assert (page["total"], page["full_matches"]) == (3, 1)

    top = page["items"][0]["highlight"]
    assert top["title"] == "<mark>Футбол</mark> и <mark>шахматы</mark> для девочек"
    assert top["snippet"] == "Тренировки по <mark>футболу</mark> и <mark>шахматам</mark>, мяч и доска выдаются."
    # Nothing matches: nothing found (and no highlight without words).
    assert (await search(catalog, q="астрономия"))["total"] == 0
    assert (await search(catalog))["items"][0]["highlight"] is None


async def test_facets_count_each_choice_under_the_other_filters(catalog):
    provider = await announce_provider(catalog)
    await publish_program(catalog, provider, program("Робототехника", min_age=7, max_age=10), certify=True)
    await publish_program(catalog, provider, program("Робототехника на Arduino", level="advanced", min_age=12,
                                                     max_age=16))
    await publish_program(catalog, provider, program("Танцы роботов", direction="artistic", min_age=5, max_age=8))
    await publish_program(catalog, provider, program("Шахматы", direction="physical_sports"))

    page = await search(catalog, q="робот", direction="technical", facets="true")
    assert page["total"] == 2
    facets = page["facets"]
    # The direction facet ignores the direction filter: what choosing «художественная» would give.
    assert {f["value"]: f["count"] for f in facets["direction"]} == {"technical": 2, "artistic": 1}
    assert {f["value"]: f["count"] for f in facets["level"]} == {"starting": 1, "advanced": 1}
    assert {f["value"]: f["count"] for f in facets["age"]} == {"3-6": 0, "7-10": 1, "11-14": 1, "15-18": 1}
    assert (facets["certificate"], facets["free_seats"]) == (1, 2)
    assert facets["municipality"] == [{"value": "chegem", "count": 2}]
    assert (await search(catalog, q="робот"))["facets"] is None


async def test_suggestions_for_what_has_been_typed(catalog):
    provider = await announce_provider(catalog)
    for title in ("Английский язык в игре", "Английский для начинающих", "Кабардинские народные танцы",
                  "Робототехника для начинающих", "Шахматы"):
        await publish_program(catalog, provider, program(title))
    await publish_program(catalog, provider, program("Шахматы"))  # the more programs, the higher

    async def suggest(q: str) -> list[str]:
        r = await catalog.client.get("/api/v1/programs/suggest", params={"q": q})
        assert r.status_code == 200 and r.headers["cache-control"].startswith("public"), r.text
        return r.json()["items"]

    assert await suggest("англ") == ["Английский для начинающих", "Английский язык в игре"]
    assert await suggest("ш") == ["Шахматы"]
    assert await suggest("народные та") == ["Кабардинские народные танцы"]
    assert await suggest("для начин") == ["Английский для начинающих", "Робототехника для начинающих"]
    assert await suggest("робототехика") == ["Робототехника для начинающих"]  # a typo: the nearest title
    assert await suggest("астрономия") == []
    assert (await catalog.client.get("/api/v1/programs/suggest", params={"q": ""})).status_code == 422


async def test_a_district_extends_the_thesaurus(catalog, tmp_path):
    provider = await announce_provider(catalog)
    await publish_program(catalog, provider, program("Джигитовка", "Конные трюки на скаку.",
                                                     direction="physical_sports"))
    assert (await search(catalog, q="наездники"))["total"] == 0
    district = tmp_path / "chegem-thesaurus.yaml"
    district.write_text("synonyms:\n  - [джигитовка, наездники, конные трюки]\ngeneric: [секция]\n", encoding="utf-8")
    app = create_app(catalog.settings.model_copy(update={"thesaurus_path": district}))
    plans: QueryPlans = app.state.searching.plans  # what a service started with CATALOG_THESAURUS_PATH holds
    catalog.app.state.searching = replace(catalog.app.state.searching, plans=plans)
    assert await _titles(catalog, "наездники") == ["Джигитовка"]
    assert await _titles(catalog, "рисование") == []  # the base thesaurus is still there, and knows no riding


async def test_search_follows_seats_and_providers_in_the_same_transaction(catalog):
    provider = await announce_provider(catalog)
    pid = await publish_program(catalog, provider, program("Картинг"), capacity=1)
    [kid] = await _children(catalog, 1)
    application = (await _apply(catalog, kid, await _group_of(catalog, pid))).json()["id"]
    assert (await search(catalog, q="картинг"))["items"][0]["free_seats"] == 1
    staff = catalog.tokens.headers("provider", provider_id=provider)
    assert (await catalog.client.post(f"/api/v1/applications/{application}/accept", headers=staff)).status_code == 200
    assert (await search(catalog, q="картинг"))["items"][0]["free_seats"] == 0
    assert (await search(catalog, q="картинг", free_seats="true"))["total"] == 0
    parent = catalog.tokens.headers("parent", subject=kid["owner"])
    assert (await catalog.client.post(f"/api/v1/applications/{application}/cancel", headers=parent)).status_code == 200
    assert (await search(catalog, q="картинг", free_seats="true"))["total"] == 1

    await announce_provider(catalog, "suspended", provider)
    assert (await search(catalog, q="картинг"))["total"] == 0
    assert (await catalog.client.get("/api/v1/programs/suggest", params={"q": "карт"})).json()["items"] == []
    await announce_provider(catalog, "reinstated", provider)
    assert (await catalog.client.get("/api/v1/programs/suggest", params={"q": "карт"})).json()["items"] == ["Картинг"]


async def test_a_group_that_ended_leaves_the_counts_when_the_day_passes(catalog):
    from services.catalog.jobs.sweeper import sweep_once

    provider = await announce_provider(catalog)
    await publish_program(catalog, provider, program("Судомоделирование"), capacity=7)
    assert (await search(catalog, q="судомоделирование"))["items"][0]["free_seats"] == 7
    catalog.app.state.clock.pin(TODAY + timedelta(days=201))  # the group ends on day 200
    try:
        await sweep_once(catalog.app.state.runtime)
        card = (await search(catalog, q="судомоделирование"))["items"][0]
        assert (card["free_seats"], card["nearest_start"]) == (0, None)
    finally:
        catalog.app.state.clock.unpin()
