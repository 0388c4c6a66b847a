"""The registry end to end on real PostgreSQL and RabbitMQ: workflow, events, refusals."""
from __future__ import annotations

import random
from datetime import date

from tests.support.requisites_factory import entrepreneur, organisation
from tests.support.rows import count_rows
from tests.support.waiting import eventually

OPERATOR = {"role": "operator", "municipality": "chegem"}
THIS_YEAR = date.today().year


async def _count(registry, table: str) -> int:
    return await count_rows(registry.database_url, table)


async def _events(registry, n: int) -> list[dict]:
    got: list[dict] = []

    async def arrived() -> bool:
        got.extend(await registry.events.drain(wait_s=0.2))
        return len(got) >= n

    await eventually(arrived, timeout_s=15, what=f"{n} registry events")
    return got


async def test_provider_lifecycle_with_history_and_events(registry):
    staff = registry.tokens.headers("provider", subject="staff-1")
    region = registry.tokens.headers("regional_operator", subject="rop-1")
    r = await registry.client.post("/api/v1/providers", json=organisation(random.Random(1)), headers=staff)
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    assert r.json()["status"] == "submitted" and r.json()["submitted_by"] == "staff-1"

    steps = [("approve", None, "approved"), ("suspend", "Нет лицензии на новый адрес", "suspended"),
             ("reinstate", None, "approved"), ("exclude", "Прекратил деятельность", "excluded")]
    for action, reason, status in steps:
        r = await registry.client.post(f"/api/v1/providers/{pid}/{action}", json={"reason": reason}, headers=region)
        assert (r.status_code, r.json()["status"]) == (200, status), r.text

    history = (await registry.client.get(f"/api/v1/providers/{pid}/history", headers=region)).json()
    assert (history["total"], history["page"], history["page_size"]) == (5, 1, 20)
    assert [(h["action"], h["from_status"], h["to_status"], h["actor"], h["reason"]) for h in history["items"]] == [
        ("submit", None, "submitted", "provider:staff-1", None),
        ("approve", "submitted", "approved", "regional_operator:rop-1", None),
        ("suspend", "approved", "suspended", "regional_operator:rop-1", "Нет лицензии на новый адрес"),
        ("reinstate", "suspended", "approved", "regional_operator:rop-1", None),
        ("exclude", "approved", "excluded", "regional_operator:rop-1", "Прекратил деятельность"),
    ]

    events = await _events(registry, 5)
    assert [e["routing_key"] for e in events] == [
        "registry.provider.submitted.v1", "registry.provider.approved.v1", "registry.provider.suspended.v1",
        "registry.provider.reinstated.v1", "registry.provider.excluded.v1"]
    assert all(e["message_id"] == e["id"] and e["district"] == "test-district" for e in events)
    assert [e["payload"]["provider"]["status"] for e in events] == [
        "submitted", "approved", "suspended", "approved", "excluded"]
    # The requisites a contract's offer names the provider by travel with every snapshot.
    application = organisation(random.Random(1))
    requisites = events[0]["payload"]["provider"]["requisites"]
    assert {k: requisites[k] for k in ("full_name", "inn", "ogrn", "legal_address", "bank_bik", "bank_account")} == {
        k: application[k] for k in ("full_name", "inn", "ogrn", "legal_address", "bank_bik", "bank_account")}
    assert requisites["kind"] == application["kind"] and requisites["licence_number"] == application.get("licence_number")


async def test_announce_providers_publishes_every_provider_s_snapshot_with_its_requisites(registry):
    from services.registry.jobs.announce_providers import announce_all

    staff = registry.tokens.headers("provider")
    made = [(await registry.client.post("/api/v1/providers", json=organisation(random.Random(seed)),
                                        headers=staff)).json()["id"] for seed in (71, 72, 73)]
    await _events(registry, 3)
    assert await announce_all(registry.settings, batch=2) == 3  # two batches
    again = [e for e in await _events(registry, 3) if e["routing_key"] == "registry.provider.updated.v1"]
    assert sorted(e["payload"]["provider"]["provider_id"] for e in again) == sorted(made)
    assert all(e["payload"]["provider"]["requisites"]["bank_account"] for e in again)


