"""Mail is never lost and never sent twice: the SMTP server down for a while, a sender that
died after the server's 250, a person's rate used up, a reset link that must not stay behind."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from pfdo_events.certificates import CertificateActivated
from pfdo_events.gateway import PasswordResetRequested
from services.notifications.flows.deliveries import ERASED
from services.notifications.models import Delivery
from tests.integration.notifications.conftest import account, all_mail_settled, deliver, deliveries, notices
from tests.support.waiting import eventually


def _activated(owner: str, number: str) -> CertificateActivated:
    return CertificateActivated(certificate_id=uuid.uuid4(), child_id=uuid.uuid4(), owner=owner,
                                birth_date=datetime(2016, 5, 1).date(), number=number, municipality="chegem",
                                kind="funded")


async def test_mail_waits_out_a_dead_server_and_arrives_once(notifications, mail_sink):
    svc = notifications
    parent = account("parent", "parent@example.ru")
    await deliver(svc, parent)
    await mail_sink.stop()
    await deliver(svc, *[_activated(parent.subject, f"070000000{n}") for n in range(3)])

    async def retried_while_down() -> bool:
        rows = await deliveries(svc)
        return len(rows) == 3 and all(d.status == "pending" and d.attempts >= 2 and d.last_error for d in rows)
    await eventually(retried_while_down, what="every mail tried and put back while the server is down")
    assert mail_sink.mails == []

    await mail_sink.start()
    await mail_sink.wait_for(3)
    await eventually(lambda: all_mail_settled(svc), what="every mail marked sent")
    rows = await deliveries(svc)
    assert sorted(m["Message-ID"] for m in mail_sink.mails) == sorted(f"<{d.id}@navigator.test>" for d in rows)
    assert sorted(m["Subject"].replace("\u00a0", " ") for m in mail_sink.mails) == [
        f"Сертификат № 070000000{n} активирован" for n in range(3)]
    assert all(d.sent_at is not None and d.last_error is None for d in rows)


async def test_a_refused_mail_waits_and_holds_up_no_one_else(notifications, mail_sink):
    svc = notifications
    refused, fine = account("parent", "full-box@example.ru"), account("parent", "fine@example.ru")
    mail_sink.refused.add("full-box@example.ru")
    await deliver(svc, refused, fine, _activated(refused.subject, "0700000001"), _activated(fine.subject, "0700000002"))
    await mail_sink.wait_for(1)

    async def retried() -> bool:
        rows = {d.recipient: d for d in await deliveries(svc)}
        waiting = rows.get(refused.subject)
        return waiting is not None and waiting.status == "pending" and waiting.attempts >= 2
    await eventually(retried, what="the refused mail tried again and again")
    assert [m["To"] for m in mail_sink.mails] == ["fine@example.ru"]
    assert "сервер отказал" in {d.recipient: d for d in await deliveries(svc)}[refused.subject].last_error

    mail_sink.refused.clear()
    await mail_sink.wait_for(2)
    await eventually(lambda: all_mail_settled(svc), what="every mail sent")
    assert sorted(m["To"] for m in mail_sink.mails) == ["fine@example.ru", "full-box@example.ru"]


async def test_a_mail_left_sending_by_a_dead_sender_goes_again_with_the_same_message_id(start_notifications,
                                                                                        mail_sink):
    """The window SMTP cannot close: the server said 250, our commit of "sent" never happened.
    After its lease the mail goes again — with the same Message-ID, so the receiver can tell."""
    async with start_notifications(mail_sending_lease_s=1.0) as svc:
        parent = account("parent", "parent@example.ru")
        await deliver(svc, parent, _activated(parent.subject, "0700000001"))
        await mail_sink.wait_for(1)
        await eventually(lambda: all_mail_settled(svc), what="mail sent")
        (sent,) = await deliveries(svc)
        async with svc.app.state.runtime.sessions() as session, session.begin():
            await session.execute(update(Delivery).where(Delivery.id == sent.id).values(
                status="sending", sent_at=None, last_attempt_at=datetime.now(UTC) - timedelta(seconds=5)))
        await mail_sink.wait_for(2)
        await eventually(lambda: all_mail_settled(svc), what="mail sent again")
        assert [m["Message-ID"] for m in mail_sink.mails] == [f"<{sent.id}@navigator.test>"] * 2
        (again,) = await deliveries(svc)
        assert again.attempts == 2


async def test_one_persons_mail_is_rate_limited_and_the_rest_follows_later(start_notifications, mail_sink):
    async with start_notifications(mail_rate_limit=2, mail_rate_window_s=3600) as svc:
        parent, other = account("parent", "busy@example.ru"), account("parent", "calm@example.ru")
        await deliver(svc, parent, other, *[_activated(parent.subject, f"070000001{n}") for n in range(4)],
                      _activated(other.subject, "0700000020"))
        await mail_sink.wait_for(3)

        async def held_back() -> bool:
            rows = await deliveries(svc)
            return sum(d.status == "pending" and d.next_attempt_at > datetime.now(UTC) + timedelta(minutes=50)
                       for d in rows) == 2
        await eventually(held_back, what="two of the busy person's mails held back")
        assert len(mail_sink.to("busy@example.ru")) == 2 and len(mail_sink.to("calm@example.ru")) == 1

        svc.app.state.clock.pin(datetime.now(UTC) + timedelta(hours=1, minutes=1))
        await mail_sink.wait_for(5)
        await eventually(lambda: all_mail_settled(svc), what="the rest sent once the window freed")
        assert len(mail_sink.to("busy@example.ru")) == 4 and len(mail_sink.mails) == 5


async def test_mail_waits_for_an_address_the_gateway_has_not_told_yet(notifications, mail_sink):
    svc = notifications
    parent = account("parent", "late@example.ru")
    await deliver(svc, _activated(parent.subject, "0700000001"))

    async def postponed() -> bool:
        rows = await deliveries(svc)
        return len(rows) == 1 and rows[0].last_error is not None and rows[0].status == "pending"
    await eventually(postponed, what="the mail waiting for an address")
    await deliver(svc, parent)
    await mail_sink.wait_for(1)
    assert mail_sink.mails[0]["To"] == "late@example.ru"


async def test_a_password_reset_link_goes_by_mail_only_and_is_not_kept(notifications, mail_sink):
    svc = notifications
    subject = str(uuid.uuid4())
    reset = PasswordResetRequested(subject=subject, email="forgot@example.ru", token="one-time-token",
                                   expires_at=datetime.now(UTC) + timedelta(hours=1))
    expired = PasswordResetRequested(subject=subject, email="forgot@example.ru", token="stale",
                                     expires_at=datetime.now(UTC) - timedelta(minutes=1))
    await deliver(svc, reset, expired)
    await mail_sink.wait_for(1)
    await eventually(lambda: all_mail_settled(svc), what="mail sent")
    (mail,) = mail_sink.mails
    assert mail["To"] == "forgot@example.ru" and mail["Subject"] == "Смена пароля в Навигаторе"
    assert "https://navigator.test/password-reset?token=one-time-token" in mail.get_content()
    (delivery,) = await deliveries(svc)
    assert delivery.body == ERASED
    assert all("one-time-token" not in (n.body + (n.link or "")) for n in await notices(svc))
    feed = await svc.client.get("/api/v1/me/notifications", headers=svc.tokens.headers("parent", subject=subject))
    assert feed.json()["total"] == 0


async def test_a_sender_whose_claim_was_taken_over_does_not_send(notifications, mail_sink):
    """Before each mail the sender renews its claim; if another sender took the mail meanwhile
    (a slow server let the lease run out), the first one must not send it too."""
    from services.notifications.flows.deliveries import renew_claim

    svc = notifications
    parent = account("parent", "parent@example.ru")
    await deliver(svc, parent, _activated(parent.subject, "0700000031"))
    await mail_sink.wait_for(1)
    await eventually(lambda: all_mail_settled(svc), what="mail sent")
    (sent,) = await deliveries(svc)
    sessions, now = svc.app.state.runtime.sessions, datetime.now(UTC)
    async with sessions() as session, session.begin():
        assert not await renew_claim(session, sent.id, sent.attempts, now)  # sent: nobody's claim
        await session.execute(update(Delivery).where(Delivery.id == sent.id).values(
            status="sending", attempts=sent.attempts + 1))  # another sender took it over
        assert not await renew_claim(session, sent.id, sent.attempts, now)
        assert await renew_claim(session, sent.id, sent.attempts + 1, now)
        await session.rollback()
