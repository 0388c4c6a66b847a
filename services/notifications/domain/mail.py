"""A delivery as an e-mail. Its Message-ID is derived from the delivery's id, so a mail sent
again after a crash carries the same one and the receiving side can tell it is a repeat."""
from __future__ import annotations

import uuid
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

# Headers folded only past RFC 5322's hard limit: Python 3.11's folding of encoded words drops
# the space at a fold («Списание с сертификатаза ноябрь»), so a subject stays on one line.
WIRE = policy.SMTP.clone(max_line_length=998)

FOOTER = "Это письмо отправлено автоматически, отвечать на него не нужно."


def message_id(delivery_id: uuid.UUID, sender_address: str) -> str:
    domain = sender_address.rpartition("@")[2] or "localhost"
    return f"<{delivery_id}@{domain}>"


def mail_text(body: str, link: str | None, preferences_link: str | None) -> str:
    """The mail's text: the notice, where to follow it, and (for what may be switched off) where to."""
    parts = [body]
    if link:
        parts.append(f"Открыть: {link}")
    footer = FOOTER
    if preferences_link:
        footer += f"\nНастроить, какие письма приходят: {preferences_link}"
    parts.append(f"—\n{footer}")
    return "\n\n".join(parts)


def greeted(text: str, name: str | None) -> str:
    return f"Здравствуйте, {name}!\n\n{text}" if name else f"Здравствуйте!\n\n{text}"


def compose(delivery_id: uuid.UUID, to: str, name: str | None, subject: str, text: str, sender_address: str,
            sender_name: str, at: datetime) -> EmailMessage:
    """The mail to one person, greeted by the name their account gives, if any."""
    mail = EmailMessage()
    mail["From"] = Address(display_name=sender_name, addr_spec=sender_address)
    mail["To"] = to
    mail["Subject"] = " ".join(subject.splitlines())  # a title typed with a line break must not break the header
    mail["Date"] = format_datetime(at)
    mail["Message-ID"] = message_id(delivery_id, sender_address)
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to it
    mail.set_content(greeted(text, name), charset="utf-8", cte="quoted-printable")
    return mail


def wire_bytes(mail: EmailMessage) -> bytes:
    """The mail as it goes to the server: CRLF lines, 7-bit, headers unfolded."""
    return mail.as_bytes(policy=WIRE)
