"""The notifications service on real PostgreSQL and RabbitMQ, mailing a real SMTP server
(aiosmtpd) that keeps what it receives; events put on the bus as their publishers would."""
from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage

import pytest_asyncio
from aiosmtpd.controller import Controller
from sqlalchemy import select

from pfdo_events import Envelope, Event
from pfdo_events.gateway import AccountRegistered
from pfdo_kit.bus.names import BusNames
from pfdo_kit.metrics import BUS_MESSAGES
from services.notifications.app import create_app
from services.notifications.flows.deliveries import NO_ADDRESS
from services.notifications.models import Delivery, Notification
from services.notifications.settings import NotificationsSettings
from tests.support.service_app import RunningService, publish, running_service, test_settings
from tests.support.waiting import eventually

SENDER = "no-reply@navigator.test"
NAVIGATOR = "https://navigator.test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class MailSink:
    """A real SMTP server on a fixed port that can go down and come back."""

    port: int = field(default_factory=_free_port)
    mails: list[EmailMessage] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)  # addresses answered "mailbox unavailable"
    _controller: Controller | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.refused:
            return "450 Mailbox temporarily unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's handler hook
        mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
        mail["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.mails.append(mail)
        return "250 Message accepted for delivery"

    async def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        await asyncio.to_thread(self._controller.start)

    async def stop(self) -> None:
        if self._controller is not None:
            await asyncio.to_thread(self._controller.stop)
            self._controller = None

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.mails if m["To"] == address]

    def subjects(self, address: str) -> list[str]:
        return sorted(m["Subject"] for m in self.to(address))

    async def wait_for(self, count: int, timeout_s: float = 30) -> None:
        await eventually(lambda: _true(len(self.mails) >= count), timeout_s=timeout_s, what=f"{count} mails")


async def _true(value: bool) -> bool:
    return value


@pytest_asyncio.fixture(loop_scope="session")
async def mail_sink() -> AsyncIterator[MailSink]:
    sink = MailSink()
    await sink.start()
    yield sink
    await sink.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def start_notifications(fresh_database, migrated_template, amqp_url, bus_names, token_mint, mail_sink
                              ) -> Callable[..., AbstractAsyncContextManager[RunningService]]:
    """`async with start_notifications(**settings) as svc:` — the service mailing the sink."""
    template = await migrated_template("services.notifications")

    @asynccontextmanager
    async def start(**overrides) -> AsyncIterator[RunningService]:
        url = await fresh_database(template=template)
        settings = test_settings(
            NotificationsSettings, url, amqp_url, bus_names, token_mint, smtp_host="127.0.0.1",
            smtp_port=mail_sink.port, smtp_tls="none", mail_from_address=SENDER, mail_poll_interval_s=0.1,
            mail_retry_base_s=0.2, mail_retry_max_s=1.0, jobs_interval_s=0.2, public_base_url=NAVIGATOR,
            **overrides)
        async with running_service(create_app, settings, token_mint, bus_names, "notifications.#") as service:
            yield service
    return start


@pytest_asyncio.fixture(loop_scope="session")
async def notifications(start_notifications) -> AsyncIterator[RunningService]:
    async with start_notifications() as service:
        yield service


def envelope(event: Event, occurred_at: datetime | None = None) -> Envelope:
    wrapped = Envelope.wrap(event, district="test-district")
    return wrapped.model_copy(update={"occurred_at": occurred_at}) if occurred_at else wrapped


async def put_on_bus(svc: RunningService, *envelopes: Envelope) -> None:
    s = svc.settings
    await publish(s.amqp_url, BusNames(s.bus_exchange, s.bus_queue_prefix, s.bus_queue_expires_ms), *envelopes)


async def deliver(svc: RunningService, *events: Event | Envelope, occurred_at: datetime | None = None
                  ) -> list[Envelope]:
    """Publish each event and wait until the service has taken it in, one after the other."""
    sent = []
    for item in events:
        env = item if isinstance(item, Envelope) else envelope(item, occurred_at)
        await put_on_bus(svc, env)
        await eventually(lambda: processed(svc, env.id), timeout_s=30, what=f"{env.routing_key} taken in")
        sent.append(env)
    return sent


async def processed(svc: RunningService, event_id: uuid.UUID) -> bool:
    from services.notifications.models import messaging

    async with svc.app.state.runtime.sessions() as session:
        return await session.scalar(select(messaging.inbox.c.event_id).where(
            messaging.inbox.c.event_id == event_id)) is not None


def duplicates_seen() -> float:
    """Redeliveries the inbox turned away, over all of this process's consumers."""
    return sum(sample.value for metric in BUS_MESSAGES.collect() for sample in metric.samples
               if sample.name.endswith("_total") and sample.labels.get("outcome") == "duplicate"
               and sample.labels.get("consumer", "").startswith("notifications."))


async def deliveries(svc: RunningService) -> list[Delivery]:
    async with svc.app.state.runtime.sessions() as session:
        return list((await session.execute(select(Delivery).order_by(Delivery.created_at, Delivery.id))).scalars())


async def notices(svc: RunningService, recipient: str | None = None) -> list[Notification]:
    query = select(Notification).order_by(Notification.created_at, Notification.id)
    if recipient is not None:
        query = query.where(Notification.recipient == recipient)
    async with svc.app.state.runtime.sessions() as session:
        return list((await session.execute(query)).scalars())


async def all_mail_settled(svc: RunningService) -> bool:
    """Every mail sent, or waiting for an address nobody has told yet."""
    return all(d.status == "sent" or d.last_error == NO_ADDRESS for d in await deliveries(svc))


def account(role: str, email_: str, municipality: str | None = "chegem", **kw) -> AccountRegistered:
    return AccountRegistered(subject=str(uuid.uuid4()), email=email_, role=role, municipality=municipality, **kw)
