"""Turning rows into what each reader may see."""
from __future__ import annotations

from pfdo_kit.auth import Principal
from services.certificates.api.schemas import (
    BalanceOut,
    CertificateOut,
    ChildOut,
    PeriodOut,
    RunOut,
    RunResult,
)
from services.certificates.domain.access import sees_full_snils
from services.certificates.domain.ledger import available
from services.certificates.domain.periods import FundingOutlook
from services.certificates.domain.snils import mask
from services.certificates.models import Certificate, Child, FundingPeriod, Run
from services.certificates.queries.children import ChildRow


def child_view(child: Child, principal: Principal, certificate_id=None, certificate_number=None,
               certificate_status=None) -> ChildOut:
    snils = child.snils if sees_full_snils(principal, child.municipality) else mask(child.snils)
    return ChildOut(id=child.id, full_name=child.full_name, birth_date=child.birth_date, snils=snils,
                    municipality=child.municipality, ovz=child.ovz, certificate_id=certificate_id,
                    certificate_number=certificate_number, certificate_status=certificate_status)


def child_row_view(row: ChildRow, principal: Principal) -> ChildOut:
    return child_view(row.child, principal, row.certificate_id, row.certificate_number, row.certificate_status)


def certificate_view(c: Certificate, outlook: FundingOutlook | None = None) -> CertificateOut:
    """The certificate with its balance; `outlook` (queries.certificates.funding_outlook_of) says what
    an active accounting certificate will get on its first certified enrollment, or why nothing."""
    balance = BalanceOut(
        credited_kop=c.credited_kop, expired_kop=c.expired_kop, reserved_kop=c.held_kop, debited_kop=c.debited_kop,
        reversed_kop=c.reversed_kop,
        available_kop=available(c.credited_kop, c.expired_kop, c.held_kop, c.debited_kop, c.reversed_kop),
    )
    return CertificateOut(id=c.id, number=c.number, child_id=c.child_id, status=c.status, kind=c.kind,
                          municipality=c.municipality, balance=balance, created_at=c.created_at,
                          expected_credit_kop=outlook.expected_kop if outlook else None,
                          funding_reason=outlook.reason if outlook else None,
                          funding_note=outlook.note if outlook else None)


def period_view(p: FundingPeriod) -> PeriodOut:
    return PeriodOut(municipality=p.municipality, year=p.year, status=p.status, starts_on=p.starts_on, ends_on=p.ends_on, nominals=p.nominals,
                     funded_quota=p.funded_quota, free_limits=p.free_limits, budget_cap_kop=p.budget_cap_kop)


def run_href(run: Run) -> str:
    """Where a run's progress is read: under the municipality's period it opens or closes, or under close-adults."""
    if run.period_year is not None:
        return f"/api/v1/municipalities/{run.municipality}/periods/{run.period_year}/runs/{run.id}"
    return f"/api/v1/certificates/close-adults/{run.id}"


def _result(run: Run) -> RunResult:
    if run.kind == "period_open":
        return RunResult(credited_certificates=run.moved_count, credited_kop=run.moved_kop,
                         stopped_at_budget=run.stopped_at_budget)
    if run.kind == "period_close":
        return RunResult(expired_certificates=run.moved_count, expired_kop=run.moved_kop)
    return RunResult(closed=run.moved_count, expired_kop=run.moved_kop)


def run_view(run: Run) -> RunOut:
    return RunOut(id=run.id, kind=run.kind, status=run.status, href=run_href(run), period_year=run.period_year,
                  municipality=run.municipality, requested_by=run.requested_by, requested_at=run.requested_at,
                  started_at=run.started_at, finished_at=run.finished_at, processed=run.processed, total=run.total,
                  result=_result(run), error=run.error)
