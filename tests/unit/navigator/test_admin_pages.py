"""The admin's cabinet against a stand-in gateway: the platform's health, the accounts list, a new staff
account with the API's refusals beside their fields, blocking and unblocking by the status the API gives."""
from __future__ import annotations

import re

import pytest

from tests.unit.navigator.stand_in import StandInGateway, csrf_of, log_in, page_of, plug, site_with, visited_as

PROVIDER_ID = "6b0c7a52-1f0e-4d6a-9d3e-2f7a5c1b9e01"
BLOCKED_ID = "7a0c7a52-1f0e-4d6a-9d3e-2f7a5c1b9e02"
MUNICIPALITIES = page_of([{"code": "chegem", "name": "Чегемский район", "oktmo": "83645000"}], page_size=100)
PLATFORM = {"checked_at": "2026-11-30T09:00:00+00:00", "services": [
    {"service": "registry", "ready": True, "broker": "ok", "outbox_unsent": 0, "outbox_oldest_age_s": None,
     "dead_letters": [{"queue": "pfdo.registry.accounts.dlq", "messages": 0}], "error": None},
    {"service": "billing", "ready": False, "broker": "down", "outbox_unsent": 17, "outbox_oldest_age_s": 125.4,
     "dead_letters": [{"queue": "pfdo.billing.contracts.dlq", "messages": 3}], "error": "database unavailable"},
    {"service": "gateway", "ready": True, "broker": "ok", "outbox_unsent": 0, "outbox_oldest_age_s": None,
     "dead_letters": [{"queue": "pfdo.gateway.providers.dlq", "messages": 1}], "error": None}]}


def account(role: str = "operator", **extra) -> dict:
    return {"id": "3f1d7a52-0c4e-4b8a-9a61-2d5e7f9c1b03", "email": "operator@chegem.example.ru", "role": role,
            "full_name": "Кумыков Арсен Мухамедович", "municipality": "chegem" if role == "operator" else None,
            "provider_id": None, "created_at": "2026-09-01T09:00:00+00:00", **extra}


def admin_gateway() -> StandInGateway:
    gateway = StandInGateway()
    gateway.on("GET", "/municipalities", (200, MUNICIPALITIES))
    gateway.on("GET", "/admin/platform", (200, PLATFORM))
    gateway.on("GET", "/accounts", (200, page_of([account()], page_size=20)))
    gateway.on("GET", "/providers", (200, page_of([{
        "view": "full", "id": PROVIDER_ID, "status": "approved", "kind": "private", "full_name": "ООО «Старт»",
        "short_name": "ДЮСШ «Старт»", "inn": "0716001234", "ogrn": "1020700000000", "municipality": "chegem",
        "legal_address": "г. Чегем", "licence_number": None, "licence_date": None, "venues": []}], page_size=20)))
    return gateway


@pytest.fixture()
def admin():
    gateway = admin_gateway()
    client, app = site_with(gateway)
    with client:
        plug(app, gateway)
        log_in(client, gateway, "admin")
        yield client, gateway


def test_the_health_page_says_each_services_state_in_words(admin):
    client, _ = admin
    answer = client.get("/admin")
    assert answer.status_code == 200
    text = answer.text
    assert "✓ Готов" in text and "✗ Не готов" in text and "✗ Недоступен" in text and "database unavailable" in text
    assert "17 не отправлено" in text and "2 мин 5 с" in text
    assert re.search(r'class="bad">pfdo.billing.contracts.dlq: 3<', text)
    assert "python -m services.billing dead-letters list" in text and "python -m gateway dead-letters list" in text
    assert "python -m services.registry dead-letters list" not in text  # nothing waits there
    assert "Требуют внимания: billing, gateway" in text and 'href="/admin"' in text and "Обновить" in text


def test_the_health_page_stands_when_the_api_does_not_answer(admin):
    client, gateway = admin
    gateway.on("GET", "/admin/platform", (503, {"title": "x"}))
    answer = client.get("/admin")
    assert answer.status_code == 200 and "Состояние платформы не получить" in answer.text


def test_the_accounts_list_passes_its_filters(admin):
    client, gateway = admin
    answer = client.get("/admin/accounts?role=operator&q=чегем&page=2")
    assert answer.status_code == 200
    assert "operator@chegem.example.ru" in answer.text and "Чегемский район" in answer.text
    assert [c[3] for c in gateway.calls if c[1] == "/accounts"] == [{"role": "operator", "q": "чегем", "page": "2"}]
    assert "Создать учётную запись" in answer.text


def test_an_account_is_blocked_or_unblocked_by_its_status(admin):
    client, gateway = admin
    gateway.on("GET", "/accounts", (200, page_of([account(status="active"),
                                                  account(id=BLOCKED_ID, email="b@x.ru", status="blocked")], page_size=20)))
    page = client.get("/admin/accounts")
    assert "Заблокировать" in page.text and "Разблокировать" in page.text
    gateway.on("POST", f"/accounts/{BLOCKED_ID}/unblock", (200, account(id=BLOCKED_ID, status="active")))
    answer = client.post(f"/admin/accounts/{BLOCKED_ID}/unblock", data={"csrf": csrf_of(page.text)})
    assert answer.status_code == 303 and gateway.posted(f"/accounts/{BLOCKED_ID}/unblock") == [{}]
    assert "разблокирована" in client.get("/admin/accounts").text