async def test_illegal_transition_is_409_and_changes_nothing(registry):
    staff = registry.tokens.headers("provider")
    op = registry.tokens.headers("admin")
    pid = (await registry.client.post("/api/v1/providers", json=organisation(random.Random(2)), headers=staff)).json()["id"]
    await _events(registry, 1)
    outbox_before, history_before = await _count(registry, "outbox"), await _count(registry, "provider_changes")

    for action in ("reinstate", "suspend", "exclude"):
        r = await registry.client.post(f"/api/v1/providers/{pid}/{action}", json={"reason": "x"}, headers=op)
        assert r.status_code == 409
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["type"] == "urn:pfdo:problem:illegal-transition"
        assert "на рассмотрении" in r.json()["title"]

    assert (await registry.client.get(f"/api/v1/providers/{pid}", headers=op)).json()["status"] == "submitted"
    assert await _count(registry, "outbox") == outbox_before
    assert await _count(registry, "provider_changes") == history_before
    assert await registry.events.drain(wait_s=0.5) == []


async def test_typo_in_inn_is_refused_with_the_field_and_nothing_is_stored(registry):
    body = organisation(random.Random(3))
    body["inn"] = body["inn"][:-1] + str((int(body["inn"][-1]) + 1) % 10)
    r = await registry.client.post("/api/v1/providers", json=body, headers=registry.tokens.headers("provider"))
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert (r.json()["field"], r.json()["title"]) == ("inn", "Проверьте реквизиты поставщика")
    assert await _count(registry, "providers") == 0 and await _count(registry, "outbox") == 0


async def test_a_licence_is_checked_against_the_services_clock(registry):
    """"Today" is the service's clock, which tests and demos pin: a licence dated after it is refused."""
    body = organisation(random.Random(6)) | {"licence_date": "2020-09-01"}
    registry.app.state.clock.pin(date(2020, 8, 31))
    try:
        r = await registry.client.post("/api/v1/providers", json=body, headers=registry.tokens.headers("provider"))
    finally:
        registry.app.state.clock.unpin()
    assert (r.status_code, r.json()["field"]) == (422, "licence_date")
    assert (await registry.client.post("/api/v1/providers", json=body,
                                       headers=registry.tokens.headers("provider"))).status_code == 201


async def test_who_may_do_what(registry):
    body = organisation(random.Random(4))
    assert (await registry.client.post("/api/v1/providers", json=body)).status_code == 401
    assert (await registry.client.post("/api/v1/providers", json=body,
                                       headers=registry.tokens.headers("parent"))).status_code == 403
    pid = (await registry.client.post("/api/v1/providers", json=body,
                                      headers=registry.tokens.headers("provider"))).json()["id"]
    foreign_op = registry.tokens.headers("operator", municipality="neftekumsk")
    assert (await registry.client.get(f"/api/v1/providers/{pid}")).status_code == 404  # not public yet
    assert (await registry.client.post(f"/api/v1/providers/{pid}/approve", headers=foreign_op)).status_code == 404
    forged = {"Authorization": "Bearer " + type(registry.tokens)().token("admin")}
    assert (await registry.client.post(f"/api/v1/providers/{pid}/approve", headers=forged)).status_code == 401
    expired = {"Authorization": "Bearer " + registry.tokens.token("admin", ttl_s=-10)}
    assert (await registry.client.post(f"/api/v1/providers/{pid}/approve", headers=expired)).status_code == 401

    # The provider's own municipal operator sees it in full but the registry is the region's: 403, nothing changes.
    op = registry.tokens.headers("operator", municipality="chegem")
    assert (await registry.client.get(f"/api/v1/providers/{pid}", headers=op)).json()["view"] == "full"
    outbox_before, history_before = await _count(registry, "outbox"), await _count(registry, "provider_changes")
    for action in ("approve", "reject"):
        r = await registry.client.post(f"/api/v1/providers/{pid}/{action}", json={"reason": "x"}, headers=op)
        assert r.status_code == 403, r.text
    assert (await _count(registry, "outbox"), await _count(registry, "provider_changes")) == (outbox_before,
                                                                                             history_before)
    assert (await registry.client.get(f"/api/v1/providers/{pid}", headers=op)).json()["status"] == "submitted"

    region = registry.tokens.headers("regional_operator")
    assert (await registry.client.get(f"/api/v1/providers/{pid}", headers=region)).json()["view"] == "full"
    assert (await registry.client.post(f"/api/v1/providers/{pid}/approve", headers=region)).status_code == 200
    public = (await registry.client.get(f"/api/v1/providers/{pid}")).json()
    assert public["status"] == "approved" and "bank_account" not in public
    for stranger in (foreign_op, op):
        assert (await registry.client.post(f"/api/v1/providers/{pid}/suspend", json={"reason": "x"},
                                           headers=stranger)).status_code == 403
    assert (await registry.client.get(f"/api/v1/providers/{pid}", headers=op)).json()["status"] == "approved"


