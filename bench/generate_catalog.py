"""Fill a catalog database with a region-sized data set for the benchmarks and the relevance tests.

    python -m bench.generate_catalog postgresql://postgres@127.0.0.1/catalog --programs 7000 --groups 25000

Providers (approved), published programs drawn from the demo district's topics
(deploy/demo/programs.py: titles as providers name them, descriptions of what the classes do,
across the six directions), one module each, and groups spread over the week. Rows go in with
COPY, then search's projection is written the way the service's sweeper writes it. Deterministic
for a given --seed (ids included), so a test knows each program's topic.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import asyncpg

from deploy.demo.programs import TOPICS, Topic, description
from pfdo_kit.clock import Clock
from pfdo_kit.db import asyncpg_dsn, make_engine, make_sessions
from services.catalog.flows.search_projection import CATCH_UP_BATCH, catch_up

TAILS = ["для начинающих", "для младших школьников", "продвинутый курс", "для подростков", "базовый уровень"]
MUNICIPALITIES = ["chegem", "baksan", "nalchik", "prokhladny", "tersk", "urvan", "chereksky", "elbrus", "zolsky",
                  "leskensky", "maysky", "neftekumsk"]
LEVELS, FORMS = ["starting", "basic", "advanced"], ["in_person", "in_person", "in_person", "distance", "network"]
PROGRAM_COLUMNS = ["id", "provider_id", "status", "title", "description", "direction", "level", "form", "min_age",
                   "max_age", "ovz_adapted", "registers", "certification_score", "certified_until",
                   "enrollment_limit", "municipality", "rating_sum", "rating_count"]


@dataclass
class Catalog:
    providers: list[tuple] = field(default_factory=list)
    programs: list[tuple] = field(default_factory=list)
    modules: list[tuple] = field(default_factory=list)
    groups: list[tuple] = field(default_factory=list)
    topics: dict[uuid.UUID, str] = field(default_factory=dict)  # program id → deploy/demo/programs topic key


def _program(rng: random.Random, topic: Topic, provider: tuple, today: date) -> tuple:
    title = rng.choice(topic.titles)
    if rng.random() < 0.3:
        title = f"{title} {rng.choice(TAILS)}"
    low, high = topic.ages
    min_age = rng.randint(low, max(low, high - 3))
    certified = rng.random() < 0.6
    registers = ["certified"] if certified else [rng.choice(["significant", "preprofessional", "other"])]
    return (uuid.UUID(int=rng.getrandbits(128)), provider[0], "published", title,
            description(topic, rng.randrange(12)), topic.direction, rng.choice(LEVELS), rng.choice(FORMS), min_age,
            rng.randint(min_age + 2, high) if min_age + 2 <= high else high, rng.random() < 0.1, registers,
            rng.randint(60, 100) if certified else None, today + timedelta(days=365) if certified else None, None,
            provider[3], rng.randint(0, 50) * 4, rng.randint(0, 50))


def plan_catalog(programs: int, groups: int, providers: int, seed: int, today: date) -> Catalog:
    rng, now, catalog = random.Random(seed), datetime.now(UTC), Catalog()
    catalog.providers = [(uuid.UUID(int=rng.getrandbits(128)), "approved", f"Поставщик №{i}",
                          rng.choice(MUNICIPALITIES), True, now) for i in range(providers)]
    for _ in range(programs):
        topic = rng.choice(TOPICS)
        row = _program(rng, topic, rng.choice(catalog.providers), today)
        catalog.programs.append(row)
        catalog.topics[row[0]] = topic.key
    catalog.modules = [(uuid.UUID(int=rng.getrandbits(128)), p[0], "Основной модуль", rng.choice([36, 72, 144]),
                        rng.randint(50, 300) * 100_00) for p in catalog.programs]
    for i in range(groups):
        module = catalog.modules[i] if i < len(catalog.modules) else rng.choice(catalog.modules)
        days = sorted(rng.sample(range(6), rng.randint(1, 3)))
        schedule = [{"weekday": d, "starts_at": f"{rng.randint(9, 18):02d}:00", "minutes": 45} for d in days]
        capacity = rng.randint(8, 25)
        start = today + timedelta(days=rng.randint(-60, 60))
        catalog.groups.append((uuid.UUID(int=rng.getrandbits(128)), module[1], module[0], "Учебный кабинет",
                               "Педагог ДО", json.dumps(schedule, ensure_ascii=False), days, start,
                               start + timedelta(days=270), capacity, rng.randint(0, capacity), rng.random() < 0.9))
    return catalog


async def load_catalog(url: str, catalog: Catalog, today: date) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.copy_records_to_table("providers", records=catalog.providers, columns=[
            "id", "status", "short_name", "municipality", "has_payment_agreement", "event_at"])
        await conn.copy_records_to_table("programs", records=catalog.programs, columns=PROGRAM_COLUMNS)
        await conn.copy_records_to_table("modules", records=catalog.modules,
                                         columns=["id", "program_id", "title", "hours", "price_kop"])
        await conn.copy_records_to_table("groups", records=catalog.groups, columns=[
            "id", "program_id", "module_id", "venue", "teacher", "schedule", "weekdays", "starts_on", "ends_on",
            "capacity", "taken", "enrollment_open"])
    finally:
        await conn.close()
    await project(url, today)


async def project(url: str, today: date) -> None:
    """Search's projection of everything loaded, batch by batch as the catalog's sweeper does."""
    engine = make_engine(url)
    try:
        sessions = make_sessions(engine)
        while True:
            async with sessions() as session, session.begin():
                if await catch_up(session, today) < CATCH_UP_BATCH:
                    break
        async with engine.begin() as conn:
            for table in ("providers", "programs", "modules", "groups", "program_search", "program_search_text",
                          "search_terms",
                          "search_phrases"):
                await conn.exec_driver_sql(f"ANALYZE {table}")
    finally:
        await engine.dispose()


async def generate(url: str, programs: int, groups: int, providers: int, seed: int) -> dict[str, float]:
    today, started = Clock().today(), time.perf_counter()
    await load_catalog(url, plan_catalog(programs, groups, providers, seed, today), today)
    return {"providers": providers, "programs": programs, "groups": groups,
            "seconds": round(time.perf_counter() - started, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url", help="a migrated catalog database")
    parser.add_argument("--programs", type=int, default=7000)
    parser.add_argument("--groups", type=int, default=25000)
    parser.add_argument("--providers", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    print(asyncio.run(generate(args.database_url, args.programs, args.groups, args.providers, args.seed)))


if __name__ == "__main__":
    main()
