"""The provider cabinet's pages against a stand-in gateway: each renders from answers shaped as the services'
schemas, each form posts what the API expects, a refusal shows beside its field, a file passes through."""
from __future__ import annotations

import re

import pytest

from tests.unit.navigator.stand_in import (
    NOT_FOUND,
    StandInGateway,
    csrf_of,
    log_in,
    page_of,
    plug,
    site_with,
    visited_as,
)

PID = "5b0c3a52-8d4e-4f61-9a2b-7c1d0e3f4a51"
PROGRAM = "0d9f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"
MODULE = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
GROUP = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"
APP = "3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f"
CERT = "4d5e6f7a-8b9c-4d0e-9f2a-3b4c5d6e7f80"
CHILD1, CHILD2 = "6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b91", "7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c02"
CONTRACT1, CONTRACT2 = "8b9c0d1e-2f3a-4b4c-8d5e-6f7a8b9c0d13", "9c0d1e2f-3a4b-4c5d-9e6f-7a8b9c0d1e24"
INVOICE = "ac0d1e2f-3a4b-4c5d-9e6f-7a8b9c0d1e35"
DISPUTE = "bd0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f46"

PROVIDER = {
    "view": "full", "id": PID, "status": "approved", "kind": "municipal",
    "full_name": "Муниципальное казённое учреждение дополнительного образования «Дом детского творчества»",
    "short_name": "МКУ ДО «ДДТ» г. Чегем", "inn": "0706001239", "ogrn": "1020700528419", "municipality": "chegem",
    "legal_address": "361401, КБР, г. Чегем, ул. Баляева, 1", "licence_number": "Л035-01234-07/00123456",
    "licence_date": "2020-09-01",
    "venues": [{"id": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f", "title": "Главный корпус",
                "address": "г. Чегем, ул. Баляева, 1"}],
    "kpp": "070601001", "email": "ddt-chegem@mail.ru", "phone": "+7 (86630) 4-11-11", "teaches_alone": False,
    "bank_bik": "040702615", "bank_account": "40703810460320001234", "submitted_by": "provider:x",
    "created_at": "2026-01-10T09:00:00+03:00", "updated_at": "2026-01-12T09:00:00+03:00", "version": 3,
}
AGREEMENT = {"provider_id": PID, "municipality": "chegem", "year": 2026, "number": "С-17/2026",
             "signed_on": "2026-01-15", "limit_kop": 150_000_000, "active": True,
             "created_at": "2026-01-15T10:00:00+03:00", "updated_at": "2026-01-15T10:00:00+03:00"}
SCHEDULE = [{"weekday": 1, "starts_at": "15:00", "minutes": 45}, {"weekday": 3, "starts_at": "15:00", "minutes": 45}]
GROUP_OUT = {"id": GROUP, "program_id": PROGRAM, "module_id": MODULE, "name": "Первый год обучения — Тхагапсоева М. А.",
             "venue": "Главный корпус, г. Чегем, ул. Баляева, 1", "teacher": "Тхагапсоева Марина Анатольевна",
             "schedule": SCHEDULE, "starts_on": "2026-09-01", "ends_on": "2027-05-31", "capacity": 12,
             "free_seats": 10, "enrollment_open": True}
PROGRAM_OUT = {
    "id": PROGRAM, "provider_id": PID, "provider_name": "МКУ ДО «ДДТ» г. Чегем", "status": "published",
    "title": "Робототехника для начинающих", "description": "Собираем и программируем роботов.",
    "direction": "technical", "level": "starting", "form": "in_person", "min_age": 7, "max_age": 12,
    "ovz_adapted": False, "registers": ["certified"], "certified": True, "certification_score": 87,
    "certified_until": "2027-08-31", "municipality": "chegem", "rating": 4.5, "reviews": 2,
    "modules": [{"id": MODULE, "title": "Первый год обучения", "hours": 72, "price_kop": 1_800_000}],
    "groups": [GROUP_OUT],
}
OWN = {"id": PROGRAM, "status": "published", "title": "Робототехника для начинающих", "direction": "technical",
       "level": "starting", "form": "in_person", "min_age": 7, "max_age": 12, "certified": True,
       "certified_until": "2027-08-31", "municipality": "chegem", "groups": 1, "rating": 4.5, "reviews": 2,
       "created_at": "2026-08-01T10:00:00+03:00"}
APPLICATION = {
    "id": APP, "status": "submitted", "child_id": CHILD1, "certificate_id": CERT, "group_id": GROUP,
    "program_id": PROGRAM, "provider_id": PID, "program_title": "Робототехника для начинающих",
    "group_name": GROUP_OUT["name"], "venue": GROUP_OUT["venue"], "schedule": SCHEDULE,
    "provider_name": "МКУ ДО «ДДТ» г. Чегем", "payer": "chegem", "reason": None, "decide_by": "2026-09-10",
    "offered_until": None, "created_at": "2026-09-01T10:00:00+03:00",
}
ROSTER = [
    {"contract_id": CONTRACT1, "contract_number": "ДС-2026-000001", "child_id": CHILD1, "attended": 1,
     "marks": [{"lesson_date": "2026-09-01", "present": True}, {"lesson_date": "2026-09-03", "present": False}]},
    {"contract_id": CONTRACT2, "contract_number": "ДС-2026-000002", "child_id": CHILD2, "attended": 0, "marks": []},
]


