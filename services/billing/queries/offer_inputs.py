"""What a contract's offer reads, in one statement: the contract, the parties its offer names (the
provider's requisites, the family's account), its months with what each month's close charged, and
the kept rendering of its offer (fingerprint and hash; its bytes on request). The offer's markup,
the signature and the signature's answer need nothing more. Plain records: `offer.contract.status`."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Select, bindparam, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.precompiled import Precompiled
from services.billing.domain.documents import Parent
from services.billing.models import AccountCopy, ChargeRow, Contract, ContractMonth, OfferRendering, ProviderCopy

contracts, months, charges, renderings, providers, accounts = (
    m.__table__ for m in (Contract, ContractMonth, ChargeRow, OfferRendering, ProviderCopy, AccountCopy))


@dataclass(frozen=True)
class OfferMonth:
    month: str
    certificate_kop: int
    copay_kop: int
    planned_lessons: int
    charged_kop: int | None  # charged at the month's close (debited, or on its way); None: not charged yet


@dataclass(frozen=True)
class KeptOffer:
    """The kept rendering (`offer_renderings`) of the offer's content named by `fingerprint`."""
    fingerprint: str
    template: str
    sha256: str
    pdf: bytes | None  # None unless asked for


@dataclass(frozen=True)
class OfferInputs:
    contract: SimpleNamespace  # the contract's columns
    requisites: dict[str, Any] | None  # the provider's, as the registry announced them; None: not known
    parent: Parent | None  # the family's account; None: not known
    months: list[OfferMonth]  # every month of the contract, in order
    kept: KeptOffer | None


def _months_of_contract() -> Any:
    """The contract's months and their charges as parallel arrays (in one order; null: no months)."""
    charged = func.coalesce(charges.c.debited_kop, charges.c.amount_kop)
    return (select(*(func.array_agg(column).label(f"m_{name}") for name, column in (
        ("month", months.c.month), ("certificate_kop", months.c.certificate_kop), ("copay_kop", months.c.copay_kop),
        ("planned_lessons", months.c.planned_lessons), ("charged_kop", charged))))
        .select_from(months.outerjoin(charges, (charges.c.contract_id == months.c.contract_id)
                                      & (charges.c.month == months.c.month)))
        .where(months.c.contract_id == contracts.c.id).lateral("schedule"))


_MONTHS = _months_of_contract()
_PARTS = (providers.c.requisites.label("provider_requisites"), accounts.c.subject.label("parent_subject"),
          accounts.c.full_name.label("parent_full_name"), accounts.c.email.label("parent_email"),
          renderings.c.fingerprint.label("kept_fingerprint"), renderings.c.template.label("kept_template"),
          renderings.c.sha256.label("kept_sha256"), *_MONTHS.c)


def _query(*, lock: bool, with_pdf: bool) -> Select:
    pdf = [renderings.c.pdf.label("kept_pdf")] if with_pdf else []
    query = (select(*contracts.c, *_PARTS, *pdf)
             .select_from(contracts)
             .outerjoin(providers, providers.c.id == contracts.c.provider_id)
             .outerjoin(accounts, accounts.c.subject == contracts.c.owner)
             .outerjoin(renderings, renderings.c.contract_id == contracts.c.id)
             .outerjoin(_MONTHS, true())
             .where(contracts.c.id == bindparam("contract_id", type_=contracts.c.id.type)))
    return query.with_for_update(of=contracts) if lock else query


# Built once: building the statement per call cost about as much CPU as its round trip.
_READS = {(lock, with_pdf): Precompiled(_query(lock=lock, with_pdf=with_pdf))
          for lock in (False, True) for with_pdf in (False, True)}


async def offer_inputs(session: AsyncSession, contract_id: uuid.UUID, *, lock: bool = False,
                       with_pdf: bool = False) -> OfferInputs | None:
    """None: no such contract. `lock`: the contract's row locked for the transaction (only it);
    `with_pdf`: the kept rendering's bytes too."""
    row = await _READS[lock, with_pdf].first(session, contract_id=contract_id)
    return _inputs(row._asdict(), with_pdf) if row is not None else None


def _inputs(m, with_pdf: bool) -> OfferInputs:
    contract = SimpleNamespace(**{column.key: m[column.key] for column in contracts.c})
    parent = Parent(m["parent_full_name"], m["parent_email"]) if m["parent_subject"] is not None else None
    kept = KeptOffer(m["kept_fingerprint"], m["kept_template"], m["kept_sha256"],
                     m["kept_pdf"] if with_pdf else None) if m["kept_fingerprint"] is not None else None
    listed = zip(*(m[f"m_{name}"] or () for name in ("month", "certificate_kop", "copay_kop", "planned_lessons",
                                                     "charged_kop")), strict=True)
    return OfferInputs(contract, m["provider_requisites"], parent,
                       sorted((OfferMonth(*one) for one in listed), key=lambda one: one.month), kept)
