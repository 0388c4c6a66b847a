"""Accounts: registration, password and refresh-token logins, accounts made by an admin, and
binding provider staff to their provider once the registry approves it."""
from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.domain.passwords import hash_password, verify_password
from gateway.models import Account, RefreshToken
from gateway.tokens import new_refresh_token, refresh_hash
from pfdo_kit.errors import conflict


async def create_account(session: AsyncSession, *, email: str, password: str, role: str, municipality: str | None,
                         phone: str | None = None, full_name: str | None = None,
                         provider_id: uuid.UUID | None = None, created_by: str | None = None) -> Account:
    password_hash = await asyncio.to_thread(hash_password, password)  # ~50 ms of memory-hard work
    account = Account(email=email.strip().lower(), phone=phone, full_name=full_name, password_hash=password_hash,
                      role=role, municipality=municipality, provider_id=provider_id, created_by=created_by)
    session.add(account)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise conflict("account-exists", "Этот адрес электронной почты уже зарегистрирован", field="email") from None
    return account


async def by_password(session: AsyncSession, email: str, password: str) -> Account | None:
    account = (await session.execute(select(Account).where(func.lower(Account.email) == email.strip().lower())))\
        .scalar_one_or_none()
    ok = await asyncio.to_thread(verify_password, account.password_hash if account else None, password)
    return account if ok and account.status == "active" else None


async def issue_refresh(session: AsyncSession, account: Account, ttl_s: int) -> str:
    token, digest = new_refresh_token()
    session.add(RefreshToken(token_hash=digest, account_id=account.id,
                             expires_at=datetime.now(UTC) + timedelta(seconds=ttl_s)))
    return token


async def by_refresh(session: AsyncSession, token: str) -> Account | None:
    """Use a refresh token once: a second use, an expired or unknown token gets nothing."""
    used = await session.execute(
        update(RefreshToken).where(RefreshToken.token_hash == refresh_hash(token), RefreshToken.used_at.is_(None),
                                   RefreshToken.expires_at > func.now())
        .values(used_at=func.now()).returning(RefreshToken.account_id))
    account_id = used.scalar_one_or_none()
    if account_id is None:
        return None
    account = await session.get(Account, account_id)
    return account if account and account.status == "active" else None


async def bind_provider_staff(session: AsyncSession, submitted_by: str | None, provider_id: uuid.UUID,
                              municipality: str) -> None:
    try:
        account_id = uuid.UUID(submitted_by or "")
    except ValueError:
        return
    await session.execute(update(Account).where(
        Account.id == account_id, Account.role == "provider", Account.provider_id.is_(None))
        .values(provider_id=provider_id, municipality=municipality))
