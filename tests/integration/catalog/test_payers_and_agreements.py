"""A region's catalog: the certificate's municipality pays, only under its agreement with the
provider for the year and within the limit; a municipal operator reads its own payer's
applications only; certification is the region's."""
from __future__ import annotations

import uuid

from tests.integration.catalog.conftest import announce_agreement, announce_provider, announce_usage
from tests.integration.catalog.test_applications import _apply, _children, _group_of, _published
from tests.integration.catalog.test_programs_and_search import TODAY, program, publish_program
from tests.support.rows import count_rows

NO_AGREEMENT = ("У поставщика нет действующего соглашения с муниципалитетом сертификата на этот год: "
                "оплатить обучение сертификатом нельзя")


async def _cost(svc, kid: dict, group: str) -> dict:
    r = await svc.client.get(f"/api/v1/groups/{group}/cost", params={"child_id": str(kid["child_id"])},
                             headers=svc.tokens.headers("parent", subject=kid["owner"]))
    assert r.status_code == 200, r.text
    return r.json()


async def _refused_as_said(svc, kid: dict, group: str, reason: str) -> None:
    """The cost says impossible for `reason` alone, and applying is refused with it, writing nothing."""
    said = await _cost(svc, kid, group)
    assert (said["payment"], said["reasons"]) == ("impossible", [reason]), said
    before = await count_rows(svc.database_url, "applications")
    refused = await _apply(svc, kid, group)
    body = refused.json()
    assert (refused.status_code, body["type"], body["field"]) == (
        409, f"urn:pfdo:problem:{reason.replace('_', '-')}", "group_id"), body
    assert refused.headers["content-type"] == "application/problem+json"
    assert body["title"] == said["reasons_ru"][0] and [e["message"] for e in body["errors"]] == said["reasons_ru"]
    assert await count_rows(svc.database_url, "applications") == before


async def test_the_certificate_s_municipality_pays_only_under_its_agreement_and_within_the_limit(catalog):
    provider = await announce_provider(catalog)  # chegem's, with an agreement with chegem only
    certified = await _group_of(catalog, await publish_program(catalog, provider, program("Робототехника"),
                                                               certify=True))
    family_paid = await _group_of(catalog, await publish_program(catalog, provider, program("Шахматы")))
    [home] = await _children(catalog, 1, owner_prefix="chegem-parent")
    [visitor] = await _children(catalog, 1, owner_prefix="neftekumsk-parent", municipality="neftekumsk")
    await catalog.events.drain()

    assert (await _cost(catalog, home, certified))["payment"] == "certificate"
    await _refused_as_said(catalog, visitor, certified, "no_agreement")
    assert (await _cost(catalog, visitor, certified))["reasons_ru"] == [NO_AGREEMENT]
    assert (await _cost(catalog, visitor, family_paid))["payment"] == "family"  # no certificate money: no agreement

    # An agreement whose limit cannot hold the enrollment, then one whose usage leaves too little.
    await announce_agreement(catalog, provider, "neftekumsk", limit_kop=1_00)
    await _refused_as_said(catalog, visitor, certified, "agreement_limit_reached")
    await announce_agreement(catalog, provider, "neftekumsk", limit_kop=1_000_000_00)
    await announce_usage(catalog, provider, 999_999_00, "neftekumsk")
    await _refused_as_said(catalog, visitor, certified, "agreement_limit_reached")
    # Another year's agreement or another payer's usage changes nothing for this one.
    await announce_usage(catalog, provider, 0, "neftekumsk", year=TODAY.year + 1)
    await announce_usage(catalog, provider, 0, "chegem")
    await _refused_as_said(catalog, visitor, certified, "agreement_limit_reached")
    # Money released: the limit leaves room again.
    await announce_usage(catalog, provider, 10_000_00, "neftekumsk")
    assert (await _cost(catalog, visitor, certified))["payment"] == "certificate"
    assert [e for e in await catalog.events.drain() if e["routing_key"].startswith("catalog.application.")] == []

    applied = await _apply(catalog, visitor, certified)
    assert (applied.status_code, applied.json()["payer"]) == (201, "neftekumsk"), applied.text
    accepted = await catalog.client.post(f"/api/v1/applications/{applied.json()['id']}/accept",
                                         headers=catalog.tokens.headers("provider", provider_id=provider))
    assert accepted.json()["status"] == "accepted", accepted.text
    [event] = await _published(catalog, "catalog.application.accepted.v1", 1)
    assert (event["payload"]["payer"], event["payload"]["municipality"]) == ("neftekumsk", "chegem")

    # The payer ends the agreement: the next family of that municipality is refused again.
    await announce_agreement(catalog, provider, "neftekumsk", limit_kop=1_000_000_00, active=False)
    [later] = await _children(catalog, 1, owner_prefix="neftekumsk-later", municipality="neftekumsk")
    await _refused_as_said(catalog, later, certified, "no_agreement")


