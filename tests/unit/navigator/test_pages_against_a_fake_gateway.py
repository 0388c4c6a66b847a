"""The Navigator's security rules on real requests, with the gateway replaced by a stand-in (httpx's
MockTransport): headers on every answer, the session cookie's flags, CSRF on every form, no open redirect,
the gateway's Russian error beside the field at fault, tokens never in a page."""
from __future__ import annotations

import json
import re

import httpx
import pytest
from fastapi.testclient import TestClient

from navigator.app import create_app
from navigator.session import COOKIE
from navigator.settings import NavigatorSettings

MUNICIPALITIES = {"items": [{"code": "chegem", "name": "Чегемский район", "oktmo": "83645000"}], "total": 1,
                  "page": 1, "page_size": 100}


class FakeGateway:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        body = json.loads(request.content) if request.content else {}
        self.calls.append((request.method, path, body))
        if path == "/municipalities":
            return httpx.Response(200, json=MUNICIPALITIES)
        if path == "/auth/token":
            if body.get("password") == "right-password-1":
                return httpx.Response(200, json={"access_token": "SECRET-ACCESS", "refresh_token": "SECRET-REFRESH",
                                                 "expires_in": 900, "token_type": "bearer"})
            return httpx.Response(401, json={"type": "urn:pfdo:problem:unauthorized", "status": 401,
                                             "title": "Неверный адрес электронной почты или пароль"})
        if path == "/me":
            return httpx.Response(200, json={"id": "1", "email": "mother@pfdo.ru", "role": "parent",
                                             "municipality": "chegem", "provider_id": None, "full_name": None})
        if path == "/auth/register":
            return httpx.Response(422, json={"type": "urn:pfdo:problem:validation", "status": 422,
                                             "title": "Проверьте введённые данные", "field": "password",
                                             "errors": [{"field": "password", "message": "Пароль слишком простой"}]})
        return httpx.Response(404, json={"title": "Объект не найден", "status": 404, "type": "x"})


@pytest.fixture()
def site():
    fake = FakeGateway()
    app = create_app(NavigatorSettings(session_secret="x" * 40, gateway_url="http://gateway.test"))
    with TestClient(app, base_url="https://navigator.test", follow_redirects=False) as client:
        app.state.gateway.http = httpx.AsyncClient(base_url="http://gateway.test/api/v1",
                                                   transport=httpx.MockTransport(fake))
        yield client, fake


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_every_answer_carries_the_policy_and_a_sealed_cookie(site):
    client, _ = site
    answer = client.get("/login")
    assert answer.status_code == 200 and '<html lang="ru">' in answer.text and 'href="#main"' in answer.text
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY" and answer.headers["x-content-type-options"] == "nosniff"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(COOKIE + "=") and "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
    assert client.get("/nowhere").status_code == 404


def test_a_form_without_its_csrf_token_changes_nothing(site):
    client, fake = site
    client.get("/login")
    answer = client.post("/login", data={"email": "mother@pfdo.ru", "password": "right-password-1"})
    assert answer.status_code == 403 and "Форма устарела" in answer.text
    assert answer.headers["content-security-policy"]
    assert not [c for c in fake.calls if c[1] == "/auth/token"]


def test_login_shows_the_gateway_s_title_beside_the_field_and_never_redirects_away(site):
    client, _ = site
    token = _csrf(client.get("/login").text)
    wrong = client.post("/login", data={"csrf": token, "email": "mother@pfdo.ru", "password": "nope",
                                        "next": "/cabinet"})
    assert wrong.status_code == 401
    assert re.search(r'id="e-password">.*Неверный адрес электронной почты или пароль', wrong.text)
    assert 'aria-invalid="true"' in wrong.text
    right = client.post("/login", data={"csrf": token, "email": "mother@pfdo.ru", "password": "right-password-1",
                                        "next": "//evil.example/phish"})
    assert right.status_code == 303 and right.headers["location"] == "/cabinet"
    assert "SECRET" not in right.headers["set-cookie"]


def test_a_refused_registration_shows_the_reason_beside_the_field(site):
    client, _ = site
    page = client.get("/register")
    answer = client.post("/register", data={
        "csrf": _csrf(page.text), "email": "a@b.ru", "phone": "+79280000000", "municipality": "chegem",
        "password": "aaaaaaaaaa1", "password_again": "aaaaaaaaaa1"})
    assert answer.status_code == 422 and re.search(r'id="e-password">.*Пароль слишком простой', answer.text)
    assert 'href="#f-password"' in answer.text  # the summary leads to the field


def test_the_cabinet_asks_for_a_login_first(site):
    client, _ = site
    answer = client.get("/cabinet/contracts")
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=%2Fcabinet%2Fcontracts"
