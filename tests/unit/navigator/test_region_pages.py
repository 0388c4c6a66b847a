"""The regional operator's cabinet against a stand-in gateway: each page renders from answers shaped as the
services' schemas, each form posts what the API expects, a refusal shows beside its field, files pass through,
and the pages are the regional operator's only."""
from __future__ import annotations

import re
from datetime import date

import pytest

from tests.unit.navigator.stand_in import StandInGateway, csrf_of, log_in, page_of, plug, site_with, visited_as

PROVIDER_ID = "6b0c7a52-1f0e-4d6a-9d3e-2f7a5c1b9e01"
PROGRAM_ID = "0b8f6c2e-5d1a-4e37-9a51-3c2f0d7e8a14"
MUNICIPALITIES = page_of([{"code": "chegem", "name": "Чегемский район", "oktmo": "83645000"},
                          {"code": "nalchik", "name": "Городской округ Нальчик", "oktmo": "83701000"}], page_size=100)


def provider(status: str = "submitted", **extra) -> dict:
    return {"view": "full", "id": PROVIDER_ID, "status": status, "kind": "municipal",
            "full_name": "Муниципальное казённое учреждение дополнительного образования «Дом детского творчества»",
            "short_name": "МКУ ДО «ДДТ» г. Чегем", "inn": "0706001239", "ogrn": "1020700528419",
            "municipality": "chegem", "legal_address": "361401, КБР, г. Чегем, ул. Баляева, 1",
            "licence_number": "Л035-01234-07/00123456", "licence_date": "2020-09-01",
            "venues": [{"id": "9d1e5a70-3b8c-4f2a-8e61-7c0d2b4a9f33", "title": "Главный корпус",
                        "address": "361401, КБР, г. Чегем, ул. Баляева, 1"}],
            "kpp": "070601001", "email": "ddt-chegem@mail.ru", "phone": "+7 (86630) 4-11-11", "teaches_alone": False,
            "bank_bik": "040702615", "bank_account": "40703810460320001234",
            "submitted_by": "00000000-0000-0000-0000-0000000000b2", "created_at": "2026-09-01T09:00:00+00:00",
            "updated_at": "2026-09-01T09:00:00+00:00", "version": 1, **extra}


HISTORY = page_of([{"at": "2026-09-01T09:00:00+00:00", "actor": "provider:00000000-0000-0000-0000-0000000000b2",
                    "action": "submit", "from_status": None, "to_status": "submitted", "reason": None,
                    "changes": {"inn": "0706001239", "before": None, "after": None, "venue": None,
                                "agreement": None}}], page_size=100)
AGREEMENTS = page_of([{"provider_id": PROVIDER_ID, "municipality": "nalchik", "year": 2026, "number": "С-17/2026",
                       "signed_on": "2026-01-15", "limit_kop": 150_000_000, "active": True,
                       "created_at": "2026-01-15T10:00:00+00:00", "updated_at": "2026-01-15T10:00:00+00:00"}],
                     page_size=100)
PROGRAM = {"id": PROGRAM_ID, "provider_id": PROVIDER_ID, "provider_name": "МКУ ДО «ДДТ» г. Чегем",
           "status": "draft", "title": "Робототехника для начинающих",
           "description": "Собираем и программируем роботов на конструкторах.", "direction": "technical",
           "level": "starting", "form": "in_person", "min_age": 7, "max_age": 12, "ovz_adapted": False,
           "registers": [], "certified": False, "certification_score": None, "certified_until": None,
           "municipality": "chegem", "rating": None, "reviews": 0,
           "modules": [{"id": "5a1c2e3d-4b5f-4a6b-8c7d-9e0f1a2b3c4d", "title": "Первый год обучения", "hours": 72,
                        "price_kop": 1_800_000}], "groups": []}
CARD = {"id": PROGRAM_ID, "title": "Робототехника для начинающих", "provider_name": "МКУ ДО «ДДТ» г. Чегем",
        "direction": "technical", "level": "starting", "min_age": 7, "max_age": 12, "certified": False,
        "municipality": "chegem", "rating": None, "free_seats": 12, "nearest_start": "2026-09-01",
        "price_from_kop": 1_800_000, "weekdays": [1, 3], "full_match": True, "highlight": None}
MONTH_CLOSE = {"month": "2026-09", "municipality": "chegem", "status": "closed", "rule": "attended_share",
               "requested_by": "operator:op-1", "requested_at": "2026-10-01T07:00:00+00:00", "charges_count": 41,
               "charges_kop": 7_380_000, "batches_posted": 1, "confirmed_count": 41, "invoices_count": 3,
               "closed_at": "2026-10-01T07:02:00+00:00"}


