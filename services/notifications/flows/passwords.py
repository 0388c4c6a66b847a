"""A password reset link goes by mail only, to the address the gateway named; a request whose
link has already expired (the event waited too long) is not sent."""
from __future__ import annotations

from pfdo_events.gateway import PasswordResetRequested
from services.notifications.domain import templates
from services.notifications.flows.notices import Cause, Notice, record


async def reset_requested(cause: Cause, e: PasswordResetRequested) -> None:
    if e.expires_at <= cause.clock.now():
        return
    message = templates.password_reset(e.token, cause.clock.local(e.expires_at))
    await record(cause, [Notice(e.subject, "password_reset", cause.source, message, address=e.email)])
