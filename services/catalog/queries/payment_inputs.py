"""What the payment check reads, in one statement: the certificate, the group with its program,
module and provider, and the provider's agreement with the certificate's municipality for the
year of the money (with its usage). Each part is a plain record with the columns the check and
the application's answer use; None where there is no such row."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from sqlalchemy import Integer, and_, cast, extract, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.domain.payment_check import AgreementFacts
from services.catalog.models import AgreementCopy, AgreementUsage, CertificateCopy, Group, Module, Program, Provider

_PARTS = {
    "cert": (CertificateCopy, ("id", "owner", "child_id", "status", "birth_date", "municipality", "kind",
                               "available_kop", "free_left")),
    "group": (Group, ("id", "program_id", "module_id", "venue", "teacher", "schedule", "starts_on", "ends_on",
                      "capacity", "taken", "enrollment_open")),
    "program": (Program, ("id", "provider_id", "status", "title", "direction", "min_age", "max_age", "registers",
                          "certified_until", "municipality")),
    "module": (Module, ("id", "title", "hours", "price_kop")),
    "provider": (Provider, ("id", "status", "short_name")),
    "agreement": (AgreementCopy, ("year", "active", "limit_kop")),
    "usage": (AgreementUsage, ("used_kop",)),
}


@dataclass(frozen=True)
class PaymentInputs:
    cert: SimpleNamespace | None
    group: SimpleNamespace | None
    program: SimpleNamespace | None
    module: SimpleNamespace | None
    provider: SimpleNamespace | None
    agreement: AgreementFacts | None  # for the money year (domain.payment_check.money_year); None: none known


def _columns() -> list:
    return [getattr(table, name).label(f"{part}_{name}") for part, (table, names) in _PARTS.items() for name in names]


def _part(row, part: str) -> SimpleNamespace | None:
    _, names = _PARTS[part]
    if getattr(row, f"{part}_{names[0]}") is None:  # each part's first column is never null in a row that exists
        return None
    return SimpleNamespace(**{name: getattr(row, f"{part}_{name}") for name in names})


async def payment_inputs(session: AsyncSession, group_id: uuid.UUID, today: date, *,
                         certificate_id: uuid.UUID | None = None, child_id: uuid.UUID | None = None) -> PaymentInputs:
    """The certificate (by its id or its child's) and the group, each None when unknown."""
    cert_key = CertificateCopy.id == certificate_id if certificate_id is not None else CertificateCopy.child_id == child_id
    # the money year = payment_plan.period_year(today, the group's start): the later of the two
    money_year = cast(extract("year", func.greatest(literal(today), Group.starts_on)), Integer)
    row = (await session.execute(
        select(*_columns()).select_from(CertificateCopy)
        .outerjoin(Group, Group.id == group_id)
        .outerjoin(Program, Program.id == Group.program_id)
        .outerjoin(Module, Module.id == Group.module_id)
        .outerjoin(Provider, Provider.id == Program.provider_id)
        .outerjoin(AgreementCopy, and_(AgreementCopy.provider_id == Program.provider_id,
                                       AgreementCopy.municipality == CertificateCopy.municipality,
                                       AgreementCopy.year == money_year))
        .outerjoin(AgreementUsage, and_(AgreementUsage.provider_id == AgreementCopy.provider_id,
                                        AgreementUsage.municipality == AgreementCopy.municipality,
                                        AgreementUsage.year == AgreementCopy.year))
        .where(cert_key))).first()
    if row is None:  # no such certificate
        return PaymentInputs(None, None, None, None, None, None)
    agreement = _part(row, "agreement")
    usage = _part(row, "usage")
    facts = None if agreement is None else AgreementFacts(
        active=agreement.active, limit_kop=agreement.limit_kop, used_kop=usage.used_kop if usage is not None else 0)
    return PaymentInputs(_part(row, "cert"), _part(row, "group"), _part(row, "program"), _part(row, "module"),
                         _part(row, "provider"), facts)
