"""Events other services send billing, built as they would be (for billing's tests)."""
from __future__ import annotations

import uuid
from datetime import date

from pfdo_events import Envelope
from pfdo_events.catalog import ApplicationAccepted, Lesson, MonthlyShare
from pfdo_events.certificates import FundsReserved
from pfdo_events.gateway import AccountRegistered
from pfdo_events.registry import STATUS_EVENTS, AgreementChanged, ProviderRequisites, ProviderSnapshot
from pfdo_kit.bus.names import BusNames

TUESDAY = Lesson(weekday=1, starts_at="15:00", minutes=45)


def bus_names_of(svc) -> BusNames:
    s = svc.settings
    return BusNames(s.bus_exchange, s.bus_queue_prefix, s.bus_queue_expires_ms)


def accepted(*, certificate_id: uuid.UUID, child_id: uuid.UUID, owner: str = "mother", provider_id: uuid.UUID,
             group_id: uuid.UUID | None = None, months: dict[str, tuple[int, int]],
             starts_on: date, ends_on: date, municipality: str = "chegem", payer: str | None = None,
             application_id: uuid.UUID | None = None, group_name: str | None = None,
             venue: str | None = None) -> Envelope:
    """`months`: {"2026-09": (certificate share in kopecks, planned lessons)}; `payer`: the
    certificate's municipality (None: an acceptance from before regions)."""
    event = ApplicationAccepted(
        application_id=application_id or uuid.uuid4(), child_id=child_id, certificate_id=certificate_id,
        owner=owner, municipality=municipality, provider_id=provider_id, provider_name="ДЮСШ «Старт»",
        program_id=uuid.uuid4(), program_title="Шахматы для начинающих", group_id=group_id or uuid.uuid4(),
        program_register="certified", period_year=starts_on.year, starts_on=starts_on, ends_on=ends_on,
        months=[MonthlyShare(month=m, certificate_kop=kop, copay_kop=0, planned_lessons=n)
                for m, (kop, n) in sorted(months.items())],
        weekly_schedule=[TUESDAY], payer=payer, group_name=group_name, venue=venue,
    )
    return Envelope.wrap(event, district="test-district")


def reserved(application: Envelope, amount_kop: int | None = None, **parties) -> Envelope:
    """`parties`: certificate_number, child_full_name, child_birth_date (none: an answer from before documents)."""
    p = application.payload
    total = sum(m["certificate_kop"] for m in p["months"])
    return Envelope.wrap(FundsReserved(application_id=p["application_id"], certificate_id=p["certificate_id"],
                                       amount_kop=total if amount_kop is None else amount_kop,
                                       certificate_kind="funded", **parties), district="test-district")


REQUISITES = ProviderRequisites(
    full_name="Муниципальное бюджетное учреждение дополнительного образования «ДЮСШ Старт»", kind="municipal",
    inn="0712345678", ogrn="1020700000001", kpp="071201001", licence_number="Л035-01234-07/00123456",
    licence_date=date(2020, 2, 3), legal_address="КБР, г. Чегем, ул. Баксанская, 1", bank_bik="048327001",
    bank_account="03234643836450000400")


def provider_event(status: str, provider_id: uuid.UUID, *, agreement: bool = True,
                   municipality: str = "chegem", requisites: ProviderRequisites | None = None) -> Envelope:
    event_status = {"reinstated": "approved"}.get(status, status)
    snapshot = ProviderSnapshot(provider_id=provider_id, status=event_status, kind="municipal",
                                short_name="ДЮСШ «Старт»", inn="0700000000", municipality=municipality,
                                payment_agreement_number="ОП-1" if agreement else None, requisites=requisites)
    return Envelope.wrap(STATUS_EVENTS[status](provider=snapshot, actor="operator:test"), district="test-district")


def account(subject: str, full_name: str | None, email: str | None = None) -> Envelope:
    """The gateway's news of a parent's account (billing keeps whom an offer names as the family)."""
    return Envelope.wrap(AccountRegistered(subject=subject, email=email or f"{subject}@example.ru", role="parent",
                                           municipality="chegem", full_name=full_name), district="test-district")


def agreement(provider_id: uuid.UUID, municipality: str = "chegem", year: int = 2026, *, active: bool = True,
              limit_kop: int | None = None) -> Envelope:
    """The registry's news of a provider's payment agreement with a payer for a year."""
    return Envelope.wrap(AgreementChanged(provider_id=provider_id, municipality=municipality, year=year,
                                          number=f"С-{year}-{municipality}", signed_on=date(year, 1, 10),
                                          limit_kop=limit_kop, active=active), district="test-district")