def contract(cid, child, signed_on):
    return {"id": cid, "number": "ДС", "status": "signed", "child_id": child, "certificate_id": CERT,
            "payer": "chegem", "provider_id": PID, "provider_name": "ДДТ", "program_id": PROGRAM,
            "program_title": "Робототехника", "group_id": GROUP, "program_register": "certified",
            "starts_on": "2026-09-01", "ends_on": "2027-05-31", "reserved_kop": 0, "charged_kop": 0,
            "released_kop": 0, "signed_on": signed_on, "terminated_on": None, "terminated_by": None,
            "end_reason": None, "months": []}


INVOICE_OUT = {"id": INVOICE, "number": "СЧ-2026-09-000001", "provider_id": PID, "provider_name": "ДДТ",
               "payer": "chegem", "payer_name": "Чегемский муниципальный район", "month": "2026-09",
               "charges_kop": 540_000, "advance_kop": 400_000, "carried_in_kop": 0, "corrections_kop": 0,
               "settlement_kop": 140_000, "issued_at": "2026-10-02T12:00:00+03:00"}
ADVANCE = {"id": "ce0f1a2b-3c4d-4e5f-9a6b-7c8d9e0f1a57", "provider_id": PID, "month": "2026-09",
           "amount_kop": 400_000, "limit_kop": 480_000, "requested_at": "2026-09-03T10:00:00+03:00",
           "parts": [{"payer": "chegem", "amount_kop": 400_000, "limit_kop": 480_000}]}
DISPUTE_OUT = {"id": DISPUTE, "charge_id": "df", "contract_id": CONTRACT1, "contract_number": "ДС-2026-000001",
               "program_title": "Робототехника для начинающих", "provider_id": PID, "payer": "chegem",
               "month": "2026-09", "status": "awaiting_provider", "reason": "Ребёнок болел весь месяц",
               "debited_kop": 180_000, "reversed_kop": 0, "open_kop": 180_000,
               "opened_at": "2026-10-05T10:00:00+03:00", "answer_due": "2026-10-15", "provider_answer": None,
               "provider_comment": None, "decision_comment": None, "closed_at": None,
               "history": [{"step": "opened", "actor": "parent:1", "role": "parent", "comment": "Болел",
                            "amount_kop": None, "at": "2026-10-05T10:00:00+03:00"}], "reversals": []}
MUNICIPALITIES = page_of([{"code": "chegem", "name": "Чегемский район", "oktmo": "83645000"}])


def refusal(status, title, field=None, message=None):
    body = {"type": "urn:pfdo:problem:x", "status": status, "title": title}
    if field:
        body.update(field=field, errors=[{"field": field, "message": message or title}])
    return status, body


def stand_in() -> StandInGateway:
    g = StandInGateway()
    g.on("GET", "/municipalities", (200, MUNICIPALITIES))
    g.on("GET", f"/providers/{PID}", (200, PROVIDER))
    g.on("GET", f"/providers/{PID}/agreements", (200, page_of([AGREEMENT])))
    g.on("GET", "/applications", (200, page_of([APPLICATION])))
    g.on("GET", "/disputes", (200, page_of([DISPUTE_OUT])))
    g.on("GET", f"/disputes/{DISPUTE}", (200, DISPUTE_OUT))
    g.on("GET", "/programs/mine", (200, page_of([OWN])))
    g.on("GET", f"/programs/{PROGRAM}", (200, PROGRAM_OUT))
    g.on("GET", "/groups/mine", (200, page_of([{**GROUP_OUT, "program_title": PROGRAM_OUT["title"],
                                                "program_status": "published"}])))
    g.on("GET", f"/groups/{GROUP}", (200, {**GROUP_OUT, "program_title": PROGRAM_OUT["title"],
                                           "program_status": "published", "provider_id": PID,
                                           "provider_name": "ДДТ"}))
    g.on("GET", f"/certificates/{CERT}", (200, {"id": CERT, "number": "07-2026-000123"}))
    g.on("GET", f"/groups/{GROUP}/attendance", (200, page_of(ROSTER)))
    g.on("GET", "/contracts", (200, page_of([contract(CONTRACT1, CHILD1, "2026-08-25"),
                                             contract(CONTRACT2, CHILD2, "2026-09-10")])))
    g.on("GET", "/invoices", (200, page_of([INVOICE_OUT])))
    g.on("GET", f"/invoices/{INVOICE}", (200, {**INVOICE_OUT, "lines": [
        {"contract_id": CONTRACT1, "contract_number": "ДС-2026-000001", "program_title": "Робототехника",
         "certificate_id": CERT, "planned_lessons": 9, "attended_lessons": 8, "share_kop": 200_000,
         "charged_kop": 180_000}], "corrections": []}))
    g.on("GET", "/advances", (200, page_of([ADVANCE])))
    g.on("GET", f"/programs/{PROGRAM}/reviews", (200, page_of([
        {"id": "r1", "rating": 5, "text": "Сын ходит с удовольствием", "created_at": "2026-10-01T10:00:00+03:00"}])))
    return g


@pytest.fixture()
def site():
    gateway = stand_in()
    client, app = site_with(gateway)
    with client:
        plug(app, gateway)
        log_in(client, gateway, "provider", provider_id=PID, name="Тхагапсоева М. А.")
        gateway.calls.clear()
        yield client, gateway


