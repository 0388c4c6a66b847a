"""The installation's municipalities: listed for anyone, and the only codes an account takes."""
from __future__ import annotations

from sqlalchemy import func, select

from gateway.models import Account
from tests.integration.gateway.test_accounts_and_sessions import PARENT
from tests.support.municipalities import TEST_MUNICIPALITIES


async def _accounts(world) -> int:
    async with world.gateway.app.state.runtime.sessions() as session:
        return (await session.execute(select(func.count()).select_from(Account))).scalar_one()


async def test_anyone_lists_the_municipalities_page_by_page(world):
    c = world.gateway.client
    every = (await c.get("/api/v1/municipalities")).json()
    assert every["total"] == len(TEST_MUNICIPALITIES) and every["page"] == 1
    assert every["items"][0] == {"code": "chegem", "name": "Чегемский муниципальный район", "oktmo": "83645000"}
    second = (await c.get("/api/v1/municipalities", params={"page": 2, "page_size": 2})).json()
    assert [m["code"] for m in second["items"]] == [TEST_MUNICIPALITIES[2].code]


async def test_an_unknown_municipality_is_refused_at_registration_and_by_the_admin(world):
    c = world.gateway.client
    before = await _accounts(world)
    r = await c.post("/api/v1/auth/register", json=PARENT | {"email": "far@example.ru", "municipality": "atlantis"})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["field"] == "municipality" and "GET /api/v1/municipalities" in r.json()["detail"]
    admin = await world.admin_token()
    before = await _accounts(world)
    r = await c.post("/api/v1/accounts", headers={"Authorization": f"Bearer {admin}"},
                     json={"email": "op@example.ru", "password": "river-stone-42", "role": "operator",
                           "municipality": "atlantis"})
    assert r.status_code == 422 and r.json()["field"] == "municipality"
    assert await _accounts(world) == before
    ok = await c.post("/api/v1/auth/register", json=PARENT | {"email": "near@example.ru", "municipality": "baksan"})
    assert ok.status_code == 201 and ok.json()["municipality"] == "baksan"
