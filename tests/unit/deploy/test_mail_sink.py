"""`make run`'s SMTP sink is a real SMTP server that keeps each mail as an .eml file."""
import smtplib
import socket
from email.message import EmailMessage

from deploy.local.mail_sink import MailSink


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_each_mail_is_kept_as_an_eml_file_in_the_order_received(tmp_path):
    sink = MailSink(tmp_path / "mail", _free_port())
    sink.start()
    try:
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=10) as smtp:
            for n, subject in enumerate(("Договор готов к подписанию", "Списание с сертификата")):
                mail = EmailMessage()
                mail["From"], mail["To"], mail["Subject"] = "no-reply@navigator.local", f"parent{n}@example.ru", subject
                mail.set_content("Здравствуйте!", charset="utf-8")
                smtp.send_message(mail)
    finally:
        sink.stop()
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 2
    assert [(m["Subject"], m["X-Envelope-To"]) for m in sink.mails()] == [
        ("Договор готов к подписанию", "parent0@example.ru"), ("Списание с сертификата", "parent1@example.ru")]
    assert sink.mails()[0].get_content().strip() == "Здравствуйте!"
