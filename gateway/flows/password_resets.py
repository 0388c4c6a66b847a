"""Password reset by e-mail. A request makes a single-use token, keeps only its hash and
publishes the token for notifications to mail as a link; whether the address is known is never
said. The confirmation sets the new password, uses up every reset link of the account and ends
all its sessions. Each runs in the caller's transaction."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.domain.passwords import hash_password
from gateway.flows.sessions import end_every_session
from gateway.models import Account, PasswordReset
from gateway.tokens import new_opaque_token, opaque_hash
from pfdo_events.gateway import PasswordResetRequested
from pfdo_kit.errors import ProblemError
from pfdo_kit.outbox import Outbox


def link_unusable() -> ProblemError:
    message = "Ссылка для смены пароля недействительна: она уже использована или устарела. Запросите новую"
    return ProblemError(422, "reset-link-unusable", message, field="token",
                        errors=[{"field": "token", "message": message}])


async def request_reset(session: AsyncSession, outbox: Outbox, email: str, now: datetime, ttl_s: int) -> None:
    """An unknown or blocked account gets nothing, and the caller is not told so."""
    who = email.strip().lower()
    account = (await session.execute(select(Account).where(func.lower(Account.email) == who))).scalar_one_or_none()
    if account is None or account.status != "active":
        return
    token, digest = new_opaque_token()
    expires_at = now + timedelta(seconds=ttl_s)
    session.add(PasswordReset(token_hash=digest, account_id=account.id, expires_at=expires_at))
    await outbox.add(session, PasswordResetRequested(subject=str(account.id), email=account.email, token=token,
                                                     expires_at=expires_at))


async def confirm_reset(session: AsyncSession, token: str, new_password: str, now: datetime) -> Account:
    """The account whose password is now `new_password` (already checked against the rules)."""
    used = await session.execute(
        update(PasswordReset).where(PasswordReset.token_hash == opaque_hash(token), PasswordReset.used_at.is_(None),
                                    PasswordReset.expires_at > now)
        .values(used_at=now).returning(PasswordReset.account_id))
    account_id = used.scalar_one_or_none()
    account = await session.get(Account, account_id, with_for_update=True) if account_id is not None else None
    if account is None or account.status != "active":
        raise link_unusable()
    account.password_hash = await asyncio.to_thread(hash_password, new_password)
    await session.execute(update(PasswordReset).where(PasswordReset.account_id == account.id,
                                                      PasswordReset.used_at.is_(None)).values(used_at=now))
    await end_every_session(session, account.id, now)
    return account
