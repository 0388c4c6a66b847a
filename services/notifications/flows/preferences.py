"""Which kinds of notice a person wants by e-mail. Only kinds of their role that are not
essential may be switched off; the feed shows everything either way."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal
from pfdo_kit.errors import ProblemError
from services.notifications.domain.kinds import Kind, goes_by_mail, kinds_for, preference_errors
from services.notifications.models import MailOff


async def current(session: AsyncSession, principal: Principal) -> list[tuple[Kind, bool]]:
    """Each kind of the person's role with whether it goes by e-mail."""
    off = set((await session.execute(select(MailOff.kind).where(MailOff.subject == principal.subject))).scalars())
    return [(kind, goes_by_mail(kind, off)) for kind in kinds_for(principal.role)]


async def change(session: AsyncSession, principal: Principal, wanted: dict[str, bool]) -> list[tuple[Kind, bool]]:
    """Set the kinds named; the others stay as they were."""
    if errors := preference_errors(principal.role, wanted):
        raise ProblemError(422, "validation", "Проверьте введённые данные", errors[0]["message"],
                           errors[0]["field"], errors)
    off = [name for name, by_mail in wanted.items() if not by_mail]
    on = [name for name, by_mail in wanted.items() if by_mail]
    if off:
        await session.execute(insert(MailOff).values([dict(subject=principal.subject, kind=k) for k in off])
                              .on_conflict_do_nothing())
    if on:
        await session.execute(delete(MailOff).where(MailOff.subject == principal.subject, MailOff.kind.in_(on)))
    return await current(session, principal)
