"""Logging in, with a password or a refresh token, and logging out. A login issues a short-lived
access token and a new refresh token; a refresh token is used up by the login it makes
(rotation) or by logging out. Runs in the caller's transaction; times come from the gateway's
clock."""
from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.domain.passwords import verify_password
from gateway.models import Account, RefreshToken
from gateway.throttle import LoginThrottle
from gateway.tokens import Signer, new_opaque_token, opaque_hash
from pfdo_kit.errors import ProblemError


@dataclass(frozen=True)
class Tokens:
    access_token: str
    expires_in: int
    refresh_token: str


@dataclass(frozen=True)
class Issuer:
    """What a login needs to issue tokens: the signer, how long a refresh token lives, and now."""

    signer: Signer
    refresh_ttl_s: int
    now: datetime


def _too_many(seconds: float) -> ProblemError:
    return ProblemError(429, "too-many-attempts", "Слишком много попыток входа, попробуйте позже",
                        headers={"Retry-After": str(max(1, int(seconds) + 1))})


async def _issue(session: AsyncSession, issuer: Issuer, account: Account) -> Tokens:
    refresh, digest = new_opaque_token()
    session.add(RefreshToken(token_hash=digest, account_id=account.id,
                             expires_at=issuer.now + timedelta(seconds=issuer.refresh_ttl_s)))
    return Tokens(issuer.signer.access_token(account, issuer.now), issuer.signer.access_ttl_s, refresh)


async def with_password(session: AsyncSession, issuer: Issuer, throttle: LoginThrottle, email: str, password: str,
                        address: str) -> Tokens:
    """Failures say nothing about which part was wrong, and are throttled per account and address."""
    who = email.strip().lower()
    if wait := await throttle.blocked_for(who, address):
        raise _too_many(wait)
    account = (await session.execute(select(Account).where(func.lower(Account.email) == who))).scalar_one_or_none()
    ok = await asyncio.to_thread(verify_password, account.password_hash if account else None, password)
    if not ok or account.status != "active":
        await throttle.failed(who, address)
        raise ProblemError(401, "unauthorized", "Неверный адрес электронной почты или пароль")
    await throttle.succeeded(who)
    return await _issue(session, issuer, account)


async def with_refresh_token(session: AsyncSession, issuer: Issuer, token: str) -> Tokens:
    """A refresh token works once: a second use, an expired or unknown token gets nothing."""
    used = await session.execute(
        update(RefreshToken).where(RefreshToken.token_hash == opaque_hash(token), RefreshToken.used_at.is_(None),
                                   RefreshToken.expires_at > issuer.now)
        .values(used_at=issuer.now).returning(RefreshToken.account_id))
    account_id = used.scalar_one_or_none()
    account = await session.get(Account, account_id) if account_id is not None else None
    if account is None or account.status != "active":
        raise ProblemError(401, "unauthorized", "Сессия истекла, войдите снова")
    return await _issue(session, issuer, account)


async def log_out(session: AsyncSession, token: str, everywhere: bool, now: datetime) -> None:
    """The refresh token stops working; with `everywhere`, every refresh token of its account does
    (only a token still valid may ask that). An unknown, used or expired token changes nothing and
    is no error: logging out twice is fine. Access tokens already issued live out their minutes."""
    revoked = await session.execute(
        update(RefreshToken).where(RefreshToken.token_hash == opaque_hash(token), RefreshToken.used_at.is_(None),
                                   RefreshToken.expires_at > now)
        .values(used_at=now).returning(RefreshToken.account_id))
    account_id = revoked.scalar_one_or_none()
    if everywhere and account_id is not None:
        await end_every_session(session, account_id, now)


async def end_every_session(session: AsyncSession, account_id: uuid.UUID, now: datetime) -> None:
    await session.execute(update(RefreshToken).where(RefreshToken.account_id == account_id,
                                                     RefreshToken.used_at.is_(None)).values(used_at=now))