def test_home_shows_the_card_status_agreements_and_what_waits(site):
    client, gateway = site
    answer = client.get("/provider")
    assert answer.status_code == 200
    text = answer.text
    assert "<h1>МКУ ДО «ДДТ» г. Чегем</h1>" in text and text.count("<h1") == 1
    assert "В реестре" in text and "0706001239" in text and "С-17/2026" in text and "Чегемский район" in text
    assert "1 500 000" in text.replace("\u00a0", " ")  # the agreement's limit in roubles
    assert "10 сентября 2026" in text.replace("\u00a0", " ")  # the soonest decision deadline
    assert 'href="/provider/money/disputes"' in text and "Главный корпус" in text


def test_home_of_a_suspended_provider_says_why_and_what_to_do(site):
    client, gateway = site
    gateway.on("GET", f"/providers/{PID}", (200, {**PROVIDER, "status": "suspended"}))
    gateway.on("GET", f"/providers/{PID}/history", (200, page_of([
        {"at": "2026-10-01T10:00:00+03:00", "actor": "operator:1", "action": "suspend", "from_status": "approved",
         "to_status": "suspended", "reason": "Истёк срок действия лицензии", "changes": {}}])))
    text = client.get("/provider").text
    assert "Приостановлен" in text and "Истёк срок действия лицензии" in text and "региональному оператору" in text


def test_adding_a_venue_posts_it_and_a_refusal_shows_beside_the_field(site):
    client, gateway = site
    token = csrf_of(client.get("/provider").text)
    gateway.on("POST", f"/providers/{PID}/venues", (201, {"id": "v", "title": "Филиал", "address": "ул. Мира, 2"}))
    answer = client.post("/provider/venues", data={"csrf": token, "title": "Филиал", "address": "ул. Мира, 2"})
    assert answer.status_code == 303 and gateway.posted(f"/providers/{PID}/venues") == [
        {"title": "Филиал", "address": "ул. Мира, 2"}]
    gateway.on("POST", f"/providers/{PID}/venues", refusal(422, "Проверьте введённые данные", "address",
                                                             "Заполните поле"))
    answer = client.post("/provider/venues", data={"csrf": token, "title": "Филиал", "address": ""})
    assert answer.status_code == 422 and 'id="e-address"' in answer.text and "Заполните поле" in answer.text


def test_programs_list_and_a_program_with_its_groups_and_free_seats(site):
    client, gateway = site
    text = client.get("/provider/programs?status=published").text
    assert "Робототехника для начинающих" in text and "Опубликована" in text
    assert ("GET", "/programs/mine", {}, {"status": "published", "page": "1", "page_size": "20"}) in gateway.calls
    text = client.get(f"/provider/programs/{PROGRAM}").text
    assert "12 / 10" in text and "Закрыть набор" in text and "Закрыть набор на программу" in text
    assert f'href="/provider/programs/{PROGRAM}/groups/new"' in text and "Вт 15:00 (45 мин)" in text


def test_a_new_program_posts_its_fields_and_the_filled_modules_only(site):
    client, gateway = site
    token = csrf_of(client.get("/provider/programs/new").text)
    gateway.on("POST", "/programs", (201, {**PROGRAM_OUT, "status": "draft"}))
    answer = client.post("/provider/programs/new", data={
        "csrf": token, "title": "Робототехника для начинающих", "description": "Собираем и программируем роботов.",
        "direction": "technical", "level": "starting", "form": "in_person", "min_age": "7", "max_age": "12",
        "ovz_adapted": "on", "register_significant": "on", "enrollment_limit": "",
        "modules.0.title": "Первый год", "modules.0.hours": "72", "modules.0.price_kop": "18 000",
        "modules.1.title": "", "modules.1.hours": "", "modules.1.price_kop": "",
        "modules.2.title": "Второй год", "modules.2.hours": "36", "modules.2.price_kop": "9000,50"})
    assert answer.status_code == 303 and answer.headers["location"] == f"/provider/programs/{PROGRAM}"
    assert gateway.posted("/programs") == [{
        "title": "Робототехника для начинающих", "description": "Собираем и программируем роботов.",
        "direction": "technical", "level": "starting", "form": "in_person", "min_age": 7, "max_age": 12,
        "ovz_adapted": True, "free_registers": ["significant"],
        "modules": [{"title": "Первый год", "hours": 72, "price_kop": 1_800_000},
                    {"title": "Второй год", "hours": 36, "price_kop": 900_050}]}]


def test_a_refused_module_shows_beside_its_own_row(site):
    client, gateway = site
    token = csrf_of(client.get("/provider/programs/new").text)
    gateway.on("POST", "/programs", refusal(422, "Проверьте введённые данные", "modules.1.hours",
                                            "Значение должно быть больше 0"))
    answer = client.post("/provider/programs/new", data={
        "csrf": token, "title": "Шахматы", "description": "Играем в шахматы и решаем задачи.",
        "direction": "social_humanitarian", "level": "starting", "form": "in_person", "min_age": "7",
        "max_age": "12", "modules.0.title": "Первый год", "modules.0.hours": "72", "modules.0.price_kop": "100",
        "modules.2.title": "Второй год", "modules.2.hours": "0", "modules.2.price_kop": "100"})
    assert answer.status_code == 422
    assert 'id="e-modules.2.hours"' in answer.text and "Значение должно быть больше 0" in answer.text
    assert 'value="Шахматы"' in answer.text


