"""Every kind of notice has its Russian text; the texts name what the person needs to act on."""
import uuid
from datetime import date, datetime

from pfdo_kit.russian import NBSP
from services.notifications.domain import templates
from services.notifications.domain.kinds import KINDS

APP = uuid.UUID("11111111-1111-1111-1111-111111111111")


def _plain(message: templates.Message) -> tuple[str, str]:
    return message.title.replace(NBSP, " "), message.body.replace(NBSP, " ")


def test_every_kind_has_a_template():
    assert all(callable(getattr(templates, name, None)) for name in KINDS)


def test_accepted_names_program_provider_start_and_lessons_per_week():
    title, body = _plain(templates.application_accepted(APP, "Робототехника", "ДДТ «Радуга»", date(2026, 9, 1), 2))
    assert title == "Заявка принята: «Робототехника»"
    assert body.startswith("ДДТ «Радуга» принял заявку на программу «Робототехника». Занятия начинаются 1 сентября 2026 г., "
                           "2 занятия в неделю.")
    assert _plain(templates.application_accepted(APP, "Шахматы", None, date(2026, 9, 1), 1))[1].count("1 занятие в неделю") == 1
    assert "5 занятий в неделю" in _plain(templates.application_accepted(APP, "Шахматы", None, date(2026, 9, 1), 5))[1]


def test_rejected_carries_the_reason():
    _, body = _plain(templates.application_rejected(APP, "Шахматы", "Группа для детей постарше."))
    assert "Причина: Группа для детей постарше." in body


def test_a_seat_offer_says_until_when():
    title, body = _plain(templates.seat_offered(APP, "Шахматы", datetime(2026, 9, 5, 14, 30)))
    assert title == "Освободилось место: «Шахматы»"
    assert "Подтвердите его до 5 сентября 2026 г. в 14:30" in body


def test_offer_reminder_counts_the_hours_left():
    title, _ = _plain(templates.offer_expiring(APP, "Шахматы", datetime(2026, 9, 5, 14, 30), 11))
    assert title == "Осталось 11 часов: подтвердите место"
    assert _plain(templates.offer_expiring(APP, "Шахматы", datetime(2026, 9, 5, 14, 30), 1))[0].startswith("Осталось 1 час:")


def test_money_is_written_as_people_write_it():
    _, body = _plain(templates.funds_debited(APP, "2026-00017", "Робототехника", "2026-09", 123_450))
    assert body == ("За сентябрь 2026 г. с сертификата списано 1 234,50 ₽ по договору № 2026-00017 — обучение "
                    "по программе «Робототехника».")
    assert _plain(templates.funds_reserved(APP, "Шахматы", 1_000_000_00))[1].count("1 000 000,00 ₽") == 1


def test_texts_survive_facts_an_older_publisher_did_not_send():
    title, body = _plain(templates.contract_signed(APP, None, None, date(2026, 9, 2)))
    assert title == "Договор подписан"
    assert "по программе дополнительного образования подписан 2 сентября 2026 г." in body


def test_provider_gets_the_decision_deadline():
    _, body = _plain(templates.application_submitted(APP, "Шахматы", date(2026, 9, 10)))
    assert "до 10 сентября 2026 г. включительно" in body
    assert _plain(templates.decision_due(APP, "Шахматы", date(2026, 9, 10)))[0] == "Срок решения по заявке — 10 сентября 2026 г."


def test_invoice_shows_charges_advance_and_what_is_paid():
    _, body = _plain(templates.invoice_issued(APP, "С-2026-09-0001", "2026-09", 500_000, 400_000, 0, 100_000))
    assert body == ("Выставлен счёт № С-2026-09-0001 за сентябрь 2026 г. Начислено за занятия: 5 000,00 ₽. "
                    "Выплачен аванс: 4 000,00 ₽. К оплате: 1 000,00 ₽.")
    _, owed = _plain(templates.invoice_issued(APP, "С-1", "2026-09", 100_000, 150_000, 0, -50_000))
    assert "аванс больше начисленного на 500,00 ₽" in owed


def test_digest_counts_with_agreeing_words_and_lists_what_waits():
    title, body = _plain(templates.operator_digest(["0700000001", "0700000002"], ["ДДТ «Радуга»"]))
    assert title == "Ждут проверки: 2 сертификата, 1 поставщик"
    assert body == ("2 сертификата ждут проверки документов: 0700000001, 0700000002.\n"
                    "1 поставщик ждёт допуска в реестр: ДДТ «Радуга».")
    many = _plain(templates.operator_digest([str(n) for n in range(21)], [], shown=3))
    assert many[0] == "Ждут проверки: 21 сертификат"
    assert "21 сертификат ждёт проверки документов: 0, 1, 2 и ещё 18." == many[1]


def test_password_reset_link_carries_the_token_and_the_deadline():
    message = templates.password_reset("tok/en+1", datetime(2026, 9, 5, 15, 0))
    assert message.link == "/password-reset?token=tok%2Fen%2B1"
    assert "до 5 сентября 2026 г. в 15:00" in _plain(message)[1]


SAMPLES = {
    "application_accepted": (APP, "Шахматы", "ДДТ", date(2026, 9, 1), 0),
    "application_rejected": (APP, None, "Нет мест."),
    "application_waitlisted": (APP, None),
    "application_expired": (APP, None, "not_decided"),
    "seat_offered": (APP, None, datetime(2026, 9, 1, 9, 0)),
    "offer_expiring": (APP, None, datetime(2026, 9, 1, 9, 0), 0),
    "funds_reserved": (APP, None, 50),
    "funds_refused": (APP, None, "На сертификате недостаточно средств"),
    "contract_offered": (APP, None, None, None, 0),
    "contract_unsigned": (APP, None, None, 3),
    "contract_signed": (APP, "2026-1", "Шахматы", date(2026, 9, 1)),
    "contract_terminated": (APP, "2026-1", "Шахматы", date(2026, 9, 1), None),
    "funds_debited": (APP, None, None, "2026-09", 1),
    "certificate_activated": (APP, "0700000001"),
    "certificate_suspended": (APP, "0700000001", None),
    "certificate_reinstated": (APP, "0700000001"),
    "application_submitted": (APP, None, None),
    "decision_due": (APP, None, date(2026, 9, 1)),
    "application_cancelled": (APP, None),
    "invoice_issued": (APP, "С-1", "2026-09", 0, 0, -100, 0),
    "advance_granted": ("2026-09", 100, 100),
    "operator_digest": (["0700000001"], []),
    "region_digest": (["ДДТ «Радуга»"],),
    "password_reset": ("t", datetime(2026, 9, 1, 9, 0)),
    "dispute_opened": (APP, "2026-09", None, 180_00, None, date(2026, 10, 15)),
    "dispute_answered": (APP, "2026-09", "Шахматы", "agree_part", 60_00, "Одно занятие отмечено по ошибке."),
    "dispute_decided": (APP, "2026-09", None, 0, 60_00, None),
    "dispute_escalated": (APP, "2026-09", "Шахматы", 120_00),
}


def test_no_text_shows_a_gap_a_double_stop_or_a_missing_fact():
    assert set(SAMPLES) == set(KINDS)
    for name, facts in SAMPLES.items():
        title, body = _plain(getattr(templates, name)(*facts))
        for text in (title, body):
            assert text and ".." not in text and "None" not in text and "{" not in text and "  " not in text, (name, text)
