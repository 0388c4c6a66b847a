"""Payment agreements as the registry tells of them, and their usage, moved in the same
transaction as the certificate's hold, release and debit.

A reservation locks its agreement's row (`locked_terms`), checks it by domain/agreements.py and,
once the hold is posted, adds to `used_kop` under that lock (`use`): concurrent reservations of
one agreement queue on the row, so none passes the limit. Releases give back (`give_back`).
Every change of usage or of the agreement itself is published as
`certificates.agreement.usage_changed`, but for a hold's: the reservation's answer
(`certificates.funds.reserved`) carries that one."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.certificates import AgreementUsageChanged
from pfdo_events.registry import AgreementChanged
from pfdo_kit.copies import keep_newest
from pfdo_kit.outbox import Outbox
from services.certificates.domain.agreements import AgreementKey, AgreementTerms
from services.certificates.models import Agreement

A = Agreement


def _row(key: AgreementKey):
    return and_(A.provider_id == key.provider_id, A.municipality == key.payer, A.year == key.year)


def usage_news(key: AgreementKey, used_kop: int, limit_kop: int | None) -> AgreementUsageChanged:
    return AgreementUsageChanged(provider_id=key.provider_id, municipality=key.payer, year=key.year,
                                 limit_kop=limit_kop, used_kop=used_kop)


async def record_agreement(session: AsyncSession, outbox: Outbox, e: AgreementChanged, changed_at: datetime) -> bool:
    """Keep the registry's agreement (made, changed or ended); what it is used for stays. An event
    older than the one recorded changes nothing. Returns whether it changed the agreement."""
    values = {"number": e.number, "signed_on": e.signed_on, "limit_kop": e.limit_kop, "active": e.active}
    key = {"provider_id": e.provider_id, "municipality": e.municipality, "year": e.year}
    # usage is the certificates' own: a new row starts at 0 (the column's default), an update keeps it
    kept = await keep_newest(session, A, key, values, changed_at, stamp="changed_at",
                             returning=("used_kop", "limit_kop"))
    if not kept:
        return False
    row = kept[0]
    await outbox.add(session, usage_news(AgreementKey(e.provider_id, e.municipality, e.year),
                                         row.used_kop, row.limit_kop))
    return True


async def locked_terms(session: AsyncSession, key: AgreementKey) -> AgreementTerms | None:
    """The agreement's terms and usage, its row locked until the transaction ends (None: none)."""
    row = (await session.execute(select(A.active, A.limit_kop, A.used_kop).where(_row(key))
                                 .with_for_update())).first()
    return None if row is None else AgreementTerms(active=row.active, limit_kop=row.limit_kop, used_kop=row.used_kop)


class AgreementOverdrawn(RuntimeError):
    """A hold would pass the agreement's limit although it was checked under the row's lock: a bug."""


async def use(session: AsyncSession, key: AgreementKey, amount_kop: int) -> AgreementUsageChanged | None:
    """A hold of `amount_kop` counts against the agreement (checked before, under the same lock;
    the guard makes passing the limit impossible even so). Returns the usage's news, which the
    reservation's answer carries (None: nothing held)."""
    if amount_kop <= 0:
        return None
    row = (await session.execute(
        update(A).where(_row(key), A.active, or_(A.limit_kop.is_(None), A.used_kop + amount_kop <= A.limit_kop))
        .values(used_kop=A.used_kop + amount_kop).returning(A.used_kop, A.limit_kop)
        .execution_options(synchronize_session=False))).first()
    if row is None:
        raise AgreementOverdrawn(f"hold of {amount_kop} kop passes agreement {key}")
    return usage_news(key, row.used_kop, row.limit_kop)


async def give_back(session: AsyncSession, outbox: Outbox, released: dict[AgreementKey, int]) -> None:
    """Released money no longer counts against its agreements (in key order, like every writer)."""
    for key in sorted(released, key=lambda k: (str(k.provider_id), k.payer, k.year)):
        if released[key] <= 0:
            continue
        row = (await session.execute(
            update(A).where(_row(key)).values(used_kop=A.used_kop - released[key]).returning(A.used_kop, A.limit_kop)
            .execution_options(synchronize_session=False))).first()
        if row is not None:
            await outbox.add(session, usage_news(key, row.used_kop, row.limit_kop))
