"""The municipal operator's cabinet against a stand-in gateway: each page renders the API's answers (shaped as
the services' schemas), each form posts what the API expects, a refusal shows beside its field, files pass
through, and other roles are refused."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from navigator.pages.staff_common import kopecks
from tests.unit.navigator.stand_in import StandInGateway, csrf_of, log_in, page_of, plug, site_with, visited_as

M = "chegem"
CERT_ID = "11111111-1111-1111-1111-111111111111"
CHILD_ID = "22222222-2222-2222-2222-222222222222"
PROVIDER_ID = "33333333-3333-3333-3333-333333333333"
RUN_ID = "44444444-4444-4444-4444-444444444444"
DISPUTE_ID = "55555555-5555-5555-5555-555555555555"
INVOICE_ID = "66666666-6666-6666-6666-666666666666"

CHILD = {"id": CHILD_ID, "full_name": "Хашхожева Амина Руслановна", "birth_date": "2016-03-15",
         "snils": "112-233-445 95", "municipality": M, "ovz": False, "certificate_id": CERT_ID,
         "certificate_status": "pending_verification", "certificate_number": "0700012348"}
BALANCE = {"credited_kop": 0, "expired_kop": 0, "reserved_kop": 0, "debited_kop": 0, "reversed_kop": 0,
           "available_kop": 0}
CERTIFICATE = {"id": CERT_ID, "number": "0700012348", "child_id": CHILD_ID, "status": "pending_verification",
               "kind": "accounting", "municipality": M, "balance": BALANCE, "created_at": "2026-09-01T09:00:00+00:00",
               "expected_credit_kop": None, "funding_reason": None, "funding_note": None}
LEDGER = page_of([{"id": 1, "kind": "credit", "amount_kop": 2_500_000, "cause": "period:2026:credit",
                   "contract_id": None, "at": "2026-09-02T10:00:00+00:00"}], page_size=20)
PROVIDER = {"view": "full", "id": PROVIDER_ID, "status": "submitted", "kind": "municipal",
            "full_name": "МКУ ДО «Дом детского творчества»", "short_name": "МКУ ДО «ДДТ» г. Чегем",
            "inn": "0706001239", "ogrn": "1020700528419", "municipality": M,
            "legal_address": "361401, КБР, г. Чегем, ул. Баляева, 1", "licence_number": "Л035-01234-07/00123456",
            "licence_date": "2020-09-01", "venues": [{"id": "v1", "title": "Главный корпус", "address": "ул. Баляева, 1"}],
            "kpp": "070601001", "email": "ddt@mail.ru", "phone": "+7 (86630) 4-11-11", "teaches_alone": False,
            "bank_bik": "040702615", "bank_account": "40703810460320001234", "submitted_by": "acc-1",
            "created_at": "2026-08-01T09:00:00+00:00", "updated_at": "2026-08-01T09:00:00+00:00", "version": 1}
HISTORY = page_of([{"at": "2026-08-01T09:00:00+00:00", "actor": "provider:acc-1", "action": "submit",
                    "from_status": None, "to_status": "submitted", "reason": None,
                    "changes": {"inn": "0706001239", "before": None, "after": None, "venue": None,
                                "agreement": None}}], page_size=20)
AGREEMENT = {"provider_id": PROVIDER_ID, "municipality": M, "year": 2026, "number": "С-17/2026",
             "signed_on": "2026-01-15", "limit_kop": 150_000_000, "active": True,
             "created_at": "2026-01-15T09:00:00+00:00", "updated_at": "2026-01-15T09:00:00+00:00"}
PERIOD = {"municipality": M, "year": 2026, "status": "draft", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
          "nominals": [{"min_age": 5, "max_age": 17, "category": "general", "amount_kop": 2_500_000}],
          "funded_quota": 1200, "free_limits": {"significant": 1, "preprofessional": 1, "other": 2},
          "budget_cap_kop": 3_000_000_000}
RUN = {"id": RUN_ID, "kind": "period_open", "status": "running", "href": f"/api/v1/municipalities/{M}/periods/2026/"
       f"runs/{RUN_ID}", "period_year": 2026, "municipality": M, "requested_by": "operator:op-1",
       "requested_at": "2026-09-01T09:00:00+00:00", "started_at": "2026-09-01T09:00:01+00:00", "finished_at": None,
       "processed": 40, "total": 100, "result": {"credited_certificates": 40, "credited_kop": 100_000_000,
                                                 "stopped_at_budget": False, "expired_certificates": None,
                                                 "expired_kop": None, "closed": None}, "error": None}
CLOSE = {"month": "2026-09", "municipality": M, "status": "posted", "rule": "attended_share",
         "requested_by": "operator:op-1", "requested_at": "2026-10-01T09:00:00+00:00", "charges_count": 12,
         "charges_kop": 3_000_000, "batches_posted": 1, "confirmed_count": 5, "invoices_count": 0, "closed_at": None}
DISPUTE = {"id": DISPUTE_ID, "charge_id": "c1", "contract_id": "k1", "contract_number": "ДС-2026-000123",
           "program_title": "Шахматы для начинающих", "provider_id": PROVIDER_ID, "payer": M, "month": "2026-09",
           "status": "awaiting_operator", "reason": "Ребёнок болел весь месяц", "debited_kop": 250_000,
           "reversed_kop": 0, "open_kop": 250_000, "opened_at": "2026-10-05T09:00:00+00:00",
           "answer_due": "2026-10-15", "provider_answer": "disagree", "provider_comment": "Был на занятиях",
           "decision_comment": None, "closed_at": None,
           "history": [{"step": "opened", "actor": "parent:p1", "role": "parent", "comment": "Болел",
                        "amount_kop": None, "at": "2026-10-05T09:00:00+00:00"}], "reversals": []}
RECONCILIATION = {"month": "2026-09", "municipality": M, "close_status": "closed", "credited_kop": 0,
                  "reserved_kop": 0, "released_kop": 0, "expired_kop": 0, "debited_kop": 3_000_000,
                  "invoiced_kop": 2_900_000, "advanced_kop": 0, "settled_kop": 2_900_000, "payable_kop": 2_900_000,
                  "carried_out_kop": 0, "reversed_kop": 0, "corrections_kop": 0, "corrections_pending_kop": 0,
                  "balanced": False,
                  "differences": [{"contract_id": "k1", "contract_number": "ДС-2026-000123", "invoiced_kop": 0,
                                   "corrected_kop": 0, "debited_kop": 100_000, "reversed_kop": 0}],
                  "providers": [{"provider_id": PROVIDER_ID, "provider_name": "ДЮСШ «Старт»", "invoiced_kop": 2_900_000,
                                 "corrections_kop": 0, "debited_kop": 3_000_000, "reversed_kop": 0,
                                 "balanced": False}], "payers": []}
INVALID_NUMBER = (422, {"type": "urn:pfdo:problem:validation", "status": 422, "title": "Проверьте введённые данные",
                        "field": "number", "errors": [{"field": "number",
                                                       "message": "Номер сертификата: контрольная цифра не сходится"}]})


@pytest.fixture()
def operator():
    gateway = StandInGateway()
    client, app = site_with(gateway)
    with client:
        plug(app, gateway)
        log_in(client, gateway, "operator", municipality=M, name="Оператор Чегема")
        gateway.calls.clear()
        yield client, gateway


def _certificate_routes(gateway: StandInGateway) -> None:
    gateway.on("GET", f"/certificates/{CERT_ID}", (200, CERTIFICATE))
    gateway.on("GET", f"/certificates/{CERT_ID}/ledger", (200, LEDGER))
    gateway.on("GET", f"/children/{CHILD_ID}", (200, CHILD))


def _calls(gateway: StandInGateway, method: str, path: str) -> list[tuple[dict, dict]]:
    return [(body, params) for m, p, body, params in gateway.calls if m == method and p == path]


def test_kopecks_are_read_exactly_from_rubles():
    assert kopecks("12 345,67") == 1_234_567
    assert kopecks("12\u00a0345.6 ₽") == 1_234_560
    assert kopecks("0,01") == 1 and kopecks("1500000") == 150_000_000 and kopecks("") is None
    assert kopecks("0.29") == 29  # a float would give 28
    for bad in ("12,345", "-5", "1.234,56", "abc", "1,001"):
        with pytest.raises(ValueError):
            kopecks(bad)


def test_the_overview_shows_what_waits(operator):
    client, gateway = operator
    gateway.on("GET", "/children", (200, page_of([CHILD], page_size=5)))
    gateway.on("GET", "/providers", (200, page_of([PROVIDER, PROVIDER], page_size=5)))
    gateway.on("GET", "/disputes", (200, page_of([DISPUTE], page_size=5)))
    answer = client.get("/operator")
    assert answer.status_code == 200
    assert "Сертификаты ждут проверки документов" in answer.text and "Хашхожева Амина" in answer.text
    assert re.search(r"<strong>2</strong>Заявки поставщиков", answer.text)
    assert "не запрашивалось" in answer.text and "параметры не заданы" in answer.text
    assert _calls(gateway, "GET", "/providers")[0][1]["municipality"] == M
    assert _calls(gateway, "GET", "/children")[0][1]["certificate_status"] == "pending_verification"


def test_the_certificates_list_defaults_to_those_awaiting_verification(operator):
    client, gateway = operator
    gateway.on("GET", "/children", (200, page_of([CHILD], page_size=25)))
    answer = client.get("/operator/certificates")
    assert answer.status_code == 200 and "0700012348" in answer.text and f"/operator/certificates/{CERT_ID}" in answer.text
    assert _calls(gateway, "GET", "/children")[-1][1]["certificate_status"] == "pending_verification"
    answer = client.post("/operator/certificates", data={"csrf": csrf_of(answer.text), "q": "Амина", "status": ""})
    params = _calls(gateway, "GET", "/children")[-1][1]
    assert answer.status_code == 200 and params["q"] == "Амина" and "certificate_status" not in params
    assert "0700012348" in answer.text


def test_a_mistyped_number_is_shown_beside_the_field(operator):
    client, gateway = operator
    gateway.on("GET", "/certificates/by-number/0700012349", INVALID_NUMBER)
    gateway.on("GET", "/children", (200, page_of([], page_size=25)))
    token = csrf_of(client.get("/operator/certificates").text)
    answer = client.post("/operator/certificates", data={"csrf": token, "number": "0700012349"})
    assert answer.status_code == 422
    assert re.search(r'id="e-number".*контрольная цифра не сходится', answer.text)
    assert 'aria-describedby="h-number e-number"' in answer.text


def test_a_found_number_opens_the_certificate(operator):
    client, gateway = operator
    gateway.on("GET", "/certificates/by-number/0700012348", (200, CERTIFICATE))
    gateway.on("GET", "/children", (200, page_of([], page_size=25)))
    token = csrf_of(client.get("/operator/certificates").text)
    answer = client.post("/operator/certificates", data={"csrf": token, "number": "07 0001 2348"})
    assert answer.status_code == 303 and answer.headers["location"] == f"/operator/certificates/{CERT_ID}"


def test_the_certificate_page_shows_child_balance_ledger_and_the_checklist(operator):
    client, gateway = operator
    _certificate_routes(gateway)
    answer = client.get(f"/operator/certificates/{CERT_ID}")
    assert answer.status_code == 200
    for text in ("Хашхожева Амина Руслановна", "112-233-445 95", "Паспорт родителя", "Свидетельство о рождении",
                 "СНИЛС ребёнка", "Документы проверены — активировать", "Зачисление", "25\u00a0000\u00a0₽"):
        assert text in answer.text, text


def test_activation_needs_all_three_documents_ticked(operator):
    client, gateway = operator
    _certificate_routes(gateway)
    gateway.on("POST", f"/certificates/{CERT_ID}/activate", (200, {**CERTIFICATE, "status": "active"}))
    token = csrf_of(client.get(f"/operator/certificates/{CERT_ID}").text)
    answer = client.post(f"/operator/certificates/{CERT_ID}/activate",
                         data={"csrf": token, "doc_passport": "on", "doc_birth": "on"})
    assert answer.status_code == 422 and "Отметьте все три документа" in answer.text
    assert 'id="e-documents"' in answer.text and 'name="doc_passport" type="checkbox" value="on" checked' in answer.text
    assert not gateway.posted(f"/certificates/{CERT_ID}/activate")
    answer = client.post(f"/operator/certificates/{CERT_ID}/activate",
                         data={"csrf": token, "doc_passport": "on", "doc_birth": "on", "doc_snils": "on"})
    assert answer.status_code == 303 and len(gateway.posted(f"/certificates/{CERT_ID}/activate")) == 1


def test_an_activation_refused_by_the_api_is_shown(operator):
    client, gateway = operator
    _certificate_routes(gateway)
    gateway.on("POST", f"/certificates/{CERT_ID}/activate",
               (409, {"title": "Действие недоступно для сертификата в этом состоянии", "status": 409}))
    token = csrf_of(client.get(f"/operator/certificates/{CERT_ID}").text)
    answer = client.post(f"/operator/certificates/{CERT_ID}/activate",
                         data={"csrf": token, "doc_passport": "on", "doc_birth": "on", "doc_snils": "on"})
    assert answer.status_code == 409 and "Действие недоступно" in answer.text


def test_suspend_reinstate_and_close_post_the_bodies_the_api_takes(operator):
    client, gateway = operator
    _certificate_routes(gateway)
    gateway.routes[("GET", f"/certificates/{CERT_ID}")] = (200, {**CERTIFICATE, "status": "active"})
    for action in ("suspend", "reinstate", "close"):
        gateway.on("POST", f"/certificates/{CERT_ID}/{action}", (200, CERTIFICATE))
    page = client.get(f"/operator/certificates/{CERT_ID}").text
    assert "Приостановить сертификат" in page and "Закрыть сертификат" in page and "активировать" not in page
    token = csrf_of(page)
    assert client.post(f"/operator/certificates/{CERT_ID}/suspend",
                       data={"csrf": token, "reason": "Нужна справка"}).status_code == 303
    assert gateway.posted(f"/certificates/{CERT_ID}/suspend") == [{"reason": "Нужна справка"}]
    assert client.post(f"/operator/certificates/{CERT_ID}/reinstate", data={"csrf": token}).status_code == 303
    answer = client.post(f"/operator/certificates/{CERT_ID}/close", data={"csrf": token, "close_reason": "nonsense"})
    assert answer.status_code == 422 and "Выберите причину закрытия" in answer.text
    assert client.post(f"/operator/certificates/{CERT_ID}/close",
                       data={"csrf": token, "close_reason": "moved"}).status_code == 303
    assert gateway.posted(f"/certificates/{CERT_ID}/close") == [{"reason": "moved"}]


def _provider_routes(gateway: StandInGateway) -> None:
    gateway.on("GET", f"/providers/{PROVIDER_ID}", (200, PROVIDER))
    gateway.on("GET", f"/providers/{PROVIDER_ID}/history", (200, HISTORY))
    gateway.on("GET", f"/providers/{PROVIDER_ID}/agreements", (200, page_of([AGREEMENT], page_size=100)))


def test_providers_of_the_municipality_are_listed(operator):
    client, gateway = operator
    gateway.on("GET", "/providers", (200, page_of([PROVIDER], page_size=25)))
    answer = client.get("/operator/providers?status=submitted")
    assert answer.status_code == 200 and "МКУ ДО «ДДТ» г. Чегем" in answer.text and "региональный оператор" in answer.text
    assert _calls(gateway, "GET", "/providers")[-1][1] == {"status": "submitted", "municipality": M, "page": "1",
                                                          "page_size": "25"}


def test_the_provider_card_shows_checked_requisites_history_and_no_registry_buttons(operator):
    client, gateway = operator
    _provider_routes(gateway)
    answer = client.get(f"/operator/providers/{PROVIDER_ID}?year=2026")
    assert answer.status_code == 200
    for text in ("0706001239", "1020700528419", "070601001", "040702615", "40703810460320001234", "проверено",
                 "Заявка подана", "С-17/2026", "1\u00a0500\u00a0000\u00a0₽", "Сохранить соглашение"):
        assert text in answer.text, text
    for refused in ("/approve", "/reject", "/exclude", "Допустить"):
        assert refused not in answer.text
    assert _calls(gateway, "GET", f"/providers/{PROVIDER_ID}/agreements")[0][1]["municipality"] == M
    assert 'value="1500000"' in answer.text and 'value="С-17/2026"' in answer.text  # the year's agreement to edit


def test_an_agreement_is_put_with_the_limit_in_kopecks(operator):
    client, gateway = operator
    _provider_routes(gateway)
    path = f"/providers/{PROVIDER_ID}/agreements/{M}/2027"
    gateway.on("PUT", path, (200, AGREEMENT))
    token = csrf_of(client.get(f"/operator/providers/{PROVIDER_ID}").text)
    form = {"csrf": token, "year": "2027", "number": "С-1/2027", "signed_on": "2027-01-10", "limit": "12 345,67",
            "active": "on"}
    answer = client.post(f"/operator/providers/{PROVIDER_ID}/agreements", data=form)
    assert answer.status_code == 303
    assert _calls(gateway, "PUT", path)[0][0] == {"number": "С-1/2027", "signed_on": "2027-01-10",
                                                  "limit_kop": 1_234_567, "active": True}
    answer = client.post(f"/operator/providers/{PROVIDER_ID}/agreements", data={**form, "limit": ""})
    assert answer.status_code == 303
    assert _calls(gateway, "PUT", path)[-1][0]["limit_kop"] is None


def test_a_bad_limit_is_refused_beside_its_field_without_asking_the_api(operator):
    client, gateway = operator
    _provider_routes(gateway)
    token = csrf_of(client.get(f"/operator/providers/{PROVIDER_ID}").text)
    answer = client.post(f"/operator/providers/{PROVIDER_ID}/agreements",
                         data={"csrf": token, "year": "2027", "number": "С-1", "signed_on": "2027-01-10",
                               "limit": "12,345"})
    assert answer.status_code == 422 and 'id="e-limit"' in answer.text
    assert not [c for c in gateway.calls if c[0] == "PUT"]


def test_an_agreement_refused_by_the_api_shows_beside_the_field(operator):
    client, gateway = operator
    _provider_routes(gateway)
    gateway.on("PUT", f"/providers/{PROVIDER_ID}/agreements/{M}/2027", (422, {
        "title": "Проверьте введённые данные", "status": 422, "field": "limit_kop",
        "errors": [{"field": "limit_kop", "message": "Значение должно быть не больше 1000000000000000"}]}))
    token = csrf_of(client.get(f"/operator/providers/{PROVIDER_ID}").text)
    answer = client.post(f"/operator/providers/{PROVIDER_ID}/agreements",
                         data={"csrf": token, "year": "2027", "number": "С-1", "signed_on": "2027-01-10",
                               "limit": "5"})
    assert answer.status_code == 422 and re.search(r'id="e-limit".*не больше', answer.text)


def test_the_period_form_puts_the_parameters_in_kopecks(operator):
    client, gateway = operator
    path = f"/municipalities/{M}/periods/2026"
    gateway.on("GET", path, (200, PERIOD))
    gateway.on("GET", path + "/runs", (200, page_of([RUN], page_size=20)))
    gateway.on("PUT", path, (200, PERIOD))
    page = client.get("/operator/period?year=2026")
    assert page.status_code == 200 and 'value="25000"' in page.text and "Открыть период" in page.text
    assert f"/operator/period/2026/runs/{RUN_ID}" in page.text
    form = {"csrf": csrf_of(page.text), "starts_on": "2026-01-01", "ends_on": "2026-12-31", "funded_quota": "1200",
            "free_significant": "1", "free_preprofessional": "1", "free_other": "2", "budget_cap": "30 000 000",
            "nominal-0-min_age": "5", "nominal-0-max_age": "17", "nominal-0-category": "general",
            "nominal-0-amount": "25 000", "nominal-1-min_age": "", "nominal-1-max_age": "",
            "nominal-1-category": "general", "nominal-1-amount": "", "nominal-2-min_age": "5",
            "nominal-2-max_age": "17", "nominal-2-category": "ovz", "nominal-2-amount": "35 000,50"}
    assert client.post("/operator/period/2026", data=form).status_code == 303
    assert _calls(gateway, "PUT", path)[0][0] == {
        "starts_on": "2026-01-01", "ends_on": "2026-12-31", "funded_quota": 1200, "budget_cap_kop": 3_000_000_000,
        "free_limits": {"significant": 1, "preprofessional": 1, "other": 2},
        "nominals": [{"min_age": 5, "max_age": 17, "category": "general", "amount_kop": 2_500_000},
                     {"min_age": 5, "max_age": 17, "category": "ovz", "amount_kop": 3_500_050}]}


def test_a_period_refusal_on_a_nominal_shows_beside_that_row(operator):
    client, gateway = operator
    path = f"/municipalities/{M}/periods/2026"
    gateway.on("GET", path, (200, PERIOD))
    gateway.on("PUT", path, (422, {"title": "Проверьте введённые данные", "status": 422, "field": "nominals.1.max_age",
                                   "errors": [{"field": "nominals.1.max_age", "message": "Не больше 18"}]}))
    token = csrf_of(client.get("/operator/period?year=2026").text)
    form = {"csrf": token, "starts_on": "2026-01-01", "ends_on": "2026-12-31", "funded_quota": "1",
            "free_significant": "1", "free_preprofessional": "1", "free_other": "2", "budget_cap": "100",
            "nominal-0-min_age": "5", "nominal-0-max_age": "17", "nominal-0-category": "general",
            "nominal-0-amount": "10", "nominal-1-min_age": "", "nominal-1-max_age": "", "nominal-1-category": "general",
            "nominal-1-amount": "", "nominal-2-min_age": "5", "nominal-2-max_age": "17", "nominal-2-category": "ovz",
            "nominal-2-amount": "20"}
    answer = client.post("/operator/period/2026", data=form)
    assert answer.status_code == 422 and re.search(r'id="e-nominal-2-max_age".*Не больше 18', answer.text)


def test_opening_the_period_leads_to_its_run_with_progress(operator):
    client, gateway = operator
    path = f"/municipalities/{M}/periods/2026"
    gateway.on("GET", path, (200, PERIOD))
    gateway.on("POST", path + "/open", (202, {**RUN, "status": "queued"}))
    gateway.on("GET", f"{path}/runs/{RUN_ID}", (200, RUN))
    token = csrf_of(client.get("/operator/period?year=2026").text)
    answer = client.post("/operator/period/2026/open", data={"csrf": token})
    assert answer.status_code == 303 and answer.headers["location"] == f"/operator/period/2026/runs/{RUN_ID}"
    page = client.get(answer.headers["location"])
    assert page.status_code == 200 and 'data-refresh="5"' in page.text and "40 из 100" in page.text
    assert "1\u00a0000\u00a0000\u00a0₽" in page.text


def test_a_period_not_yet_set_shows_an_empty_form(operator):
    client, gateway = operator
    answer = client.get("/operator/period?year=2027")
    assert answer.status_code == 200 and "Задать параметры" in answer.text and "Открыть период" not in answer.text


def test_months_list_and_closing_a_month(operator):
    client, gateway = operator
    gateway.on("GET", f"/municipalities/{M}/months", (200, page_of([CLOSE], page_size=24)))
    gateway.on("POST", f"/municipalities/{M}/months/2026-09/close", (202, {**CLOSE, "status": "charging"}))
    gateway.on("GET", f"/municipalities/{M}/months/2026-09", (200, CLOSE))
    page = client.get("/operator/months")
    assert page.status_code == 200 and "/operator/months/2026-09" in page.text and "сентябрь 2026" in page.text
    answer = client.post("/operator/months/close", data={"csrf": csrf_of(page.text), "month": "2026-09"})
    assert answer.status_code == 303 and answer.headers["location"] == "/operator/months/2026-09"
    month = client.get("/operator/months/2026-09")
    assert month.status_code == 200 and 'data-refresh="5"' in month.text and "5 из 12" in month.text


def test_a_month_close_refused_shows_beside_the_month(operator):
    client, gateway = operator
    gateway.on("GET", f"/municipalities/{M}/months", (200, page_of([], page_size=24)))
    gateway.on("POST", f"/municipalities/{M}/months/2026-11/close",
               (409, {"title": "Месяц ещё не закончился", "status": 409}))
    token = csrf_of(client.get("/operator/months").text)
    answer = client.post("/operator/months/close", data={"csrf": token, "month": "2026-11"})
    assert answer.status_code == 409 and re.search(r'id="e-month".*Месяц ещё не закончился', answer.text)
    answer = client.post("/operator/months/close", data={"csrf": token, "month": "ноябрь"})
    assert answer.status_code == 422 and 'id="e-month"' in answer.text


def test_a_closed_month_lists_its_invoices_and_passes_their_files(operator):
    client, gateway = operator
    closed = {**CLOSE, "status": "closed", "confirmed_count": 12, "invoices_count": 1,
              "closed_at": "2026-10-02T09:00:00+00:00"}
    invoice = {"id": INVOICE_ID, "number": "СЧ-2026-09-000001", "provider_id": PROVIDER_ID, "provider_name": "ДЮСШ «Старт»",
               "payer": M, "payer_name": "Чегемский район", "month": "2026-09", "charges_kop": 3_000_000,
               "advance_kop": 0, "carried_in_kop": 0, "corrections_kop": 0, "settlement_kop": 3_000_000,
               "issued_at": "2026-10-02T09:00:00+00:00"}
    gateway.on("GET", f"/municipalities/{M}/months/2026-09", (200, closed))
    gateway.on("GET", "/invoices", (200, page_of([invoice])))
    gateway.on("GET", f"/invoices/{INVOICE_ID}", (200, b"\xef\xbb\xbf\xd0\xa1\xd1\x87\xd1\x91\xd1\x82;1"))
    page = client.get("/operator/months/2026-09")
    assert page.status_code == 200 and "СЧ-2026-09-000001" in page.text and 'data-refresh' not in page.text
    answer = client.get(f"/operator/months/2026-09/invoices/{INVOICE_ID}?format=csv")
    assert answer.status_code == 200 and answer.content.startswith(b"\xef\xbb\xbf")
    assert _calls(gateway, "GET", f"/invoices/{INVOICE_ID}")[0][1] == {"format": "csv"}


def test_a_month_never_closed_offers_the_close_button(operator):
    client, gateway = operator
    answer = client.get("/operator/months/2026-08")
    assert answer.status_code == 200 and "Закрыть месяц август 2026" in answer.text


def test_disputes_awaiting_the_operator_and_a_decision(operator):
    client, gateway = operator
    gateway.on("GET", "/disputes", (200, page_of([DISPUTE], page_size=25)))
    gateway.on("GET", f"/disputes/{DISPUTE_ID}", (200, DISPUTE))
    gateway.on("POST", f"/disputes/{DISPUTE_ID}/decision", (200, {**DISPUTE, "status": "resolved"}))
    listing = client.get("/operator/months/disputes")
    assert listing.status_code == 200 and "Спор по договору № ДС-2026-000123" in listing.text
    assert _calls(gateway, "GET", "/disputes")[0][1]["status"] == "awaiting_operator"
    page = client.get(f"/operator/months/disputes/{DISPUTE_ID}")
    assert page.status_code == 200 and "Принять решение" in page.text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text).group(1)
    answer = client.post(f"/operator/months/disputes/{DISPUTE_ID}/decision",
                         data={"csrf": csrf_of(page.text), "idempotency_key": key, "reversal": "1 000,5",
                               "comment": "Журнал подтверждает два занятия"})
    assert answer.status_code == 303
    assert gateway.posted(f"/disputes/{DISPUTE_ID}/decision") == [{"reversal_kop": 100_050,
                                                                  "comment": "Журнал подтверждает два занятия"}]


def test_a_decision_refused_by_the_api_shows_beside_the_amount(operator):
    client, gateway = operator
    gateway.on("GET", f"/disputes/{DISPUTE_ID}", (200, DISPUTE))
    gateway.on("POST", f"/disputes/{DISPUTE_ID}/decision", (422, {
        "title": "Проверьте введённые данные", "status": 422, "field": "reversal_kop",
        "errors": [{"field": "reversal_kop", "message": "Не больше оспоренного остатка"}]}))
    token = csrf_of(client.get(f"/operator/months/disputes/{DISPUTE_ID}").text)
    answer = client.post(f"/operator/months/disputes/{DISPUTE_ID}/decision",
                         data={"csrf": token, "reversal": "9999", "comment": "Так"})
    assert answer.status_code == 422 and re.search(r'id="e-reversal".*Не больше оспоренного', answer.text)


def test_reports_show_the_reconciliation_and_registers_in_short(operator):
    client, gateway = operator
    gateway.on("GET", "/reports/reconciliation", (200, RECONCILIATION))
    gateway.on("GET", "/reports/certificates", (200, {
        "items": [{"id": CERT_ID, "number": "0700012348", "child_full_name": "Хашхожева Амина Руслановна",
                   "status": "active", "available_kop": 2_500_000}], "total": 40, "page": 1, "page_size": 10}))
    gateway.on("GET", "/reports/contracts", (200, page_of([])))
    gateway.on("GET", "/reports/payments", (200, {"month": "2026-09", "municipality": M, "items": [], "totals": {
        "invoices": 0, "charges_kop": 0, "advance_kop": 0, "carried_in_kop": 0, "corrections_kop": 0,
        "settlement_kop": 0, "payable_kop": 0, "carried_out_kop": 0}}))
    answer = client.get("/operator/reports?month=2026-09")
    assert answer.status_code == 200
    for text in ("Не сходится", "ДС-2026-000123", "ДЮСШ «Старт»", "Всего: 40", "0700012348",
                 "/operator/reports/reconciliation?month=2026-09&amp;format=xlsx",
                 "/operator/reports/certificates?certificate_status=&amp;format=csv",
                 "/operator/reports/payments?month=2026-09&amp;format=csv"):
        assert text in answer.text, text
    assert _calls(gateway, "GET", "/reports/reconciliation")[0][1] == {"month": "2026-09", "municipality": M}


def test_reports_page_survives_a_register_the_api_does_not_answer(operator):
    client, _ = operator
    answer = client.get("/operator/reports?month=2026-09")
    assert answer.status_code == 200 and "Реестр договоров сейчас недоступен" in answer.text


@pytest.mark.parametrize(("href", "api_path", "params"), [
    ("/operator/reports/reconciliation?month=2026-09&format=xlsx", "/reports/reconciliation",
     {"month": "2026-09", "municipality": M, "format": "xlsx"}),
    ("/operator/reports/certificates?certificate_status=active&format=csv", "/reports/certificates",
     {"municipality": M, "status": "active", "format": "csv"}),
    ("/operator/reports/contracts?format=xlsx", "/reports/contracts", {"municipality": M, "format": "xlsx"}),
    ("/operator/reports/payments?month=2026-09&format=csv", "/reports/payments",
     {"month": "2026-09", "municipality": M, "format": "csv"}),
])
def test_downloads_pass_the_file_through(operator, href, api_path, params):
    client, gateway = operator
    gateway.on("GET", api_path, (200, b"PK\x03\x04file-bytes"))
    answer = client.get(href)
    assert answer.status_code == 200 and answer.content == b"PK\x03\x04file-bytes"
    assert "attachment" in answer.headers["content-disposition"]
    assert _calls(gateway, "GET", api_path)[0][1] == params


def test_a_download_in_another_format_is_refused(operator):
    client, gateway = operator
    answer = client.get("/operator/reports/contracts?format=pdf")
    assert answer.status_code == 422 and not _calls(gateway, "GET", "/reports/contracts")


@pytest.mark.parametrize("path", ["/operator", "/operator/certificates", f"/operator/certificates/{CERT_ID}",
                                  "/operator/providers", "/operator/period", "/operator/months",
                                  "/operator/months/disputes", "/operator/reports",
                                  "/operator/reports/contracts?format=csv"])
@pytest.mark.parametrize("role", ["provider", "regional_operator", "admin"])
def test_other_roles_are_refused_without_asking_the_api(role, path):
    answer, asked = visited_as(StandInGateway(), role, path)
    assert answer.status_code == 403 and not asked


# --- the reviewer's findings


def test_a_search_by_name_or_snils_is_posted_and_answered_on_the_page(operator):
    client, gateway = operator
    gateway.on("GET", "/children", (200, page_of([CHILD], page_size=25)))
    text = client.get("/operator/certificates?q=112-233-445+95").text
    assert "q" not in _calls(gateway, "GET", "/children")[-1][1]  # a query in the address is not searched
    assert '<form method="post" action="/operator/certificates" class="search-form">' in text
    answer = client.post("/operator/certificates", data={"csrf": csrf_of(text), "q": "112-233-445 95"})
    assert answer.status_code == 200 and "Хашхожева Амина Руслановна" in answer.text
    assert _calls(gateway, "GET", "/children")[-1][1]["q"] == "112-233-445 95"
    assert "***-***-*** 95" in answer.text and "112-233-445 95" not in answer.text.replace('value="112-233-445 95"', "")


def test_only_ten_ascii_digits_of_a_number_reach_the_api(operator):
    client, gateway = operator
    gateway.on("GET", "/children", (200, page_of([], page_size=25)))
    token = csrf_of(client.get("/operator/certificates").text)
    for typed in ("07000123", "０７０００１２３４８", "0700012348/../x", "07000123481"):
        answer = client.post("/operator/certificates", data={"csrf": token, "number": typed})
        assert answer.status_code == 422 and 'id="e-number"' in answer.text, typed
    assert not [c for c in gateway.calls if c[1].startswith("/certificates/by-number")]


def test_a_malformed_certificate_id_is_the_not_found_page(operator):
    client, gateway = operator
    answer = client.get("/operator/certificates/not-an-id")
    assert answer.status_code == 404 and "Страница не найдена" in answer.text and not gateway.calls


def test_an_expired_login_is_sent_to_the_login_not_shown_beside_a_field(operator):
    client, gateway = operator
    _provider_routes(gateway)
    gateway.on("PUT", f"/providers/{PROVIDER_ID}/agreements/{M}/2027", (401, {"title": "Требуется вход"}))
    token = csrf_of(client.get(f"/operator/providers/{PROVIDER_ID}").text)
    answer = client.post(f"/operator/providers/{PROVIDER_ID}/agreements", data={
        "csrf": token, "year": "2027", "number": "С-1/2027", "signed_on": "2027-01-10", "limit": ""})
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_a_provider_of_another_municipality_opens_without_its_history(operator):
    client, gateway = operator
    _provider_routes(gateway)
    gateway.on("GET", f"/providers/{PROVIDER_ID}/history", (403, {"title": "Нет доступа"}))
    answer = client.get(f"/operator/providers/{PROVIDER_ID}")
    assert answer.status_code == 200 and "Сохранить соглашение" in answer.text and "<h2>История</h2>" not in answer.text


def test_approved_providers_of_any_municipality_can_be_found(operator):
    client, gateway = operator
    gateway.on("GET", "/providers", (200, page_of([PROVIDER], page_size=25)))
    answer = client.get("/operator/providers?anywhere=ДДТ")
    assert answer.status_code == 200 and "Найти во всём регионе" in answer.text
    assert {"status": "approved", "q": "ДДТ", "page_size": "25"} in [p for _, p in _calls(gateway, "GET", "/providers")]


def test_a_months_invoices_have_pages(operator):
    client, gateway = operator
    closed = {**CLOSE, "status": "closed", "invoices_count": 120, "closed_at": "2026-10-02T09:00:00+00:00"}
    invoice = {"id": INVOICE_ID, "number": "СЧ-1", "provider_id": PROVIDER_ID, "provider_name": "ДЮСШ",
               "payer": M, "month": "2026-09", "charges_kop": 1, "advance_kop": 0, "settlement_kop": 1}
    gateway.on("GET", f"/municipalities/{M}/months/2026-09", (200, closed))
    gateway.on("GET", "/invoices", (200, {"items": [invoice] * 50, "total": 120, "page": 2, "page_size": 50}))
    text = client.get("/operator/months/2026-09?page=2").text
    assert 'aria-label="Страницы списка"' in text and "page=3" in text
    assert _calls(gateway, "GET", "/invoices")[0][1]["page"] == "2"


def test_a_long_runs_progress_is_labelled_and_refreshed_in_place(operator):
    client, gateway = operator
    path = f"/municipalities/{M}/periods/2026"
    gateway.on("GET", path, (200, PERIOD))
    gateway.on("GET", f"{path}/runs/{RUN_ID}", (200, RUN))
    text = client.get(f"/operator/period/2026/runs/{RUN_ID}").text
    assert 'data-refresh="5"' in text and 'data-done="false"' in text
    assert re.search(r'<progress [^>]*aria-label="[^"]+: выполнено 40 из 100"', text)
    script = (Path(__file__).parents[3] / "navigator/static/app.js").read_text()
    assert "DOMParser" in script and "Не обновлять автоматически" in script and "location.reload" in script