def payer(municipality: str | None, balanced: bool = True) -> dict:
    return {"municipality": municipality, "close_status": "closed" if balanced else "not_requested",
            "credited_kop": 0, "reserved_kop": 900_000, "released_kop": 0, "expired_kop": 0,
            "debited_kop": 7_380_000 if balanced else 0, "invoiced_kop": 7_380_000 if balanced else 0,
            "advanced_kop": 0, "settled_kop": 7_380_000, "payable_kop": 7_380_000, "carried_out_kop": 0,
            "reversed_kop": 0, "corrections_kop": 0, "corrections_pending_kop": 0, "balanced": balanced,
            "differences": [], "providers": [{"provider_id": PROVIDER_ID, "provider_name": "МКУ ДО «ДДТ» г. Чегем",
                                              "invoiced_kop": 7_380_000, "corrections_kop": 0,
                                              "debited_kop": 7_380_000, "reversed_kop": 0, "balanced": True}]}


def region_gateway() -> StandInGateway:
    gateway = StandInGateway()
    gateway.on("GET", "/municipalities", (200, MUNICIPALITIES))
    gateway.on("GET", "/providers", (200, page_of([provider()], page_size=20)))
    gateway.on("GET", f"/providers/{PROVIDER_ID}", (200, provider()))
    gateway.on("GET", f"/providers/{PROVIDER_ID}/history", (200, HISTORY))
    gateway.on("GET", f"/providers/{PROVIDER_ID}/agreements", (200, AGREEMENTS))
    gateway.on("GET", "/programs", (200, {**page_of([CARD], page_size=20), "full_matches": 1, "facets": None}))
    gateway.on("GET", f"/programs/{PROGRAM_ID}", (200, PROGRAM))
    return gateway


@pytest.fixture()
def region():
    gateway = region_gateway()
    client, app = site_with(gateway)
    with client:
        plug(app, gateway)
        log_in(client, gateway, "regional_operator", name="Кумыков Арсен")
        yield client, gateway


def test_the_overview_shows_waiting_applications_uncertified_programs_and_each_month_close(region):
    client, gateway = region
    client.app.state.clock.pin(date(2026, 10, 15))
    gateway.on("GET", "/municipalities/chegem/months/2026-09", (200, MONTH_CLOSE))
    gateway.on("GET", "/municipalities/chegem/months/2026-10", (200, {**MONTH_CLOSE, "month": "2026-10",
                                                                       "status": "posting", "closed_at": None}))
    answer = client.get("/region")
    assert answer.status_code == 200, answer.text
    assert "МКУ ДО «ДДТ» г. Чегем" in answer.text and f'href="/region/providers/{PROVIDER_ID}"' in answer.text
    assert "Опубликованные программы без сертификации" in answer.text
    asked = {(c[1], c[3].get("status"), c[3].get("certificate")) for c in gateway.calls}
    assert ("/providers", "submitted", None) in asked and ("/programs", None, "false") in asked
    assert "Чегемский район" in answer.text and "Городской округ Нальчик" in answer.text
    assert "Закрытие не запрашивалось" in answer.text  # nalchik's months: 404
    assert "сентябрь 2026" in answer.text and "октябрь 2026" in answer.text
    assert "Закрыт, счета выставлены" in answer.text and "Списания отправляются в реестр" in answer.text


def test_the_registry_lists_with_filters_passed_to_the_api(region):
    client, gateway = region
    answer = client.get("/region/providers?status=submitted&municipality=chegem&kind=municipal&q=ДДТ&page=2")
    assert answer.status_code == 200
    [params] = [c[3] for c in gateway.calls if c[1] == "/providers"]
    assert params == {"status": "submitted", "municipality": "chegem", "kind": "municipal", "q": "ДДТ",
                      "page": "2", "page_size": "20"}
    assert "0706001239" in answer.text and "Заявка на рассмотрении" in answer.text
    gateway.calls.clear()
    client.get("/region/providers?status=nonsense&municipality=atlantis")
    [params] = [c[3] for c in gateway.calls if c[1] == "/providers"]
    assert "status" not in params and "municipality" not in params


def test_a_submitted_providers_card_offers_approve_and_reject_only(region):
    client, _ = region
    answer = client.get(f"/region/providers/{PROVIDER_ID}")
    assert answer.status_code == 200
    text = answer.text
    assert "Допустить в реестр" in text and "Отклонить заявку" in text
    assert "Приостановить" not in text and "Восстановить" not in text and "Исключить из реестра" not in text
    assert "40703810460320001234" in text and "ddt-chegem@mail.ru" in text and "Главный корпус" in text
    assert "С-17/2026" in text and "Городской округ Нальчик" in text and "Заявка подана" in text


