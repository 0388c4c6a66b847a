"""The admin's accounts: a page filtered by role and by part of the e-mail or name; blocking ends
the account's sessions and keeps it out until it is unblocked; nobody else may do either."""
from __future__ import annotations

from tests.integration.gateway.test_accounts_and_sessions import PARENT, _published, _refresh, _tokens

PASSWORD = "river-stone-42"


async def _staff(world, admin: dict, email: str, role: str, full_name: str, **extra) -> str:
    r = await world.gateway.client.post("/api/v1/accounts", headers=admin, json={
        "email": email, "password": PASSWORD, "role": role, "full_name": full_name, **extra})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def test_admin_lists_accounts_by_role_and_fragment(world):
    c = world.gateway.client
    admin = {"Authorization": f"Bearer {await world.admin_token()}"}
    operator = await _staff(world, admin, "op.chegem@example.ru", "operator", "Оператор Чегема", municipality="chegem")
    await _staff(world, admin, "op.nalchik@example.ru", "operator", "Оператор Нальчика", municipality="chegem")
    await _staff(world, admin, "boss_1@example.ru", "regional_operator", "Хасанова Мадина")
    assert (await c.post("/api/v1/auth/register", json={**PARENT, "email": "mama@example.ru",
                                                        "password": PASSWORD})).status_code == 201

    everyone = await c.get("/api/v1/accounts", headers=admin)
    assert everyone.status_code == 200, everyone.text
    body = everyone.json()
    assert (body["total"], body["page"], body["page_size"]) == (5, 1, 20)
    assert body["items"][0]["email"] == "mama@example.ru"  # newest first
    first_operator = next(i for i in body["items"] if i["id"] == operator)
    assert first_operator == {**first_operator, "role": "operator", "municipality": "chegem", "provider_id": None,
                              "full_name": "Оператор Чегема", "status": "active"}
    assert first_operator["created_at"]

    operators = (await c.get("/api/v1/accounts", headers=admin, params={"role": "operator"})).json()
    assert {i["email"] for i in operators["items"]} == {"op.chegem@example.ru", "op.nalchik@example.ru"}
    by_name = (await c.get("/api/v1/accounts", headers=admin, params={"q": "хасанова"})).json()
    assert [i["email"] for i in by_name["items"]] == ["boss_1@example.ru"]
    by_mail = (await c.get("/api/v1/accounts", headers=admin, params={"q": "NALCHIK", "role": "operator"})).json()
    assert [i["email"] for i in by_mail["items"]] == ["op.nalchik@example.ru"]
    # `_` and `%` are letters here, not wildcards.
    assert (await c.get("/api/v1/accounts", headers=admin, params={"q": "s_1"})).json()["total"] == 1
    assert (await c.get("/api/v1/accounts", headers=admin, params={"q": "%"})).json()["total"] == 0
    paged = (await c.get("/api/v1/accounts", headers=admin, params={"page": 2, "page_size": 2})).json()
    assert (len(paged["items"]), paged["total"]) == (2, 5)
    bad = await c.get("/api/v1/accounts", headers=admin, params={"role": "king"})
    assert (bad.status_code, bad.json()["field"]) == (422, "role")

    boss = {"Authorization": f"Bearer {await world.login('boss_1@example.ru', PASSWORD)}"}
    parent = {"Authorization": f"Bearer {await world.login('mama@example.ru', PASSWORD)}"}
    for who in (boss, parent):
        assert (await c.get("/api/v1/accounts", headers=who)).status_code == 403
    assert (await c.get("/api/v1/accounts")).status_code == 401


async def test_blocked_account_cannot_log_in_or_refresh_until_unblocked(world):
    c = world.gateway.client
    token = await world.admin_token()
    admin = {"Authorization": f"Bearer {token}"}
    operator = await _staff(world, admin, "op@example.ru", "operator", "Оператор", municipality="chegem")
    session = await _tokens(world, "op@example.ru", PASSWORD)
    other_session = await _tokens(world, "op@example.ru", PASSWORD)
    own = {"Authorization": f"Bearer {session['access_token']}"}
    assert (await c.post(f"/api/v1/accounts/{operator}/block", headers=own)).status_code == 403

    r = await c.post(f"/api/v1/accounts/{operator}/block", headers=admin)
    assert (r.status_code, r.json()["status"]) == (200, "blocked"), r.text
    assert (await c.post(f"/api/v1/accounts/{operator}/block", headers=admin)).status_code == 200  # a repeat
    assert await _refresh(world, session["refresh_token"]) == 401
    assert await _refresh(world, other_session["refresh_token"]) == 401
    assert (await c.post("/api/v1/auth/token", json={"email": "op@example.ru", "password": PASSWORD})).status_code == 401
    listed = (await c.get("/api/v1/accounts", headers=admin, params={"q": "op@"})).json()["items"]
    assert [i["status"] for i in listed] == ["blocked"]
    updates = await _published(world, "gateway.account.updated.v1", 1)
    assert any(u["subject"] == operator and u["active"] is False for u in updates)

    me = (await c.get("/api/v1/me", headers=admin)).json()["id"]
    myself = await c.post(f"/api/v1/accounts/{me}/block", headers=admin)
    assert (myself.status_code, myself.json()["field"]) == (409, "id")
    missing = await c.post("/api/v1/accounts/00000000-0000-0000-0000-000000000001/block", headers=admin)
    assert missing.status_code == 404

    r = await c.post(f"/api/v1/accounts/{operator}/unblock", headers=admin)
    assert (r.status_code, r.json()["status"]) == (200, "active"), r.text
    assert await _refresh(world, session["refresh_token"]) == 401  # the ended sessions stay ended
    assert (await _tokens(world, "op@example.ru", PASSWORD))["access_token"]
