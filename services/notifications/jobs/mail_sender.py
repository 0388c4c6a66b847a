"""The mail sender, in every notifications process: claims due mails (FOR UPDATE SKIP LOCKED,
so processes share the work), marks them "sending" with the attempt counted BEFORE talking to
the server, sends each with its stable Message-ID over one SMTP connection, and marks each
"sent" right after the server's 250. A refusal or a broken connection puts the mail back to
wait (exponential backoff): it is never dropped.

Exactly once is as far as SMTP allows: a crash (or a lost connection) between the server's 250
and our commit leaves the mail "sending"; after its lease it is sent again with the same
Message-ID, which lets the receiving side recognise the repeat. SMTP itself has no way to
make that window disappear."""
from __future__ import annotations

import asyncio
import logging

import aiosmtplib

from pfdo_kit.runtime import ServiceRuntime
from services.notifications.domain.mail import compose, wire_bytes
from services.notifications.flows import deliveries
from services.notifications.flows.deliveries import Outgoing
from services.notifications.jobs.smtp import smtp_options

log = logging.getLogger(__name__)

# The server refused this one mail; the connection is still good for the next.
_REFUSED = (aiosmtplib.SMTPRecipientsRefused, aiosmtplib.SMTPResponseException)


async def _sent(runtime: ServiceRuntime, out: Outgoing) -> None:
    async with runtime.sessions() as session, session.begin():
        await deliveries.mark_sent(session, out.id, out.attempt, runtime.clock.now())


async def _failed(runtime: ServiceRuntime, out: Outgoing, error: str) -> None:
    async with runtime.sessions() as session, session.begin():
        await deliveries.mark_failed(session, out.id, out.attempt, runtime.clock.now(), error, runtime.settings)


async def _still_ours(runtime: ServiceRuntime, out: Outgoing) -> bool:
    async with runtime.sessions() as session, session.begin():
        return await deliveries.renew_claim(session, out.id, out.attempt, runtime.clock.now())


async def send_due(runtime: ServiceRuntime) -> int:
    """One round: returns how many mails were claimed."""
    s, clock = runtime.settings, runtime.clock
    async with runtime.sessions() as session, session.begin():
        batch = await deliveries.claim(session, clock.now(), s)
    if not batch:
        return 0
    settled: set = set()
    try:
        async with aiosmtplib.SMTP(**smtp_options(s)) as smtp:
            for out in batch:
                if not await _still_ours(runtime, out):
                    settled.add(out.id)
                    continue
                try:
                    mail = wire_bytes(compose(out.id, out.address, out.name, out.subject, out.body,
                                              s.mail_from_address, s.mail_from_name, clock.now()))
                except ValueError as exc:  # this one mail cannot be written; the rest of the batch goes on
                    log.error("mail cannot be composed", extra={"delivery": str(out.id), "error": repr(exc)[:300]})
                    await _failed(runtime, out, f"письмо не собрано: {exc}")
                    settled.add(out.id)
                    continue
                try:
                    await smtp.sendmail(s.mail_from_address, [out.address], mail)
                except _REFUSED as exc:  # logged without the server's text: it may name the address
                    log.warning("mail refused", extra={"delivery": str(out.id), "error": type(exc).__name__,
                                                       "code": getattr(exc, "code", None)})
                    await _failed(runtime, out, f"сервер отказал: {exc}")
                else:
                    await _sent(runtime, out)
                settled.add(out.id)
    except (OSError, aiosmtplib.SMTPException) as exc:
        log.warning("mail server unavailable", extra={"error": repr(exc)[:300], "waiting": len(batch) - len(settled)})
        for out in batch:
            if out.id not in settled:
                await _failed(runtime, out, f"сервер недоступен: {exc}")
    return len(batch)


async def run_mail_sender(runtime: ServiceRuntime) -> None:
    s = runtime.settings
    while True:
        try:
            claimed = await send_due(runtime)
        except Exception as exc:  # the database went away: the next round tries again
            log.warning("mail sender round failed", extra={"error": repr(exc)})
            claimed = 0
        if claimed < s.mail_batch_size:
            await asyncio.sleep(s.mail_poll_interval_s)