async def test_a_full_group_still_waitlists_under_an_agreement(catalog):
    provider = await announce_provider(catalog, agreements_with=("chegem", "neftekumsk"))
    group = await _group_of(catalog, await publish_program(catalog, provider, program("Лего"), capacity=1,
                                                           certify=True))
    [first] = await _children(catalog, 1, owner_prefix="first")
    [second] = await _children(catalog, 1, owner_prefix="second", municipality="neftekumsk")
    staff = catalog.tokens.headers("provider", provider_id=provider)
    taken = (await _apply(catalog, first, group)).json()["id"]
    assert (await catalog.client.post(f"/api/v1/applications/{taken}/accept", headers=staff)).json()["status"] \
        == "accepted"
    assert (await _cost(catalog, second, group))["reasons"] == ["no_seats"]
    waiting = await _apply(catalog, second, group)
    assert waiting.status_code == 201, waiting.text
    assert (await catalog.client.post(f"/api/v1/applications/{waiting.json()['id']}/accept",
                                      headers=staff)).json()["status"] == "waitlisted"


async def test_a_municipal_operator_reads_its_payer_s_applications_only_and_acts_on_none(catalog):
    provider = await announce_provider(catalog, agreements_with=("chegem", "neftekumsk"))
    group = await _group_of(catalog, await publish_program(catalog, provider, program("Робототехника")))
    [home] = await _children(catalog, 1, owner_prefix="home")
    [visitor] = await _children(catalog, 1, owner_prefix="visitor", municipality="neftekumsk")
    home_app = (await _apply(catalog, home, group)).json()["id"]
    visitor_app = (await _apply(catalog, visitor, group)).json()["id"]

    async def listed(headers: dict) -> list[str]:
        r = await catalog.client.get("/api/v1/applications", headers=headers)
        assert r.status_code == 200, r.text
        return sorted(a["id"] for a in r.json()["items"])

    chegem = catalog.tokens.headers("operator", municipality="chegem")
    neftekumsk = catalog.tokens.headers("operator", municipality="neftekumsk")
    region = catalog.tokens.headers("regional_operator")
    assert await listed(chegem) == [home_app]
    assert await listed(neftekumsk) == [visitor_app]
    assert await listed(catalog.tokens.headers("operator", municipality="baksan")) == []
    assert await listed(region) == sorted([home_app, visitor_app])
    for headers, app, status in ((chegem, home_app, 200), (chegem, visitor_app, 404), (neftekumsk, visitor_app, 200),
                                 (neftekumsk, home_app, 404), (region, visitor_app, 200)):
        r = await catalog.client.get(f"/api/v1/applications/{app}", headers=headers)
        assert r.status_code == status, (headers, app, r.text)
    # Reading is all: no operator decides an application or withdraws it.
    for headers in (neftekumsk, chegem, region):
        for action in ("accept", "reject", "cancel"):
            r = await catalog.client.post(f"/api/v1/applications/{visitor_app}/{action}", headers=headers,
                                          json={"reason": "проверка"})
            assert r.status_code in (403, 404), (action, r.text)
    seen = await catalog.client.get(f"/api/v1/applications/{visitor_app}", headers=region)
    assert seen.json()["status"] == "submitted"


async def test_certification_is_the_region_s_and_a_refusal_changes_nothing(catalog):
    provider = await announce_provider(catalog)
    staff = catalog.tokens.headers("provider", provider_id=provider)
    created = (await catalog.client.post("/api/v1/programs", json=program("Авиамоделирование"), headers=staff)).json()
    pid = created["id"]
    body = {"score": 90, "valid_until": TODAY.replace(year=TODAY.year + 1).isoformat()}
    chegem = catalog.tokens.headers("operator", municipality="chegem")
    neftekumsk = catalog.tokens.headers("operator", municipality="neftekumsk")
    region = catalog.tokens.headers("regional_operator")

    # A draft: its municipality's operator and the region read it; another municipality's does not know it.
    for headers, status in ((chegem, 200), (region, 200), (neftekumsk, 404)):
        assert (await catalog.client.get(f"/api/v1/programs/{pid}", headers=headers)).status_code == status
    for headers, status in ((chegem, 403), (neftekumsk, 404), (staff, 403)):
        r = await catalog.client.post(f"/api/v1/programs/{pid}/certify", json=body, headers=headers)
        assert (r.status_code, r.headers["content-type"]) == (status, "application/problem+json"), r.text
    assert (await catalog.client.post(f"/api/v1/programs/{pid}/publish", headers=staff)).status_code == 200
    assert (await catalog.client.post(f"/api/v1/programs/{pid}/certify", json=body,
                                      headers=neftekumsk)).status_code == 403
    shown = (await catalog.client.get(f"/api/v1/programs/{pid}")).json()
    assert (shown["certified"], shown["certification_score"]) == (False, None)

    certified = await catalog.client.post(f"/api/v1/programs/{pid}/certify", json=body, headers=region)
    assert (certified.status_code, certified.json()["certified"]) == (200, True), certified.text
    again = await catalog.client.post(f"/api/v1/programs/{pid}/certify", json=body | {"score": 70},
                                      headers=catalog.tokens.headers("admin"))
    assert again.json()["certification_score"] == 70
    assert (await catalog.client.get(f"/api/v1/programs/{uuid.uuid4()}", headers=region)).status_code == 404