async def test_duplicates_agreement_entrepreneur_and_paged_listing(registry):
    staff = registry.tokens.headers("provider", subject="staff-9")
    op = registry.tokens.headers("operator", municipality="chegem")
    region = registry.tokens.headers("regional_operator")
    rng = random.Random(5)
    body = organisation(rng)
    pid = (await registry.client.post("/api/v1/providers", json=body, headers=staff)).json()["id"]
    dup = await registry.client.post("/api/v1/providers", json=body, headers=staff)
    assert (dup.status_code, dup.json()["field"]) == (409, "inn")
    await registry.client.post(f"/api/v1/providers/{pid}/reject", json={"reason": "Нет лицензии"}, headers=region)
    again = await registry.client.post("/api/v1/providers", json=body, headers=staff)
    assert again.status_code == 201  # a rejected application may be filed again

    ie = entrepreneur(rng)
    assert (await registry.client.post("/api/v1/providers", json=ie, headers=staff)).status_code == 201
    ie_staffed = entrepreneur(rng, teaches_alone=False)
    r = await registry.client.post("/api/v1/providers", json=ie_staffed, headers=staff)
    assert (r.status_code, r.json()["field"]) == (422, "licence_number")

    await registry.client.post(f"/api/v1/providers/{again.json()['id']}/approve", headers=region)
    agreement = await registry.client.put(f"/api/v1/providers/{again.json()['id']}/agreements/chegem/{THIS_YEAR}",
                                          json={"number": "ДО-17/2026", "signed_on": "2026-09-01"}, headers=op)
    assert (agreement.status_code, agreement.json()["number"]) == (200, "ДО-17/2026"), agreement.text
    # submitted, rejected, submitted again, IE submitted, approved, the agreement, the provider updated
    events = await _events(registry, 7)
    assert [e["routing_key"] for e in events[-2:]] == ["registry.agreement.changed.v1", "registry.provider.updated.v1"]
    assert events[-1]["payload"]["provider"]["payment_agreement_date"] == "2026-09-01"

    ids = []
    for _ in range(7):
        new = (await registry.client.post("/api/v1/providers", json=organisation(rng, kind="private"),
                                          headers=staff)).json()["id"]
        await registry.client.post(f"/api/v1/providers/{new}/approve", headers=region)
        ids.append(new)
    pages = [(await registry.client.get("/api/v1/providers", params={"page": n, "page_size": 3, "kind": "private"})).json()
             for n in (1, 2, 3)]
    assert [len(p["items"]) for p in pages] == [3, 3, 1] and {p["total"] for p in pages} == {7}
    assert [i["id"] for p in pages for i in p["items"]] == ids
    assert (await registry.client.get("/api/v1/providers", params={"status": "submitted"})).json()["total"] == 0
    seen_by_op = (await registry.client.get("/api/v1/providers", params={"status": "submitted"}, headers=op)).json()
    assert seen_by_op["total"] == 1 and "bank_account" in seen_by_op["items"][0]
    by_inn = (await registry.client.get("/api/v1/providers", params={"q": ie["inn"]}, headers=op)).json()
    assert [i["inn"] for i in by_inn["items"]] == [ie["inn"]]


async def test_health_and_metrics(registry):
    assert (await registry.client.get("/health/live")).json() == {"service": "registry", "status": "ok", "dead": []}
    ready = await registry.client.get("/health/ready")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "broker": "ok"}
    await registry.client.get("/api/v1/providers")
    metrics = (await registry.client.get("/metrics")).text
    assert 'pfdo_http_requests_total{method="GET",route="/api/v1/providers",status="200"}' in metrics
