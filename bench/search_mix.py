"""The query mix of the catalog-search benchmark: what families type and tick in the Navigator —
Russian words in the forms people write them, the district and age filters, certificate-only,
free seats, weekday and time, sorting, and paging past the first page."""
from __future__ import annotations

import random
from urllib.parse import urlencode

WORDS = ["робототехника", "робототехнике", "футбол", "футболу", "танцы", "танцев", "шахматы", "шахматам",
         "плавание", "программирование", "программированию python", "английский язык", "вокальная студия",
         "хореография", "рисование", "изобразительное искусство", "театр", "туризм", "краеведение",
         "химия", "астрономия", "борьба", "дзюдо", "гитара", "журналистика", "эколог", "3D", "лего",
         "кабардинские танцы", "финансовая грамотность"]
DIRECTIONS = ["technical", "natural_science", "physical_sports", "artistic", "tourism_local_history",
              "social_humanitarian"]
MUNICIPALITIES = ["chegem", "baksan", "nalchik", "neftekumsk"]


def query(rng: random.Random) -> dict[str, str | int]:
    params: dict[str, str | int] = {}
    if rng.random() < 0.7:
        params["q"] = rng.choice(WORDS)
    else:
        params["direction"] = rng.choice(DIRECTIONS)
    if rng.random() < 0.6:
        params["municipality"] = rng.choice(MUNICIPALITIES)
    if rng.random() < 0.5:
        params["age"] = rng.randint(6, 16)
    if rng.random() < 0.3:
        params["certificate"] = "true"
    if rng.random() < 0.2:
        params["free_seats"] = "true"
    if rng.random() < 0.15:
        params["weekday"] = rng.randint(0, 5)
        if rng.random() < 0.5:
            params["after"] = f"{rng.randint(14, 17)}:00"
    if rng.random() < 0.15:
        params["sort"] = rng.choice(["rating", "start"])
    if rng.random() < 0.25:
        params["page"] = rng.randint(2, 5)
    return params


def paths(n: int = 600, seed: int = 7, prefix: str = "/api/v1/programs") -> list[str]:
    rng = random.Random(seed)
    return [f"{prefix}?{urlencode(query(rng))}" for _ in range(n)]
