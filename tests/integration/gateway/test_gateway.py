"""The gateway with real services behind it: accounts, tokens, routing, failures, the cabinet."""
from __future__ import annotations

import asyncio
import json

import jwt

from gateway.app import create_app
from gateway.domain.routes import SERVICES
from gateway.settings import GatewaySettings
from gateway.upstreams import Upstreams
from tests.integration.gateway.conftest import signing_key
from tests.support.service_app import running_service
from tests.support.service_app import test_settings as service_settings
from tests.support.waiting import eventually

PARENT = {"email": "Anna@Example.ru", "phone": "+7 928 000-00-01", "password": "river-stone-42",
          "municipality": "chegem", "full_name": "Анна Иванова"}


async def _parent(world) -> dict[str, str]:
    c = world.gateway.client
    assert (await c.post("/api/v1/auth/register", json=PARENT)).status_code == 201
    return {"Authorization": "Bearer " + await world.login("anna@example.ru", PARENT["password"])}


async def test_registration_login_refresh_and_the_published_keys(world):
    c = world.gateway.client
    weak = await c.post("/api/v1/auth/register", json=PARENT | {"password": "1234567890"})
    assert weak.status_code == 422 and weak.json()["field"] == "password"
    assert "цифры" in weak.json()["errors"][0]["message"]
    assert (await c.post("/api/v1/auth/register", json=PARENT)).status_code == 201
    twice = await c.post("/api/v1/auth/register", json=PARENT | {"email": "anna@example.ru"})
    assert twice.status_code == 409 and twice.json()["field"] == "email"

    wrong = await c.post("/api/v1/auth/token", json={"email": "anna@example.ru", "password": "nope-nope-1"})
    unknown = await c.post("/api/v1/auth/token", json={"email": "ghost@example.ru", "password": "nope-nope-1"})
    assert wrong.status_code == unknown.status_code == 401 and wrong.json()["title"] == unknown.json()["title"]

    tokens = (await c.post("/api/v1/auth/token", json={"email": "ANNA@example.ru",
                                                       "password": PARENT["password"]})).json()
    me = await c.get("/api/v1/me", headers={"Authorization": "Bearer " + tokens["access_token"]})
    assert me.status_code == 200 and me.json()["role"] == "parent" and me.json()["municipality"] == "chegem"

    jwks = (await c.get("/.well-known/jwks.json")).json()
    key = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(jwks["keys"][0]))
    claims = jwt.decode(tokens["access_token"], key, algorithms=["RS256"], audience="pfdo")
    assert claims["role"] == "parent" and claims["municipality"] == "chegem" and "exp" in claims

    refreshed = await c.post("/api/v1/auth/token", json={"grant_type": "refresh_token",
                                                         "refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200 and refreshed.json()["refresh_token"] != tokens["refresh_token"]
    reused = await c.post("/api/v1/auth/token", json={"grant_type": "refresh_token",
                                                      "refresh_token": tokens["refresh_token"]})
    assert reused.status_code == 401  # a refresh token works once


async def test_login_is_throttled_per_account(world):
    c = world.gateway.client
    await c.post("/api/v1/auth/register", json=PARENT)
    for _ in range(5):
        r = await c.post("/api/v1/auth/token", json={"email": "anna@example.ru", "password": "guess-guess-1"})
        assert r.status_code == 401
    blocked = await c.post("/api/v1/auth/token", json={"email": "anna@example.ru", "password": PARENT["password"]})
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0


async def test_only_an_admin_makes_operators(world):
    c = world.gateway.client
    parent = await _parent(world)
    body = {"email": "op@chegem.ru", "password": "operator-pass-1", "role": "operator", "municipality": "chegem"}
    assert (await c.post("/api/v1/accounts", json=body, headers=parent)).status_code == 403
    admin = {"Authorization": "Bearer " + await world.admin_token()}
    assert (await c.post("/api/v1/accounts", json=body | {"municipality": None}, headers=admin)).status_code == 422
    assert (await c.post("/api/v1/accounts", json=body, headers=admin)).status_code == 201
    operator = await world.login("op@chegem.ru", "operator-pass-1")
    assert jwt.decode(operator, options={"verify_signature": False})["municipality"] == "chegem"


async def test_requests_reach_their_service_and_failures_are_502_or_504_not_a_hang(world):
    c = world.gateway.client
    parent = await _parent(world)
    child = await c.post("/api/v1/children", headers=parent, json={
        "full_name": "Мария Иванова", "birth_date": "2016-04-01", "snils": "112-233-445 95", "municipality": "chegem"})
    assert child.status_code == 201, child.text
    listed = (await c.get("/api/v1/children", headers=parent)).json()
    assert [x["full_name"] for x in listed["items"]] == ["Мария Иванова"]
    assert (await c.get("/api/v1/contracts", headers=parent)).json()["items"] == []

    down = await c.get("/api/v1/providers")
    assert down.status_code == 502 and down.headers["content-type"].startswith("application/problem+json")
    assert "недоступен" in down.json()["title"]
    slow = await asyncio.wait_for(c.get("/api/v1/programs"), timeout=5)
    assert slow.status_code == 504 and "вовремя" in slow.json()["title"]
    assert (await c.get("/api/v1/no-such-thing")).status_code == 404
    assert (await c.get("/api/v1/children", headers={"Authorization": "Bearer forged"})).status_code == 401

    huge = await c.post("/api/v1/children", headers=parent, content=b"{" + b" " * 20_000 + b"}")
    assert huge.status_code == 413


async def test_writes_are_rate_limited_per_caller(world):
    c = world.gateway.client
    parent = await _parent(world)
    codes = [(await c.post("/api/v1/children", headers=parent, json={})).status_code for _ in range(45)]
    assert codes[:40] == [422] * 40 and codes[40:] == [429] * 5


async def test_the_cabinet_answers_with_what_is_up(world):
    c = world.gateway.client
    parent = await _parent(world)
    kid = (await c.post("/api/v1/children", headers=parent, json={
        "full_name": "Мария Иванова", "birth_date": "2016-04-01", "snils": "112-233-445 95",
        "municipality": "chegem"})).json()
    await c.post(f"/api/v1/children/{kid['id']}/certificate", headers=parent)
    cabinet = await c.get("/api/v1/me/cabinet", headers=parent)
    assert cabinet.status_code == 200
    body = cabinet.json()
    assert body["children"]["status"] == "ok"
    [child] = body["children"]["data"]["items"]
    assert child["certificate"]["status"] == "pending_verification"
    assert child["certificate"]["balance"]["credited_kop"] == 0
    assert body["applications"]["status"] == "unavailable"  # the catalog is too slow: the rest still comes
    assert body["applications"]["data"] is None and body["applications"]["reason"]
    assert body["contracts"] == {"status": "ok", "reason": None,
                                 "data": {"items": [], "total": 0, "page": 1, "page_size": 20}}
    assert body["debits"]["data"]["page_size"] == 20


async def test_one_openapi_document_and_the_events_document(world):
    c = world.gateway.client

    async def merged() -> bool:
        paths = (await c.get("/openapi.json")).json()["paths"]
        return all(p in paths for p in ("/api/v1/children", "/api/v1/contracts/{contract_id}/sign",
                                        "/api/v1/me/notifications"))
    await eventually(merged, timeout_s=20, what="the services' paths in the gateway's OpenAPI")
    doc = (await c.get("/openapi.json")).json()
    assert {"/api/v1/auth/token", "/api/v1/auth/logout", "/api/v1/auth/password-reset",
            "/api/v1/auth/password-reset/confirm", "/api/v1/me/cabinet", "/api/v1/me/notifications/read-all",
            "/api/v1/me/notification-preferences"} <= set(doc["paths"])
    assert {"ContractOut", "NotificationPage", "Problem"} <= set(doc["components"]["schemas"])
    events = (await c.get("/asyncapi.json")).json()
    assert {"billing.charges.posted.v1", "catalog.application.accepted.v1", "registry.provider.approved.v1",
            "gateway.account.registered.v1", "gateway.account.updated.v1",
            "gateway.account.password_reset_requested.v1"} <= set(events["channels"])
    assert events["asyncapi"] == "3.0.0"
    assert events["operations"]["publish_gateway_account_registered_v1"]["action"] == "send"


async def test_a_fresh_public_page_is_served_to_anonymous_callers_only_and_tokens_are_still_checked(world):
    """The catalog behind this gateway answers too slowly; a page the gateway holds fresh is
    answered at once to a caller without a token, and a token is still checked first."""
    from multidict import CIMultiDict, CIMultiDictProxy

    from gateway.upstreams import UpstreamResponse
    c, cache = world.gateway.client, world.gateway.app.state.public_answers
    page = UpstreamResponse(200, CIMultiDictProxy(CIMultiDict({
        "content-type": "application/json", "cache-control": "public, max-age=60", "x-internal": "no"})),
        b'{"items": [], "total": 0}')
    cache._keep("programs?q=%D1%84%D1%83%D1%82%D0%B1%D0%BE%D0%BB", page)

    kept = await asyncio.wait_for(c.get("/api/v1/programs", params={"q": "футбол"},
                                        headers={"X-Request-ID": "parent-1"}), timeout=1)
    assert kept.status_code == 200 and kept.json() == {"items": [], "total": 0}
    assert kept.headers["x-request-id"] == "parent-1" and kept.headers["cache-control"] == "public, max-age=60"
    assert "x-internal" not in kept.headers, "only the headers the proxy returns"
    assert (await c.get("/api/v1/programs", params={"q": "футбол"},
                        headers={"Authorization": "Bearer forged"})).status_code == 401
    other = await asyncio.wait_for(c.get("/api/v1/programs", params={"q": "шахматы"}), timeout=5)
    assert other.status_code == 504, "another address goes upstream"
    metrics = (await c.get("/metrics")).text
    assert 'route="/api/v1/{path:path}",status="200"' in metrics


async def test_the_upstream_client_closes_when_the_gateway_stops(fresh_database, migrated_template, amqp_url,
                                                                 bus_names, token_mint):
    upstreams = Upstreams({s: "http://127.0.0.1:9" for s in SERVICES}, timeout_s=0.5, connections=2)
    settings = service_settings(GatewaySettings, await fresh_database(template=await migrated_template("gateway")),
                             amqp_url, bus_names, token_mint, signing_key_pem=signing_key())
    async with running_service(lambda s: create_app(s, upstreams), settings, token_mint, bus_names,
                               "gateway.#") as gateway:
        assert (await gateway.client.get("/api/v1/providers")).status_code == 502  # through the pooled client
        assert not upstreams.closed
    assert upstreams.closed
