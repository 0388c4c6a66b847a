"""The query mixes of the catalog-search benchmark: what families type and tick in the Navigator.

Search: Russian words in the forms people write them, derived words, typos, the word still
being typed, synonyms and generic words, the district and age filters, certificate-only, free
seats, weekday and time, sorting, paging past the first page; a first page asks for the filter
panel's facets one time in three. Suggestions: every keystroke of a query being typed."""
from __future__ import annotations

import random
from urllib.parse import urlencode

WORDS = ["робототехника", "робототехнике", "футбол", "футболу", "танцы", "танцев", "шахматы", "шахматам",
         "плавание", "программирование", "программированию python", "английский язык", "вокальная студия",
         "хореография", "рисование", "изобразительное искусство", "театр", "туризм", "краеведение",
         "химия", "астрономия", "борьба", "дзюдо", "гитара", "журналистика", "эколог", "3D", "лего",
         "кабардинские танцы", "финансовая грамотность",
         # what the richer matching is for: derived words, typos, prefixes, synonyms, generic words
         "танец", "танцевальный", "футбольная секция", "шахматный клуб", "робототехика", "футбл", "англиский",
         "англ", "робот", "хорео", "изо", "живопись", "единоборства", "IT", "пение", "кружок рисования",
         "секция борьбы для мальчиков", "занятия по плаванию", "спорт", "музыка"]
DIRECTIONS = ["technical", "natural_science", "physical_sports", "artistic", "tourism_local_history",
              "social_humanitarian"]
MUNICIPALITIES = ["chegem", "baksan", "nalchik", "neftekumsk"]
TYPED = ["робототехника", "футбол", "танцы", "шахматы", "английский язык", "изостудия", "хореография",
         "вольная борьба", "программирование", "кабардинские народные танцы", "плавание", "театральная студия",
         "астрономия", "юный эколог", "гитара", "журналистика"]


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
    elif rng.random() < 1 / 3:
        params["facets"] = "true"
    return params


def paths(n: int = 600, seed: int = 7, prefix: str = "/api/v1/programs") -> list[str]:
    rng = random.Random(seed)
    return [f"{prefix}?{urlencode(query(rng))}" for _ in range(n)]


def suggestion_paths(prefix: str = "/api/v1/programs/suggest") -> list[str]:
    """Every keystroke of every typed query: «ф», «фу», «фут»… (each a distinct request)."""
    return [f"{prefix}?{urlencode({'q': text[:n]})}" for text in TYPED for n in range(1, len(text) + 1)]