@pytest.mark.parametrize(("status", "shown", "hidden"), [
    ("approved", ["Приостановить", "Исключить из реестра"], ["Допустить в реестр", "Восстановить"]),
    ("suspended", ["Восстановить", "Исключить из реестра"], ["Допустить в реестр", "Приостановить"]),
    ("excluded", [], ["Допустить в реестр", "Приостановить", "Восстановить", "Исключить из реестра"]),
])
def test_each_status_offers_only_its_moves(region, status, shown, hidden):
    client, gateway = region
    gateway.on("GET", f"/providers/{PROVIDER_ID}", (200, provider(status)))
    text = client.get(f"/region/providers/{PROVIDER_ID}").text
    assert all(label in text for label in shown) and not any(label in text for label in hidden)


def test_approving_posts_to_the_api_and_returns_to_the_card(region):
    client, gateway = region
    token = csrf_of(client.get(f"/region/providers/{PROVIDER_ID}").text)
    gateway.on("POST", f"/providers/{PROVIDER_ID}/approve", (200, provider("approved")))
    answer = client.post(f"/region/providers/{PROVIDER_ID}/approve", data={"csrf": token})
    assert answer.status_code == 303 and answer.headers["location"] == f"/region/providers/{PROVIDER_ID}"
    assert gateway.posted(f"/providers/{PROVIDER_ID}/approve") == [{}]
    assert "Поставщик допущен в реестр." in client.get(answer.headers["location"]).text


def test_rejecting_needs_a_reason_and_sends_it(region):
    client, gateway = region
    token = csrf_of(client.get(f"/region/providers/{PROVIDER_ID}").text)
    gateway.on("POST", f"/providers/{PROVIDER_ID}/reject", (200, provider("rejected")))
    empty = client.post(f"/region/providers/{PROVIDER_ID}/reject", data={"csrf": token, "reason": "  "})
    assert empty.status_code == 422 and 'id="e-reject-reason"' in empty.text
    assert not gateway.posted(f"/providers/{PROVIDER_ID}/reject")
    answer = client.post(f"/region/providers/{PROVIDER_ID}/reject",
                         data={"csrf": token, "reason": "Истёк срок действия лицензии"})
    assert answer.status_code == 303
    assert gateway.posted(f"/providers/{PROVIDER_ID}/reject") == [{"reason": "Истёк срок действия лицензии"}]


def test_a_refused_move_is_shown_on_the_card(region):
    client, gateway = region
    token = csrf_of(client.get(f"/region/providers/{PROVIDER_ID}").text)
    gateway.on("POST", f"/providers/{PROVIDER_ID}/reject", (409, {
        "type": "urn:pfdo:problem:provider-status", "status": 409,
        "title": "Нельзя отклонить поставщика: он допущен"}))
    answer = client.post(f"/region/providers/{PROVIDER_ID}/reject", data={"csrf": token, "reason": "Дубликат"})
    assert answer.status_code == 409
    assert 'role="alert"' in answer.text and "Нельзя отклонить поставщика: он допущен" in answer.text
    assert re.search(r'id="e-reject-reason">.*Нельзя отклонить', answer.text)


def test_a_form_without_csrf_changes_nothing(region):
    client, gateway = region
    answer = client.post(f"/region/providers/{PROVIDER_ID}/approve", data={})
    assert answer.status_code == 403 and not gateway.posted(f"/providers/{PROVIDER_ID}/approve")


def test_programs_are_searched_and_a_draft_opened_by_its_number(region):
    client, gateway = region
    answer = client.get("/region/programs?q=роботы&municipality=chegem&certificate=false")
    assert answer.status_code == 200 and "Робототехника для начинающих" in answer.text
    [params] = [c[3] for c in gateway.calls if c[1] == "/programs"]
    assert params == {"q": "роботы", "municipality": "chegem", "certificate": "false", "page": "1",
                      "page_size": "20"}
    opened = client.get(f"/region/programs/open?id={PROGRAM_ID.upper()}")
    assert opened.status_code == 303 and opened.headers["location"] == f"/region/programs/{PROGRAM_ID}"
    wrong = client.get("/region/programs/open?id=12345")
    assert wrong.status_code == 422 and 'id="e-id"' in wrong.text


