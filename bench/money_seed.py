"""Seeding many funded certificates and signed contracts straight into the two services'
databases, as the enrollment saga would leave them (for month-close tests at volume)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text


@dataclass(frozen=True)
class SeededContract:
    contract_id: uuid.UUID
    certificate_id: uuid.UUID
    child_id: uuid.UUID
    provider_id: uuid.UUID
    group_id: uuid.UUID
    monthly_kop: int
    months: tuple[str, ...]
    reserved_kop: int


def plan(n: int, providers: list[uuid.UUID], months: tuple[str, ...], monthly_kop: int = 500_00,
         per_group: int = 20) -> list[SeededContract]:
    groups = [uuid.uuid4() for _ in range(n // per_group + 1)]
    return [SeededContract(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), providers[i % len(providers)],
                           groups[i // per_group], monthly_kop, months, monthly_kop * len(months))
            for i in range(n)]


async def seed_certificates(session, contracts: list[SeededContract], credit_kop: int) -> None:
    """Active funded certificates credited `credit_kop`, each holding its contract's reservation."""
    ids = [c.certificate_id for c in contracts]
    held = [c.reserved_kop for c in contracts]
    await session.execute(text("""
        INSERT INTO certificates (id, number, status, kind, municipality, credited_kop, held_kop, expired_kop,
                                  debited_kop, reversed_kop)
        SELECT id, '8' || lpad(n::text, 9, '0'), 'active', 'funded', 'chegem', :credit, held, 0, 0, 0
          FROM unnest(CAST(:ids AS uuid[]), CAST(:held AS bigint[])) WITH ORDINALITY AS t(id, held, n)"""),
        dict(ids=ids, held=held, credit=credit_kop))
    await session.execute(text("""
        INSERT INTO ledger_entries (certificate_id, kind, amount_kop, cause)
        SELECT id, 'credit', :credit, 'seed:credit' FROM unnest(CAST(:ids AS uuid[])) AS t(id)"""),
        dict(ids=ids, credit=credit_kop))
    await session.execute(text("""
        INSERT INTO ledger_entries (certificate_id, kind, amount_kop, cause, contract_id)
        SELECT cert, 'reserve', held, 'application:' || contract, contract
          FROM unnest(CAST(:ids AS uuid[]), CAST(:contracts AS uuid[]), CAST(:held AS bigint[])) AS t(cert, contract, held)"""),
        dict(ids=ids, contracts=[c.contract_id for c in contracts], held=held))
    await session.execute(text("""
        INSERT INTO reservations (contract_id, certificate_id, held_kop, debited_kop)
        SELECT contract, cert, held, 0
          FROM unnest(CAST(:ids AS uuid[]), CAST(:contracts AS uuid[]), CAST(:held AS bigint[])) AS t(cert, contract, held)"""),
        dict(ids=ids, contracts=[c.contract_id for c in contracts], held=held))


async def seed_contracts(session, contracts: list[SeededContract], signed_on: date, planned_lessons: int = 4,
                         payers: list[str] | None = None) -> None:
    """Signed contracts, their monthly schedule, and nothing attended yet; `payers`: each contract's
    payer municipality (all chegem by default)."""
    await session.execute(text("""
        INSERT INTO contracts (id, number, status, owner, municipality, payer, period_year, child_id,
                               certificate_id, provider_id, provider_name, program_id, program_title, group_id,
                               program_register, starts_on, ends_on, weekly_schedule, first_month, last_month,
                               reserved_kop, released_kop, charged_kop, closed_out, signed_on, signed_by)
        SELECT id, 'ДС-' || lpad(n::text, 7, '0'), 'signed', 'parent-' || n, 'chegem', payer, :year, child,
               cert, provider, 'ДЮСШ', gen_random_uuid(), 'Футбол', grp, 'certified', :starts, :ends,
               '[{"weekday": 1, "starts_at": "15:00", "minutes": 45}]', :first, :last, reserved, 0, 0, false,
               :signed, 'parent'
          FROM unnest(CAST(:ids AS uuid[]), CAST(:children AS uuid[]), CAST(:certs AS uuid[]),
                      CAST(:providers AS uuid[]), CAST(:groups AS uuid[]), CAST(:reserved AS bigint[]),
                      CAST(:payers AS text[]))
               WITH ORDINALITY AS t(id, child, cert, provider, grp, reserved, payer, n)"""),
        dict(ids=[c.contract_id for c in contracts], children=[c.child_id for c in contracts],
             certs=[c.certificate_id for c in contracts], providers=[c.provider_id for c in contracts],
             groups=[c.group_id for c in contracts], reserved=[c.reserved_kop for c in contracts],
             starts=date.fromisoformat(contracts[0].months[0] + "-01"), ends=date(2026, 12, 31),
             first=contracts[0].months[0], last=contracts[0].months[-1], signed=signed_on,
             payers=payers or ["chegem"] * len(contracts), year=int(contracts[0].months[0][:4])))
    for month in contracts[0].months:
        await session.execute(text("""
            INSERT INTO contract_months (contract_id, month, certificate_kop, copay_kop, planned_lessons)
            SELECT id, :month, kop, 0, :planned FROM unnest(CAST(:ids AS uuid[]), CAST(:kops AS bigint[])) AS t(id, kop)"""),
            dict(ids=[c.contract_id for c in contracts], kops=[c.monthly_kop for c in contracts], month=month,
                 planned=planned_lessons))


async def seed_attendance(session, marks: list[tuple[uuid.UUID, uuid.UUID, date, bool]]) -> None:
    """(contract, group, lesson date, present) marks."""
    await session.execute(text("""
        INSERT INTO attendance (contract_id, lesson_date, present, group_id, marked_by)
        SELECT c, d, p, g, 'provider:seed'
          FROM unnest(CAST(:c AS uuid[]), CAST(:g AS uuid[]), CAST(:d AS date[]), CAST(:p AS boolean[])) AS t(c, g, d, p)"""),
        dict(c=[m[0] for m in marks], g=[m[1] for m in marks], d=[m[2] for m in marks], p=[m[3] for m in marks]))