def test_editing_a_published_program_sends_no_modules_and_shows_a_conflict(site):
    client, gateway = site
    text = client.get(f"/provider/programs/{PROGRAM}/edit").text
    assert 'value="Робототехника для начинающих"' in text and "не меняются" in text
    gateway.on("PATCH", f"/programs/{PROGRAM}", refusal(409, "Программу в этом статусе изменить нельзя"))
    answer = client.post(f"/provider/programs/{PROGRAM}/edit", data={
        "csrf": csrf_of(text), "title": "Робототехника", "description": "Собираем и программируем роботов.",
        "direction": "technical", "level": "basic", "form": "in_person", "min_age": "8", "max_age": "12"})
    assert answer.status_code == 409 and "Программу в этом статусе изменить нельзя" in answer.text
    sent = [body for method, path, body, _ in gateway.calls if method == "PATCH"]
    assert sent == [{"title": "Робототехника", "description": "Собираем и программируем роботов.",
                     "direction": "technical", "level": "basic", "form": "in_person", "min_age": 8, "max_age": 12,
                     "ovz_adapted": False}]


def test_publishing_closing_a_program_and_a_groups_enrollment(site):
    client, gateway = site
    token = csrf_of(client.get(f"/provider/programs/{PROGRAM}").text)
    gateway.on("POST", f"/programs/{PROGRAM}/unpublish", (200, {**PROGRAM_OUT, "status": "unpublished"}))
    answer = client.post(f"/provider/programs/{PROGRAM}/unpublish", data={"csrf": token})
    assert answer.status_code == 303 and gateway.posted(f"/programs/{PROGRAM}/unpublish")
    gateway.on("POST", f"/programs/{PROGRAM}/publish", refusal(409, "Поставщик не допущен к публикации программ"))
    answer = client.post(f"/provider/programs/{PROGRAM}/publish", data={"csrf": token})
    assert answer.status_code == 409 and "Поставщик не допущен к публикации программ" in answer.text
    gateway.on("POST", f"/groups/{GROUP}/close-enrollment", (200, {**GROUP_OUT, "enrollment_open": False}))
    answer = client.post(f"/provider/groups/{GROUP}/close-enrollment", data={"csrf": token, "program_id": PROGRAM})
    assert answer.status_code == 303 and answer.headers["location"] == f"/provider/programs/{PROGRAM}"
    assert gateway.posted(f"/groups/{GROUP}/close-enrollment")


def test_a_new_group_posts_the_schedule_rows_filled_and_maps_errors_to_their_row(site):
    client, gateway = site
    text = client.get(f"/provider/programs/{PROGRAM}/groups/new").text
    assert "Главный корпус, г. Чегем, ул. Баляева, 1" in text and "Понедельник" in text
    gateway.on("POST", f"/programs/{PROGRAM}/groups", (201, GROUP_OUT))
    form = {"csrf": csrf_of(text), "module_id": MODULE, "venue": "Главный корпус, г. Чегем, ул. Баляева, 1",
            "teacher": "Тхагапсоева Марина Анатольевна", "starts_on": "2026-09-01", "ends_on": "2027-05-31",
            "capacity": "12", "enrollment_open": "on",
            "schedule.0.weekday": "1", "schedule.0.starts_at": "15:00", "schedule.0.minutes": "45",
            "schedule.1.weekday": "", "schedule.1.starts_at": "", "schedule.1.minutes": "",
            "schedule.2.weekday": "3", "schedule.2.starts_at": "15:00", "schedule.2.minutes": "45"}
    answer = client.post(f"/provider/programs/{PROGRAM}/groups/new", data=form)
    assert answer.status_code == 303
    assert gateway.posted(f"/programs/{PROGRAM}/groups") == [{
        "module_id": MODULE, "venue": "Главный корпус, г. Чегем, ул. Баляева, 1",
        "teacher": "Тхагапсоева Марина Анатольевна", "schedule": SCHEDULE, "starts_on": "2026-09-01",
        "ends_on": "2027-05-31", "capacity": 12, "enrollment_open": True}]
    gateway.on("POST", f"/programs/{PROGRAM}/groups", refusal(422, "Проверьте введённые данные",
                                                              "schedule.1.starts_at", "Неверный формат"))
    answer = client.post(f"/provider/programs/{PROGRAM}/groups/new", data=form)
    assert answer.status_code == 422 and 'id="e-schedule.2.starts_at"' in answer.text


def test_the_inbox_lists_waiting_applications_and_accepts_or_rejects_with_a_reason(site):
    client, gateway = site
    text = client.get("/provider/applications").text
    assert "07-2026-000123" in text and "10 сентября 2026" in text.replace("\u00a0", " ")
    assert ("GET", "/applications", {}, {"status": "submitted", "sort": "deadline", "page": "1",
                                         "page_size": "50"}) in gateway.calls
    token = csrf_of(text)
    gateway.on("POST", f"/applications/{APP}/accept", (200, {**APPLICATION, "status": "awaiting_signature"}))
    answer = client.post(f"/provider/applications/{APP}/accept", data={"csrf": token, "status": "submitted",
                                                                       "idempotency_key": "k-1"})
    assert answer.status_code == 303
    accept = [c for c in gateway.calls if c[0] == "POST" and c[1] == f"/applications/{APP}/accept"]
    assert accept
    gateway.on("POST", f"/applications/{APP}/reject", refusal(422, "Проверьте введённые данные", "reason",
                                                              "Не короче 3 символов"))
    answer = client.post(f"/provider/applications/{APP}/reject", data={"csrf": token, "reason": "no"})
    assert answer.status_code == 422 and f'id="e-reason-{APP}"' in answer.text and "Не короче 3 символов" in answer.text
    assert gateway.posted(f"/applications/{APP}/reject") == [{"reason": "no"}]


