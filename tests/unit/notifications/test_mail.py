"""A delivery as an e-mail, and the mail server as the settings describe it."""
import email
import email.policy
import uuid
from datetime import UTC, datetime

from pydantic import SecretStr

from services.notifications.domain.mail import compose, greeted, mail_text, message_id, wire_bytes
from services.notifications.jobs.smtp import smtp_options
from services.notifications.settings import NotificationsSettings
from tests.support.municipalities import TEST_MUNICIPALITIES

DELIVERY = uuid.UUID("22222222-2222-2222-2222-222222222222")


def test_message_id_is_the_delivery_id_at_the_sender_domain():
    assert message_id(DELIVERY, "no-reply@navigator.example.ru") == f"<{DELIVERY}@navigator.example.ru>"


def test_a_russian_mail_survives_the_wire():
    mail = compose(DELIVERY, "parent@example.ru", "Мария Иванова", "Договор № 1 подписан",
                   "Ребёнок зачислен.\n\nОткрыть: https://n/x", "no-reply@navigator.example.ru", "Навигатор",
                   datetime(2026, 9, 5, 9, 0, tzinfo=UTC))
    parsed = email.message_from_bytes(wire_bytes(mail), policy=email.policy.default)
    assert parsed["Subject"] == "Договор № 1 подписан"
    assert parsed["Message-ID"] == f"<{DELIVERY}@navigator.example.ru>"
    assert parsed["From"].addresses[0].display_name == "Навигатор"
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed.get_content().replace("\r\n", "\n").strip() == (
        "Здравствуйте, Мария Иванова!\n\nРебёнок зачислен.\n\nОткрыть: https://n/x")  # CRLF lines on the wire
    assert all(b < 128 for b in wire_bytes(mail))  # no 8-bit data: any server takes it
    assert all(len(line) <= 998 for line in wire_bytes(mail).split(b"\r\n"))


def test_a_long_subject_keeps_every_space_on_the_wire():
    """Folded at 78 columns, Python 3.11 glued words at the fold: «Списание с сертификатаза ноябрь»."""
    for subject in ("Списание с сертификата за ноябрь 2026 г.: 1 234,50 ₽ по договору № ДС-2026-000001",
                    "Новая заявка: «Шахматы: одна доска»"):
        mail = compose(DELIVERY, "parent@example.ru", None, subject, "Текст.", "no-reply@navigator.example.ru",
                       "Навигатор дополнительного образования", datetime(2026, 9, 5, 9, 0, tzinfo=UTC))
        assert email.message_from_bytes(wire_bytes(mail), policy=email.policy.default)["Subject"] == subject


def test_a_person_without_a_name_is_greeted_all_the_same():
    assert greeted("Текст", None) == "Здравствуйте!\n\nТекст"


def test_optional_mails_say_where_to_switch_them_off():
    assert "Настроить" in mail_text("Текст", None, "https://n/cabinet/notifications/settings")
    assert "Настроить" not in mail_text("Текст", "https://n/x", None)


def _settings(**kw) -> NotificationsSettings:
    return NotificationsSettings(database_url="postgresql://x/y", amqp_url="amqp://", district="d",
                                 municipalities=TEST_MUNICIPALITIES, **kw)


def test_tls_modes_and_credentials():
    plain = smtp_options(_settings(smtp_tls="none", smtp_host="mail", smtp_port=25))
    assert (plain["hostname"], plain["port"], plain["use_tls"], plain["start_tls"]) == ("mail", 25, False, False)
    assert "username" not in plain
    assert (smtp_options(_settings(smtp_tls="starttls"))["start_tls"], smtp_options(_settings(smtp_tls="tls"))["use_tls"]) == (True, True)
    auth = smtp_options(_settings(smtp_username="robot", smtp_password=SecretStr("s3cret")))
    assert (auth["username"], auth["password"]) == ("robot", "s3cret")


def test_a_title_typed_with_a_line_break_does_not_break_the_subject():
    """A program's title may hold a line break; a header must not (EmailMessage refuses it)."""
    mail = compose(DELIVERY, "parent@example.ru", None, "Новая заявка: «Шахматы\nдля всех»", "Текст.",
                   "no-reply@navigator.example.ru", "Навигатор", datetime(2026, 9, 1, tzinfo=UTC))
    assert email.message_from_bytes(wire_bytes(mail), policy=email.policy.default)["Subject"] == (
        "Новая заявка: «Шахматы для всех»")