def test_a_programs_page_shows_modules_and_certifies_with_score_and_term(region):
    client, gateway = region
    page = client.get(f"/region/programs/{PROGRAM_ID}")
    assert page.status_code == 200 and "Первый год обучения" in page.text and "Черновик" in page.text
    gateway.on("POST", f"/programs/{PROGRAM_ID}/certify", (200, {
        **PROGRAM, "registers": ["certified"], "certified": True, "certification_score": 87,
        "certified_until": "2027-08-31"}))
    answer = client.post(f"/region/programs/{PROGRAM_ID}/certify",
                         data={"csrf": csrf_of(page.text), "score": "87", "valid_until": "2027-08-31"})
    assert answer.status_code == 303
    assert gateway.posted(f"/programs/{PROGRAM_ID}/certify") == [{"score": 87, "valid_until": "2027-08-31"}]


def test_a_certification_refused_by_the_api_shows_beside_its_field(region):
    client, gateway = region
    token = csrf_of(client.get(f"/region/programs/{PROGRAM_ID}").text)
    gateway.on("POST", f"/programs/{PROGRAM_ID}/certify", (422, {
        "type": "urn:pfdo:problem:validation", "status": 422, "title": "Проверьте введённые данные",
        "field": "valid_until", "errors": [{"field": "valid_until", "message": "Срок сертификации уже прошёл"}]}))
    answer = client.post(f"/region/programs/{PROGRAM_ID}/certify",
                         data={"csrf": token, "score": "87", "valid_until": "2020-01-01"})
    assert answer.status_code == 422
    assert re.search(r'id="e-valid_until">.*Срок сертификации уже прошёл', answer.text)
    local = client.post(f"/region/programs/{PROGRAM_ID}/certify", data={"csrf": token, "score": "101",
                                                                        "valid_until": "завтра"})
    assert local.status_code == 422 and 'id="e-score"' in local.text and 'id="e-valid_until"' in local.text
    assert len(gateway.posted(f"/programs/{PROGRAM_ID}/certify")) == 1


def test_the_rules_page_reads_the_rules_and_every_municipalitys_period(region):
    client, gateway = region
    gateway.on("GET", "/rules", (200, {"delivered_rule": "attended_share", "advance_percent": 80,
                                       "dispute_window_days": 30, "dispute_answer_days": 10,
                                       "offer_template": "kbr/offer-v1", "termination_template": "kbr/termination-v1"}))
    gateway.on("GET", "/municipalities/chegem/periods/2026", (200, {
        "starts_on": "2026-01-01", "ends_on": "2026-12-31",
        "nominals": [{"min_age": 5, "max_age": 17, "category": "general", "amount_kop": 2_500_000},
                     {"min_age": 5, "max_age": 17, "category": "ovz", "amount_kop": 3_500_000}],
        "funded_quota": 1200, "free_limits": {"significant": 1, "preprofessional": 1, "other": 2},
        "budget_cap_kop": 3_000_000_000, "municipality": "chegem", "year": 2026, "status": "open"}))
    answer = client.get("/region/rules?year=2026")
    assert answer.status_code == 200
    text = answer.text
    assert "по доле посещённых занятий" in text and "до 80%" in text and "kbr/offer-v1" in text
    assert "файлом установки региона" in text
    assert "25\u00a0000\u00a0₽" in text and "1200" in text and "30\u00a0000\u00a0000\u00a0₽" in text
    assert "Период не задан" in text  # nalchik: 404


def test_the_rules_page_stands_when_billing_does_not_tell_the_rules(region):
    client, gateway = region
    gateway.on("GET", "/rules", (503, {"title": "x"}))
    answer = client.get("/region/rules")
    assert answer.status_code == 200 and "не сообщил правила" in answer.text


def test_reports_show_the_regions_reconciliation_per_payer_and_link_the_files(region):
    client, gateway = region
    gateway.on("GET", "/reports/reconciliation", lambda body, params: (200, {
        **payer(params.get("municipality")), "month": params["month"],
        "payers": [] if params.get("municipality") else [payer("chegem"), payer("nalchik", balanced=False)]}))
    gateway.on("GET", "/municipalities/chegem/months/2026-09", (200, MONTH_CLOSE))
    answer = client.get("/region/reports?month=2026-09")
    assert answer.status_code == 200
    text = answer.text
    assert "весь регион, сентябрь 2026" in text and "Не сходится" in text and "73\u00a0800\u00a0₽" in text
    [params] = [c[3] for c in gateway.calls if c[1] == "/reports/reconciliation"]
    assert params == {"month": "2026-09"}
    assert 'href="/region/reports/reconciliation?month=2026-09&amp;format=csv"' in text
    assert 'href="/region/reports/payments?month=2026-09&amp;municipality=nalchik&amp;format=xlsx"' in text
    assert 'href="/region/reports/certificates?municipality=chegem&amp;format=csv"' in text
    assert "Закрыт, счета выставлены" in text and "Закрытие не запрашивалось" in text
    one = client.get("/region/reports?month=2026-09&municipality=chegem")
    assert "Чегемский район, сентябрь 2026" in one.text
    assert {"month": "2026-09", "municipality": "chegem"} in [c[3] for c in gateway.calls
                                                             if c[1] == "/reports/reconciliation"]