def test_the_waitlist_is_numbered_per_group_in_the_order_seats_are_offered(site):
    client, gateway = site
    later = {**APPLICATION, "id": "a2", "status": "waitlisted", "created_at": "2026-09-03T10:00:00+03:00"}
    first = {**APPLICATION, "id": "a1", "status": "waitlisted", "created_at": "2026-09-02T10:00:00+03:00"}
    gateway.on("GET", "/applications", (200, page_of([later, first])))
    text = client.get("/provider/applications?status=waitlisted").text
    assert text.index('id="a-a1"') < text.index('id="a-a2"') and "№ 2 в очереди" in text


def test_the_journal_is_a_grid_of_lesson_days_and_saves_only_the_days_changed(site):
    client, gateway = site
    text = client.get(f"/provider/attendance?group={GROUP}&month=2026-09").text
    days = re.findall(r'<th scope="col" id="d-(2026-09-\d\d)"', text)
    assert days == ["2026-09-01", "2026-09-03", "2026-09-08", "2026-09-10", "2026-09-15", "2026-09-17",
                    "2026-09-22", "2026-09-24", "2026-09-29"]  # Tuesdays and Thursdays from the 1st
    assert f'name="m.{CHILD1}.2026-09-01" data-day="2026-09-01" checked' in text
    assert f'name="m.{CHILD2}.2026-09-08"' not in text  # signed on the 10th: not enrolled yet
    assert "Присутствовал: договор № ДС-2026-000002, 10" in text and '/static/attendance.js' in text
    gateway.on("POST", f"/groups/{GROUP}/attendance", (200, {"group_id": GROUP, "lesson_date": "x", "month": "2026-09",
                                                             "marked": []}))
    answer = client.post("/provider/attendance", data={
        "csrf": csrf_of(text), "group": GROUP, "month": "2026-09",
        f"m.{CHILD1}.2026-09-01": "on",  # as it was
        f"m.{CHILD1}.2026-09-10": "on", f"m.{CHILD2}.2026-09-10": "on"})  # a new lesson marked
    assert answer.status_code == 303
    assert gateway.posted(f"/groups/{GROUP}/attendance") == [
        {"lesson_date": "2026-09-10", "present": [CHILD1, CHILD2], "absent": []}]


def test_a_refused_day_shows_at_its_column_with_the_apis_words(site):
    client, gateway = site
    token = csrf_of(client.get(f"/provider/attendance?group={GROUP}&month=2026-09").text)
    gateway.on("POST", f"/groups/{GROUP}/attendance", refusal(409, "Месяц уже закрыт: отметки посещения не меняются",
                                                              "lesson_date"))
    answer = client.post("/provider/attendance", data={"csrf": token, "group": GROUP, "month": "2026-09",
                                                       f"m.{CHILD1}.2026-09-01": "on",
                                                       f"m.{CHILD1}.2026-09-03": "on"})
    assert answer.status_code == 409 and "Месяц уже закрыт" in answer.text and 'href="#d-2026-09-03"' in answer.text
    assert gateway.posted(f"/groups/{GROUP}/attendance") == [
        {"lesson_date": "2026-09-03", "present": [CHILD1], "absent": []}]  # CHILD2 not enrolled on the 3rd
    assert f'name="m.{CHILD1}.2026-09-03" data-day="2026-09-03" checked' in answer.text  # the choice kept


def test_a_group_without_signed_contracts_has_an_empty_journal(site):
    client, gateway = site
    gateway.on("GET", f"/groups/{GROUP}/attendance", NOT_FOUND)
    answer = client.get(f"/provider/attendance?group={GROUP}&month=2026-09")
    assert answer.status_code == 200 and "нет зачисленных детей" in answer.text


def test_money_lists_invoices_and_advances_with_parts(site):
    client, gateway = site
    text = client.get("/provider/money?month=2026-09").text
    assert "СЧ-2026-09-000001" in text and "Чегемский муниципальный район" in text
    assert f'/provider/money/invoices/{INVOICE}/file?format=xlsx' in text and "4 800" in text.replace("\u00a0", " ")
    assert ("GET", "/invoices", {}, {"month": "2026-09", "page": "1", "page_size": "20"}) in gateway.calls
    text = client.get(f"/provider/money/invoices/{INVOICE}").text
    assert "ДС-2026-000001" in text and "8 / 9" in text