def test_a_new_operator_account_posts_what_the_api_expects(admin):
    client, gateway = admin
    page = client.get("/admin/accounts/new")
    assert page.status_code == 200 and "Чегемский район" in page.text
    gateway.on("POST", "/accounts", (201, account()))
    answer = client.post("/admin/accounts/new", data={
        "csrf": csrf_of(page.text), "email": "operator@chegem.example.ru", "password": "Оператор-Чегем-2026",
        "full_name": "Кумыков Арсен Мухамедович", "role": "operator", "municipality": "chegem", "provider_id": ""})
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/accounts"
    assert gateway.posted("/accounts") == [{"email": "operator@chegem.example.ru", "password": "Оператор-Чегем-2026",
                                            "role": "operator", "full_name": "Кумыков Арсен Мухамедович",
                                            "municipality": "chegem"}]


def test_a_provider_staff_account_takes_the_provider_found_by_name(admin):
    client, gateway = admin
    page = client.get("/admin/accounts/new?provider_q=Старт&role=provider")
    assert "ДЮСШ «Старт» — ИНН 0716001234" in page.text
    assert [c[3] for c in gateway.calls if c[1] == "/providers"] == [{"q": "Старт", "page_size": "20"}]
    gateway.on("POST", "/accounts", (201, account("provider", provider_id=PROVIDER_ID)))
    answer = client.post("/admin/accounts/new", data={
        "csrf": csrf_of(page.text), "email": "staff@start.ru", "password": "Старт-2026-пароль", "full_name": "",
        "role": "provider", "municipality": "chegem", "provider_pick": PROVIDER_ID, "provider_id": ""})
    assert answer.status_code == 303
    assert gateway.posted("/accounts") == [{"email": "staff@start.ru", "password": "Старт-2026-пароль",
                                            "role": "provider", "full_name": None, "provider_id": PROVIDER_ID}]


def test_a_regional_operator_goes_without_municipality_and_a_missing_binding_is_caught_before_the_api(admin):
    client, gateway = admin
    token = csrf_of(client.get("/admin/accounts/new").text)
    gateway.on("POST", "/accounts", (201, account("regional_operator")))
    client.post("/admin/accounts/new", data={"csrf": token, "email": "region@x.ru", "password": "Регион-2026-1",
                                             "role": "regional_operator", "municipality": "chegem"})
    assert "municipality" not in gateway.posted("/accounts")[0]
    missing = client.post("/admin/accounts/new", data={"csrf": token, "email": "op@x.ru", "password": "Оператор-2026",
                                                       "role": "operator", "municipality": ""})
    assert missing.status_code == 422 and 'id="e-municipality"' in missing.text
    assert len(gateway.posted("/accounts")) == 1


@pytest.mark.parametrize(("status", "problem", "field", "message"), [
    (409, {"type": "urn:pfdo:problem:account-exists", "status": 409,
           "title": "Этот адрес электронной почты уже зарегистрирован", "field": "email"},
     "email", "Этот адрес электронной почты уже зарегистрирован"),
    (422, {"type": "urn:pfdo:problem:validation", "status": 422, "title": "Проверьте введённые данные",
           "field": "password", "errors": [{"field": "password", "message": "Пароль — не короче 10 символов"}]},
     "password", "Пароль — не короче 10 символов"),
])
def test_the_apis_refusal_shows_beside_its_field(admin, status, problem, field, message):
    client, gateway = admin
    token = csrf_of(client.get("/admin/accounts/new").text)
    gateway.on("POST", "/accounts", (status, problem))
    answer = client.post("/admin/accounts/new", data={"csrf": token, "email": "operator@chegem.example.ru",
                                                      "password": "short", "role": "operator",
                                                      "municipality": "chegem"})
    assert answer.status_code == status
    assert re.search(rf'id="e-{field}">.*{message}', answer.text)
    assert 'value="operator@chegem.example.ru"' in answer.text and 'value="short"' not in answer.text


@pytest.mark.parametrize("role", ["parent", "provider", "operator", "regional_operator"])
@pytest.mark.parametrize("path", ["/admin", "/admin/accounts", "/admin/accounts/new"])
def test_other_roles_are_refused_without_asking_the_api(role, path):
    answer, asked = visited_as(admin_gateway(), role, path)
    assert answer.status_code == 403 and not asked


def test_the_accounts_page_keeps_its_create_link_when_the_gateway_does_not_list_accounts(admin):
    client, gateway = admin
    gateway.on("GET", "/accounts", (405, {"title": "Метод не поддерживается", "status": 405}))
    answer = client.get("/admin/accounts")
    assert answer.status_code == 200 and "Список учётных записей не получить" in answer.text
    assert 'href="/admin/accounts/new"' in answer.text


def test_an_expired_login_while_creating_an_account_goes_to_the_login(admin):
    client, gateway = admin
    token = csrf_of(client.get("/admin/accounts/new").text)
    gateway.on("POST", "/accounts", (401, {"title": "Требуется вход"}))
    answer = client.post("/admin/accounts/new", data={"csrf": token, "email": "a@b.ru", "password": "pass-word-12",
                                                      "role": "admin"})
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_the_role_to_pick_uses_the_one_list_of_role_names(admin):
    client, _ = admin
    text = client.get("/admin/accounts/new").text
    assert '<option value="regional_operator"' in text and '<option value="parent"' not in text