def test_reports_stand_when_the_reconciliation_cannot_be_made(region):
    client, gateway = region
    gateway.on("GET", "/reports/reconciliation", (504, {"title": "x"}))
    answer = client.get("/region/reports?month=2026-09")
    assert answer.status_code == 200 and "Сверку сейчас не получить" in answer.text


@pytest.mark.parametrize(("url", "api_path", "params", "filename"), [
    ("/region/reports/reconciliation?month=2026-09&format=xlsx", "/reports/reconciliation",
     {"month": "2026-09", "format": "xlsx"}, "sverka-region-2026-09.xlsx"),
    ("/region/reports/certificates?municipality=chegem&format=csv", "/reports/certificates",
     {"municipality": "chegem", "format": "csv"}, "reestr-sertifikatov-chegem.csv"),
    ("/region/reports/contracts?municipality=nalchik&format=csv", "/reports/contracts",
     {"municipality": "nalchik", "format": "csv"}, "reestr-dogovorov-nalchik.csv"),
    ("/region/reports/payments?month=2026-09&municipality=chegem&format=csv", "/reports/payments",
     {"month": "2026-09", "municipality": "chegem", "format": "csv"}, "reestr-platezhej-chegem-2026-09.csv"),
])
def test_a_download_passes_the_file_through(region, url, api_path, params, filename):
    client, gateway = region
    content = "номер;статус\r\n8000000012;active\r\n".encode()
    gateway.on("GET", api_path, (200, content))
    answer = client.get(url)
    assert answer.status_code == 200 and answer.content == content
    assert f'filename="{filename}"' in answer.headers["content-disposition"]
    assert [c[3] for c in gateway.calls if c[1] == api_path] == [params]


def test_an_unknown_file_kind_or_format_is_refused(region):
    client, _ = region
    assert client.get("/region/reports/passwords?format=csv").status_code == 404
    assert client.get("/region/reports/contracts?municipality=chegem&format=exe").status_code == 422


@pytest.mark.parametrize("role", ["parent", "provider", "operator", "admin"])
@pytest.mark.parametrize("path", ["/region", "/region/providers", f"/region/providers/{PROVIDER_ID}",
                                  "/region/programs", f"/region/programs/{PROGRAM_ID}", "/region/rules",
                                  "/region/reports", "/region/reports/contracts?format=csv"])
def test_other_roles_are_refused_without_asking_the_api(role, path):
    answer, asked = visited_as(region_gateway(), role, path)
    assert answer.status_code == 403 and not asked


# --- the reviewer's findings


def test_a_providers_card_shows_the_newest_history(region):
    client, gateway = region
    gateway.on("GET", f"/providers/{PROVIDER_ID}", (200, provider("approved")))
    old = {"at": "2026-01-01T09:00:00+00:00", "actor": "x", "action": "submit", "from_status": None,
           "to_status": "submitted", "reason": "Первая запись", "changes": {}}
    new = {**old, "action": "suspend", "reason": "Самая новая запись"}
    gateway.on("GET", f"/providers/{PROVIDER_ID}/history", lambda body, params: (200, {
        "items": [new] if params["page"] == "3" else [old] * 50, "total": 101, "page": int(params["page"]),
        "page_size": 50}))
    text = client.get(f"/region/providers/{PROVIDER_ID}").text
    assert "Самая новая запись" in text and "Показаны последние 1 из 101" in text


def test_a_malformed_provider_id_is_the_not_found_page(region):
    client, gateway = region
    gateway.calls.clear()
    answer = client.get("/region/providers/nope")
    assert answer.status_code == 404 and not gateway.calls


def test_the_overview_asks_each_municipality_a_few_at_a_time(region, monkeypatch):
    from navigator.pages.region import home
    seen = []

    async def counted(calls, limit=4):
        calls = list(calls)
        seen.append((len(calls), limit))
        return [await c for c in calls]

    monkeypatch.setattr(home, "bounded", counted)
    client, _ = region
    assert client.get("/region").status_code == 200
    assert seen == [(2 * len(MUNICIPALITIES["items"]), 4)]