def test_an_invoice_file_passes_through(site):
    client, gateway = site
    gateway.on("GET", f"/invoices/{INVOICE}", lambda body, params: (200, b"\xef\xbb\xbf\xd0\xa1\xd1\x87;1\n")
               if params.get("format") == "csv" else (200, {}))
    answer = client.get(f"/provider/money/invoices/{INVOICE}/file?format=csv")
    assert answer.status_code == 200 and answer.content == b"\xef\xbb\xbf\xd0\xa1\xd1\x87;1\n"
    assert answer.headers["content-type"].startswith("text/csv")
    assert f'invoice-{INVOICE}.csv' in answer.headers["content-disposition"]


def test_asking_for_an_advance_posts_kopecks_with_a_key_and_shows_a_refusal(site):
    client, gateway = site
    text = client.get("/provider/money").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', text).group(1)
    gateway.on("POST", "/advances", refusal(409, "Аванс запрашивается со 2-го рабочего дня месяца"))
    answer = client.post("/provider/money/advances", data={"csrf": csrf_of(text), "idempotency_key": key,
                                                           "month": "2026-09", "amount_kop": "3000"})
    assert answer.status_code == 409 and "Аванс запрашивается со 2-го рабочего дня месяца" in answer.text
    assert gateway.posted("/advances") == [{"month": "2026-09", "amount_kop": 300_000}]
    gateway.on("POST", "/advances", (201, ADVANCE))
    answer = client.post("/provider/money/advances", data={"csrf": csrf_of(text), "month": "2026-09",
                                                           "amount_kop": ""})
    assert answer.status_code == 303 and gateway.posted("/advances")[-1] == {"month": "2026-09"}


def test_answering_a_dispute_in_part_posts_kopecks_and_a_comment(site):
    client, gateway = site
    text = client.get("/provider/money/disputes").text
    assert "ДС-2026-000001" in text and "15 октября 2026" in text.replace("\u00a0", " ")
    text = client.get(f"/provider/money/disputes/{DISPUTE}").text
    assert "Ребёнок болел весь месяц" in text and "Отправить ответ" in text
    gateway.on("POST", f"/disputes/{DISPUTE}/answer", refusal(422, "Проверьте введённые данные", "comment",
                                                              "Нужно объяснение"))
    answer = client.post(f"/provider/money/disputes/{DISPUTE}/answer", data={
        "csrf": csrf_of(text), "answer": "agree_part", "reversal_kop": "600", "comment": ""})
    assert answer.status_code == 422 and 'id="e-comment"' in answer.text and "Нужно объяснение" in answer.text
    assert gateway.posted(f"/disputes/{DISPUTE}/answer") == [{"answer": "agree_part", "reversal_kop": 60_000}]


def test_reviews_of_the_providers_programs(site):
    client, gateway = site
    text = client.get("/provider/reviews").text
    assert "Сын ходит с удовольствием" in text and "Оценка 5 из 5" in text


@pytest.mark.parametrize("path", ["/provider", "/provider/programs", "/provider/applications",
                                  "/provider/attendance", "/provider/money", "/provider/money/disputes",
                                  "/provider/reviews", f"/provider/programs/{PROGRAM}"])
def test_another_role_is_refused_without_asking_the_api(path):
    answer, asked = visited_as(stand_in(), "operator", path)
    assert answer.status_code == 403 and not asked


@pytest.mark.parametrize("path", ["/provider", "/provider/programs", "/provider/programs/new",
                                  f"/provider/programs/{PROGRAM}", f"/provider/programs/{PROGRAM}/edit",
                                  f"/provider/programs/{PROGRAM}/groups/new", "/provider/applications",
                                  f"/provider/attendance?group={GROUP}&month=2026-09", "/provider/money",
                                  f"/provider/money/invoices/{INVOICE}", "/provider/money/disputes",
                                  f"/provider/money/disputes/{DISPUTE}", "/provider/reviews"])
def test_every_page_has_one_h1_and_labelled_controls(site, path):
    client, _ = site
    text = client.get(path).text
    assert text.count("<h1") == 1
    for control in re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"', text):
        assert f'for="{control}"' in text, (path, control)


# --- the reviewer's findings


def test_a_page_number_that_is_not_ascii_digits_is_the_first_page(site):
    client, gateway = site
    answer = client.get("/provider/programs?page=²")
    assert answer.status_code == 200
    assert gateway.calls[-1][3]["page"] == "1"


def test_a_malformed_id_in_the_address_is_the_not_found_page_without_asking_the_api(site):
    client, gateway = site
    answer = client.get("/provider/programs/not-a-program/edit")
    assert answer.status_code == 404 and "Страница не найдена" in answer.text and not gateway.calls


def test_every_module_row_posted_is_read_and_the_form_comes_back_with_a_spare_row(site):
    client, gateway = site
    token = csrf_of(client.get("/provider/programs/new").text)
    gateway.on("POST", "/programs", refusal(422, "Проверьте введённые данные", "modules", "Слишком много модулей"))
    form = {"csrf": token, "title": "Шахматы", "description": "Играем в шахматы и решаем задачи.",
            "direction": "social_humanitarian", "level": "starting", "form": "in_person", "min_age": "7",
            "max_age": "12"}
    for i in range(5):
        form.update({f"modules.{i}.title": f"Год {i + 1}", f"modules.{i}.hours": "36",
                     f"modules.{i}.price_kop": "1\u00a0000,50"})
    answer = client.post("/provider/programs/new", data=form)
    assert [m["title"] for m in gateway.posted("/programs")[0]["modules"]] == [f"Год {i + 1}" for i in range(5)]
    assert gateway.posted("/programs")[0]["modules"][4]["price_kop"] == 100_050
    assert answer.status_code == 422 and 'value="Год 5"' in answer.text
    assert 'name="modules.5.title"' in answer.text and 'name="modules.6.title"' not in answer.text  # one spare
    assert 'href="#f-modules"' in answer.text and 'id="f-modules"' in answer.text  # the summary's link lands


