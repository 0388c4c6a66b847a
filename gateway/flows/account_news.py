"""What the gateway tells the platform about its accounts: the account's whole state (the
address, role, municipality, provider, name, whether it may log in), staged in the outbox in
the transaction that made or changed it. Notifications learns whom to mail from these events."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import Account
from pfdo_events.gateway import AccountRegistered, AccountUpdated
from pfdo_kit.outbox import Outbox


def _state(account: Account) -> dict:
    return dict(subject=str(account.id), email=account.email, role=account.role, municipality=account.municipality,
                provider_id=account.provider_id, full_name=account.full_name, active=account.status == "active")


async def registered(session: AsyncSession, outbox: Outbox, account: Account) -> None:
    await outbox.add(session, AccountRegistered(**_state(account)))


async def updated(session: AsyncSession, outbox: Outbox, account: Account) -> None:
    await outbox.add(session, AccountUpdated(**_state(account)))


async def announce_batch(session: AsyncSession, outbox: Outbox, after: uuid.UUID | None, size: int
                         ) -> tuple[int, uuid.UUID | None]:
    """The backfill's step: `AccountRegistered` (the current state) for the next `size` accounts
    by id after `after`. (how many, the last id announced or None when none was left)."""
    query = select(Account).order_by(Account.id).limit(size)
    if after is not None:
        query = query.where(Account.id > after)
    accounts = (await session.execute(query)).scalars().all()
    for account in accounts:
        await registered(session, outbox, account)
    return len(accounts), (accounts[-1].id if accounts else None)
