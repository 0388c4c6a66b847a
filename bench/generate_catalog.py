"""Fill a catalog database with a region-sized data set for the benchmarks.

    python -m bench.generate_catalog postgresql://postgres@127.0.0.1/catalog --programs 7000 --groups 25000

Providers (approved), published programs with Russian titles and descriptions across the six
directions, one module each, and groups spread over the week. Rows go in with COPY, so a
region loads in seconds. Deterministic for a given --seed.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import asyncpg

from pfdo_kit.db import asyncpg_dsn

TOPICS = {
    "technical": ["Робототехника", "Программирование на Python", "3D-моделирование", "Авиамоделирование",
                  "Радиоэлектроника", "Лего-конструирование", "Компьютерная графика"],
    "natural_science": ["Юный эколог", "Занимательная химия", "Астрономия", "Биология растений", "Физика вокруг нас"],
    "physical_sports": ["Футбол", "Вольная борьба", "Плавание", "Шахматы", "Дзюдо", "Лёгкая атлетика", "Волейбол"],
    "artistic": ["Вокальная студия", "Хореография", "Изобразительное искусство", "Гончарная мастерская",
                 "Театральная студия", "Игра на гитаре", "Кабардинские народные танцы"],
    "tourism_local_history": ["Краеведение", "Юный турист", "Горный туризм", "История родного края"],
    "social_humanitarian": ["Журналистика", "Английский язык", "Юный экскурсовод", "Финансовая грамотность",
                            "Волонтёрство", "Психология общения"],
}
TAILS = ["для начинающих", "для младших школьников", "продвинутый курс", "для подростков", "базовый уровень", ""]
SENTENCES = [
    "Занятия проходят в небольших группах с опытным педагогом.",
    "Дети учатся работать в команде и доводить дело до конца.",
    "В конце года ребята показывают свои проекты родителям.",
    "Программа развивает внимание, память и творческое мышление.",
    "Участники готовятся к районным и республиканским конкурсам.",
    "Все материалы и оборудование предоставляются.",
]
MUNICIPALITIES = ["chegem", "baksan", "nalchik", "prokhladny", "tersk", "urvan", "chereksky", "elbrus", "zolsky",
                  "leskensky", "maysky", "neftekumsk"]
LEVELS, FORMS = ["starting", "basic", "advanced"], ["in_person", "in_person", "in_person", "distance", "network"]


def _programs(rng: random.Random, providers: list[tuple[uuid.UUID, str]], n: int, today: date):
    for _ in range(n):
        direction = rng.choice(list(TOPICS))
        title = f"{rng.choice(TOPICS[direction])} {rng.choice(TAILS)}".strip()
        provider_id, municipality = rng.choice(providers)
        min_age = rng.randint(5, 14)
        certified = rng.random() < 0.6
        registers = ["certified"] if certified else [rng.choice(["significant", "preprofessional", "other"])]
        yield (uuid.uuid4(), provider_id, "published", title, " ".join(rng.sample(SENTENCES, 3)), direction,
               rng.choice(LEVELS), rng.choice(FORMS), min_age, min(17, min_age + rng.randint(2, 6)),
               rng.random() < 0.1, registers, rng.randint(60, 100) if certified else None,
               today + timedelta(days=365) if certified else None, None, municipality,
               rng.randint(0, 50) * 4, rng.randint(0, 50))


async def generate(url: str, programs: int, groups: int, providers: int, seed: int) -> dict[str, float]:
    rng, today, started = random.Random(seed), date.today(), time.perf_counter()
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        now = datetime.now(UTC)
        provider_rows = [(uuid.uuid4(), "approved", f"Поставщик №{i}", rng.choice(MUNICIPALITIES), True, now)
                         for i in range(providers)]
        await conn.copy_records_to_table("providers", records=provider_rows, columns=[
            "id", "status", "short_name", "municipality", "has_payment_agreement", "event_at"])
        program_rows = list(_programs(rng, [(p[0], p[3]) for p in provider_rows], programs, today))
        await conn.copy_records_to_table("programs", records=program_rows, columns=[
            "id", "provider_id", "status", "title", "description", "direction", "level", "form", "min_age",
            "max_age", "ovz_adapted", "registers", "certification_score", "certified_until", "enrollment_limit",
            "municipality", "rating_sum", "rating_count"])
        module_rows = [(uuid.uuid4(), p[0], "Основной модуль", rng.choice([36, 72, 144]),
                        rng.randint(50, 300) * 100_00) for p in program_rows]
        await conn.copy_records_to_table("modules", records=module_rows,
                                         columns=["id", "program_id", "title", "hours", "price_kop"])
        group_rows = []
        for i in range(groups):
            module = module_rows[i % len(module_rows)] if i < len(module_rows) else rng.choice(module_rows)
            days = sorted(rng.sample(range(6), rng.randint(1, 3)))
            schedule = [{"weekday": d, "starts_at": f"{rng.randint(9, 18):02d}:00", "minutes": 45} for d in days]
            capacity = rng.randint(8, 25)
            start = today + timedelta(days=rng.randint(-60, 60))
            group_rows.append((uuid.uuid4(), module[1], module[0], "Учебный кабинет", "Педагог ДО",
                               json.dumps(schedule, ensure_ascii=False), days, start, start + timedelta(days=270),
                               capacity, rng.randint(0, capacity), rng.random() < 0.9))
        await conn.copy_records_to_table("groups", records=group_rows, columns=[
            "id", "program_id", "module_id", "venue", "teacher", "schedule", "weekdays", "starts_on", "ends_on",
            "capacity", "taken", "enrollment_open"])
        await conn.execute("ANALYZE providers; ANALYZE programs; ANALYZE modules; ANALYZE groups")
    finally:
        await conn.close()
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