def test_another_module_row_is_added_without_posting_to_the_api(site):
    client, gateway = site
    text = client.get("/provider/programs/new").text
    assert 'name="modules.3.title"' not in text
    answer = client.post("/provider/programs/new", data={
        "csrf": csrf_of(text), "add_row": "modules", "title": "Шахматы", "modules.0.title": "Год 1",
        "modules.1.title": "Год 2", "modules.2.title": "Год 3"})
    assert answer.status_code == 200 and 'name="modules.4.title"' in answer.text and 'value="Год 3"' in answer.text
    assert not gateway.posted("/programs")


def test_the_edit_form_shows_the_limit_and_an_emptied_limit_clears_it(site):
    client, gateway = site
    gateway.on("GET", f"/programs/{PROGRAM}", (200, {**PROGRAM_OUT, "status": "draft", "enrollment_limit": 30}))
    text = client.get(f"/provider/programs/{PROGRAM}/edit").text
    assert 'name="enrollment_limit" type="number" value="30"' in text
    assert 'name="modules.1.title"' in text and 'name="modules.2.title"' not in text  # one module + a spare
    gateway.on("PATCH", f"/programs/{PROGRAM}", (200, PROGRAM_OUT))
    answer = client.post(f"/provider/programs/{PROGRAM}/edit", data={
        "csrf": csrf_of(text), "title": "Робототехника", "description": "Собираем и программируем роботов.",
        "direction": "technical", "level": "basic", "form": "in_person", "min_age": "8", "max_age": "12",
        "enrollment_limit": "", "modules.0.id": MODULE, "modules.0.title": "Первый год", "modules.0.hours": "72",
        "modules.0.price_kop": "18000"})
    assert answer.status_code == 303
    sent = next(body for method, _, body, _ in gateway.calls if method == "PATCH")
    assert "enrollment_limit" in sent and sent["enrollment_limit"] is None


def test_every_schedule_row_posted_is_read_and_the_summary_reaches_the_schedule(site):
    client, gateway = site
    text = client.get(f"/provider/programs/{PROGRAM}/groups/new").text
    gateway.on("POST", f"/programs/{PROGRAM}/groups", refusal(422, "Проверьте введённые данные", "schedule",
                                                              "Занятия пересекаются"))
    form = {"csrf": csrf_of(text), "module_id": MODULE, "venue": "Главный корпус, г. Чегем, ул. Баляева, 1",
            "teacher": "Тхагапсоева Марина Анатольевна", "starts_on": "2026-09-01", "ends_on": "2027-05-31",
            "capacity": "12"}
    for i in range(6):
        form.update({f"schedule.{i}.weekday": str(i), f"schedule.{i}.starts_at": "15:00",
                     f"schedule.{i}.minutes": "45"})
    answer = client.post(f"/provider/programs/{PROGRAM}/groups/new", data=form)
    assert len(gateway.posted(f"/programs/{PROGRAM}/groups")[0]["schedule"]) == 6
    assert answer.status_code == 422 and 'href="#f-schedule"' in answer.text and 'id="f-schedule"' in answer.text
    assert 'name="schedule.6.weekday"' in answer.text  # the typed rows and a spare


def test_the_inbox_asks_for_the_soonest_deadlines_and_says_when_more_wait(site):
    client, gateway = site
    many = {"items": [{**APPLICATION, "certificate_number": "0700012348"}], "total": 60, "page": 1, "page_size": 50}
    gateway.on("GET", "/applications", (200, many))
    text = client.get("/provider/applications").text
    assert gateway.calls[0][3]["sort"] == "deadline"
    assert "Показаны первые 1 из 60" in text and 'aria-label="Страницы списка"' in text
    assert "0700012348" in text and not [c for c in gateway.calls if c[1].startswith("/certificates/")]


def test_without_the_apis_number_each_certificate_is_asked_for(site):
    client, gateway = site
    gateway.on("GET", "/applications", (200, page_of([{**APPLICATION, "id": f"a{n}"} for n in range(6)])))
    text = client.get("/provider/applications").text
    assert "07-2026-000123" in text
    assert len([c for c in gateway.calls if c[1] == f"/certificates/{CERT}"]) == 6


def test_an_api_without_the_deadline_order_is_asked_again_without_it(site):
    client, gateway = site
    gateway.on("GET", "/applications", lambda body, params: refusal(422, "Неверный параметр", "sort")
               if params.get("sort") else (200, page_of([APPLICATION])))
    answer = client.get("/provider")
    assert answer.status_code == 200 and "10 сентября 2026" in answer.text.replace("\u00a0", " ")


