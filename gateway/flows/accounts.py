"""Accounts: self-registration, accounts made by an admin, and binding provider staff to their
provider once the registry approves it. Each runs in the caller's transaction and stages the
account's news (flows/account_news.py) with it."""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.api.schemas import RegisterIn, StaffIn
from gateway.domain import access
from gateway.domain.passwords import hash_password
from gateway.flows import account_news, sessions
from gateway.models import Account
from pfdo_kit.auth import Principal, forbidden
from pfdo_kit.errors import conflict, not_found
from pfdo_kit.municipalities import Municipality, known
from pfdo_kit.outbox import Outbox


async def create_account(session: AsyncSession, outbox: Outbox, *, email: str, password: str, role: str,
                         municipality: str | None, phone: str | None = None, full_name: str | None = None,
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
    await account_news.registered(session, outbox, account)
    return account


async def register(session: AsyncSession, outbox: Outbox, data: RegisterIn,
                   municipalities: list[Municipality]) -> Account:
    known(municipalities, data.municipality)
    return await create_account(session, outbox, email=data.email, password=data.password, role=data.role,
                                municipality=data.municipality, phone=data.phone, full_name=data.full_name,
                                created_by="self")


async def create_by_admin(session: AsyncSession, outbox: Outbox, data: StaffIn, principal: Principal,
                          municipalities: list[Municipality]) -> Account:
    if not access.may_create_accounts(principal):
        raise forbidden()
    if data.municipality is not None:
        known(municipalities, data.municipality)
    return await create_account(session, outbox, email=data.email, password=data.password, role=data.role,
                                municipality=data.municipality, provider_id=data.provider_id,
                                full_name=data.full_name, created_by=principal.actor)


async def bind_provider_staff(session: AsyncSession, outbox: Outbox, submitted_by: str | None,
                              provider_id: uuid.UUID, municipality: str) -> None:
    """The provider's application was filed by a staff account of the gateway: it now acts for
    that provider. An application filed otherwise (an operator, a script) binds nobody."""
    try:
        account_id = uuid.UUID(submitted_by or "")
    except ValueError:
        return
    bound = (await session.execute(
        update(Account).where(Account.id == account_id, Account.role == "provider", Account.provider_id.is_(None))
        .values(provider_id=provider_id, municipality=municipality).returning(Account)
        .execution_options(synchronize_session=False))).scalars().all()
    for account in bound:
        await account_news.updated(session, outbox, account)


async def set_blocked(session: AsyncSession, outbox: Outbox, account_id: uuid.UUID, blocked: bool,
                      principal: Principal, now: datetime) -> Account:
    """An admin blocks an account (it can no longer log in or refresh, its sessions end; access tokens
    already issued live out their minutes) or lets it in again. Not one's own: an admin would lock
    themself out."""
    if not access.manages_accounts(principal):
        raise forbidden()
    if blocked and str(account_id) == principal.subject:
        raise conflict("own-account", "Нельзя заблокировать собственную учётную запись", field="id")
    account = await session.get(Account, account_id, with_for_update=True)
    if account is None:
        raise not_found("Учётная запись не найдена")
    status = "blocked" if blocked else "active"
    if account.status != status:
        account.status = status
        await session.flush()
        await account_news.updated(session, outbox, account)
    if blocked:
        await sessions.end_every_session(session, account.id, now)
    return account
