"""The enrollment rush's starting point, written straight into the services' databases as
their events would have left it: an open funding period, N children with funded, active
certificates (and the catalog's copies of them), providers with certified programs and groups
whose seats are fewer than the children."""
from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import asyncpg

from pfdo_kit.clock import Clock

CREDIT_KOP = 50_000_00
MUNICIPALITY = "chegem"
WEEKDAYS = [0, 1, 2, 3, 4, 5]  # every day but Sunday: a lesson is never far off, whatever today is
SCHEDULE = [{"weekday": d, "starts_at": "15:00", "minutes": 45} for d in WEEKDAYS]


@dataclass(frozen=True)
class Family:
    subject: str
    child_id: uuid.UUID
    certificate_id: uuid.UUID


@dataclass(frozen=True)
class RushWorld:
    families: list[Family]
    groups: list[tuple[uuid.UUID, uuid.UUID]]   # (group, provider)
    providers: list[uuid.UUID]
    seats_per_group: int


def plan(children: int, groups: int, seats: int, providers: int, seed: int = 2026) -> RushWorld:
    rng = random.Random(seed)
    families = [Family(f"bench-parent-{i}", uuid.UUID(int=rng.getrandbits(128)), uuid.UUID(int=rng.getrandbits(128)))
                for i in range(children)]
    provider_ids = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(providers)]
    group_rows = [(uuid.UUID(int=rng.getrandbits(128)), provider_ids[i % providers]) for i in range(groups)]
    return RushWorld(families, group_rows, provider_ids, seats)


async def seed_certificates(conn: asyncpg.Connection, world: RushWorld, year: int) -> None:
    await conn.execute("""
        INSERT INTO funding_periods (municipality, year, starts_on, ends_on, nominals, funded_quota, free_limits,
                                     budget_cap_kop, status)
        VALUES ($4, $1, $2, $3, '[]', 1000000, '{}', 100000000000000, 'open')""",
        year, date(year, 1, 1), date(year, 12, 31), MUNICIPALITY)
    # every provider's agreement with the children's municipality for the year, without a limit
    await conn.copy_records_to_table("agreements", columns=[
        "provider_id", "municipality", "year", "number", "signed_on", "limit_kop", "active", "used_kop", "changed_at"],
        records=[(p, MUNICIPALITY, year, f"С-{i + 1}", date(year, 1, 10), None, True, 0, datetime.now(UTC))
                 for i, p in enumerate(world.providers)])
    fams = world.families
    await conn.copy_records_to_table("children", columns=["id", "owner", "full_name", "birth_date", "snils",
                                                          "municipality", "ovz"], records=[
        (f.child_id, f.subject, f"Ребёнок Бенчмарков {i}", date(2012 + i % 8, 1 + i % 12, 1 + i % 28),
         f"{i:011d}", MUNICIPALITY, False) for i, f in enumerate(fams)])
    await conn.copy_records_to_table("certificates", columns=[
        "id", "child_id", "number", "status", "kind", "municipality", "credited_kop", "expired_kop", "held_kop",
        "debited_kop", "reversed_kop"], records=[
        (f.certificate_id, f.child_id, f"9{i:09d}", "active", "funded", MUNICIPALITY, CREDIT_KOP, 0, 0, 0, 0)
        for i, f in enumerate(fams)])
    await conn.copy_records_to_table("ledger_entries", columns=["certificate_id", "kind", "amount_kop", "cause"],
                                     records=[(f.certificate_id, "credit", CREDIT_KOP, f"period:{year}") for f in fams])


async def seed_catalog(conn: asyncpg.Connection, world: RushWorld) -> None:
    now, today = datetime.now(UTC), Clock().today()
    await conn.copy_records_to_table("providers", columns=[
        "id", "status", "short_name", "municipality", "has_payment_agreement", "event_at"], records=[
        (p, "approved", f"Центр творчества №{i}", MUNICIPALITY, True, now) for i, p in enumerate(world.providers)])
    # Each provider's agreement with the families' municipality for the year, without a limit: the payment check's.
    await conn.copy_records_to_table("agreements", columns=[
        "provider_id", "municipality", "year", "number", "limit_kop", "active", "event_at"], records=[
        (p, MUNICIPALITY, today.year, f"С-{i}", None, True, now) for i, p in enumerate(world.providers)])
    programs = [(uuid.uuid4(), provider) for _, provider in world.groups]
    await conn.copy_records_to_table("programs", columns=[
        "id", "provider_id", "status", "title", "description", "direction", "level", "form", "min_age", "max_age",
        "ovz_adapted", "registers", "certification_score", "certified_until", "municipality", "rating_sum",
        "rating_count"], records=[
        (pid, provider, "published", "Робототехника", "Занятия в небольших группах.", "technical", "basic",
         "in_person", 5, 17, False, ["certified"], 80, today + timedelta(days=730), MUNICIPALITY, 0, 0)
        for pid, provider in programs])
    modules = [(uuid.uuid4(), pid) for pid, _ in programs]
    await conn.copy_records_to_table("modules", columns=["id", "program_id", "title", "hours", "price_kop"],
                                     records=[(mid, pid, "Основной модуль", 72, 7_200_00) for mid, pid in modules])
    await conn.copy_records_to_table("groups", columns=[
        "id", "program_id", "module_id", "venue", "teacher", "schedule", "weekdays", "starts_on", "ends_on",
        "capacity", "taken", "enrollment_open"], records=[
        (gid, pid, mid, "Кабинет 1", "Педагог ДО", json.dumps(SCHEDULE), WEEKDAYS, today - timedelta(days=60),
         today + timedelta(days=250), world.seats_per_group, 0, True)
        for (gid, _), (mid, pid) in zip(world.groups, modules)])
    await conn.copy_records_to_table("certificates", columns=[
        "id", "child_id", "owner", "birth_date", "status", "municipality", "event_at", "kind", "available_kop"],
        records=[(f.certificate_id, f.child_id, f.subject, date(2012 + i % 8, 1 + i % 12, 1 + i % 28), "active",
                  MUNICIPALITY, now, "funded", CREDIT_KOP) for i, f in enumerate(world.families)])