def test_the_home_reads_the_newest_history_for_the_reason(site):
    client, gateway = site
    gateway.on("GET", f"/providers/{PID}", (200, {**PROVIDER, "status": "suspended"}))
    old = {"at": "2026-01-01T10:00:00+03:00", "actor": "r", "action": "suspend", "from_status": "approved",
           "to_status": "suspended", "reason": "Старая причина", "changes": {}}
    new = {**old, "reason": "Истёк срок действия лицензии"}
    gateway.on("GET", f"/providers/{PID}/history", lambda body, params: (200, {
        "items": [old] if params["page"] == "1" else [new], "total": 101, "page": int(params["page"]),
        "page_size": 100}))
    text = client.get("/provider").text
    assert "Истёк срок действия лицензии" in text and "Старая причина" not in text


def test_the_journal_takes_the_groups_from_one_list_of_the_providers_groups(site):
    client, gateway = site
    text = client.get(f"/provider/attendance?group={GROUP}&month=2026-09").text
    assert GROUP_OUT["name"] in text and not [c for c in gateway.calls if c[1] == f"/programs/{PROGRAM}"]
    assert [c[3] for c in gateway.calls if c[1] == "/groups/mine"] == [{"page": "1", "page_size": "100"}]


def _journal_site(site, day):
    client, gateway = site
    client.app.state.clock.pin(day)
    return client, gateway


def test_the_journal_reads_every_page_and_only_signed_or_terminated_contracts(site):
    from datetime import date
    client, gateway = _journal_site(site, date(2026, 9, 30))
    stranger = {**ROSTER[1], "contract_id": "ffffffff-0000-4000-8000-000000000000", "child_id": "c3",
                "contract_number": "ДС-3", "child_full_name": "Неизвестный"}
    gateway.on("GET", f"/groups/{GROUP}/attendance", lambda body, params: (200, {
        "items": ROSTER if params["page"] == "1" else [stranger], "total": 3, "page": int(params["page"]),
        "page_size": 100}))
    gateway.on("GET", "/contracts", lambda body, params: (200, page_of(
        [contract(CONTRACT1, CHILD1, "2026-08-25"), contract(CONTRACT2, CHILD2, "2026-09-10")]
        if params.get("status") == "signed" else [])))
    text = client.get(f"/provider/attendance?group={GROUP}&month=2026-09").text
    assert "ДС-3" in text and 'name="m.c3.' not in text  # an unknown contract: not enrolled
    assert sorted(c[3].get("status") for c in gateway.calls if c[1] == "/contracts") == ["signed", "terminated"]
    assert "Ребёнок (договор)" in text


def test_a_lesson_nobody_came_to_is_saved_when_marked_held(site):
    from datetime import date
    client, gateway = _journal_site(site, date(2026, 9, 30))
    token = csrf_of(client.get(f"/provider/attendance?group={GROUP}&month=2026-09").text)
    gateway.on("POST", f"/groups/{GROUP}/attendance", (200, {"group_id": GROUP, "marked": []}))
    answer = client.post("/provider/attendance", data={"csrf": token, "group": GROUP, "month": "2026-09",
                                                       f"m.{CHILD1}.2026-09-01": "on", "held.2026-09-08": "on"})
    assert answer.status_code == 303
    assert gateway.posted(f"/groups/{GROUP}/attendance") == [
        {"lesson_date": "2026-09-08", "present": [], "absent": [CHILD1]}]


def test_days_after_today_are_read_only(site):
    from datetime import date
    client, gateway = _journal_site(site, date(2026, 9, 15))
    text = client.get(f"/provider/attendance?group={GROUP}&month=2026-09").text
    assert f'name="m.{CHILD1}.2026-09-15"' in text and f'name="m.{CHILD1}.2026-09-17"' not in text
    assert 'name="held.2026-09-17"' not in text and "только для просмотра" in text
    gateway.on("POST", f"/groups/{GROUP}/attendance", (200, {"group_id": GROUP, "marked": []}))
    client.post("/provider/attendance", data={"csrf": csrf_of(text), "group": GROUP, "month": "2026-09",
                                              f"m.{CHILD1}.2026-09-01": "on", f"m.{CHILD1}.2026-09-17": "on"})
    assert not gateway.posted(f"/groups/{GROUP}/attendance")


def test_a_big_journal_is_accepted_and_a_too_big_form_says_so(site):
    from datetime import date
    client, _ = _journal_site(site, date(2026, 9, 30))
    token = csrf_of(client.get(f"/provider/attendance?group={GROUP}&month=2026-09").text)
    padding = {f"x{n}": "y" * 100 for n in range(1000)}  # ~100 KB: more than an ordinary form may be
    answer = client.post("/provider/attendance", data={"csrf": token, "group": GROUP, "month": "2026-09",
                                                       f"m.{CHILD1}.2026-09-01": "on", **padding})
    assert answer.status_code == 303
    answer = client.post("/provider/venues", data={"csrf": token, "title": "Филиал", **padding})
    assert answer.status_code == 413 and "Форма слишком большая" in answer.text


def test_an_invoice_file_keeps_the_apis_name(site):
    import httpx
    client, gateway = site
    named = "attachment; filename=\"invoice.csv\"; filename*=UTF-8''%D0%A1%D1%87%D1%91%D1%82.csv"
    gateway.on("GET", f"/invoices/{INVOICE}", (200, httpx.Response(200, content=b"x", headers={
        "Content-Disposition": named})))
    answer = client.get(f"/provider/money/invoices/{INVOICE}/file?format=csv")
    assert answer.status_code == 200 and answer.headers["content-disposition"] == named
