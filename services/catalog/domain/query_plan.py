"""What a parent typed, analysed into clauses: each significant word (or thesaurus phrase) is
one clause that any of its alternatives satisfies — the words as typed (any form, derived
words), the thesaurus's synonyms and narrower terms, and, for a word nothing knows, the
known words it is a typo of. Generic words make optional clauses that rank but never exclude.
The last word, while still being typed, also matches as the start of a word («англ»)."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from services.catalog.domain.thesaurus import Phrase, Thesaurus
from services.catalog.domain.words import WORD, keys, normalise, words

Kind = Literal["typed", "synonym", "corrected"]
MAX_WORDS = 8
SHORTEST_PREFIX = 3  # «изо», «англ»; shorter beginnings would match half the catalog
SHORTEST_TYPO = 4


@dataclass(frozen=True)
class WordMatch:
    keys: frozenset[str]
    prefix: str | None = None  # the word being typed, matched as the start of a word


@dataclass(frozen=True)
class Alternative:
    words: tuple[WordMatch, ...]  # all of them must match (a phrase)
    kind: Kind


@dataclass(frozen=True)
class Clause:
    typed: str
    alternatives: tuple[Alternative, ...]
    required: bool
    weight: float = 1.0  # how telling a match is: rarer words weigh more (see `weighted`)


@dataclass(frozen=True)
class QueryPlan:
    clauses: tuple[Clause, ...]

    @property
    def required(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.required)

    @property
    def min_matched(self) -> int:
        """How many required clauses a program must match to be found at all: the one of a
        one-word query; of more, half (rounded up) — such partial matches rank below the
        programs matching all, the best of them rather than nothing."""
        n = len(self.required)
        return n if n <= 1 else (n + 1) // 2

    def word_matches(self) -> list[WordMatch]:
        return [w for c in self.clauses for a in c.alternatives for w in a.words]


def _alternative(phrase: Phrase, kind: Kind) -> Alternative:
    return Alternative(tuple(WordMatch(k) for k in phrase), kind)


def analyse(q: str, thesaurus: Thesaurus) -> QueryPlan:
    raw, significant = WORD.findall(normalise(q)), words(q)
    kept = significant[:MAX_WORDS]
    # Still typing its last word: the text ends inside a word that is not a stop word.
    typing = q[-1:].isalnum() and bool(kept) and kept[-1] == raw[-1] and len(significant) <= MAX_WORDS
    query = [keys(w) for w in kept]
    clauses, at = [], 0
    while at < len(kept):
        found = thesaurus.match(query, at)
        length = found.length if found else 1
        typed = Alternative(tuple(WordMatch(k) for k in query[at:at + length]), "typed")
        also = tuple(_alternative(p, "synonym") for p in found.finds) if found else ()
        generic = bool(found and found.generic) or all(w.isdigit() for w in kept[at:at + length])  # «10 лет»
        clauses.append(Clause(" ".join(kept[at:at + length]), (typed, *also), not generic))
        at += length
    if typing and len(kept[-1]) >= SHORTEST_PREFIX:
        clauses[-1] = _with_prefix(clauses[-1], kept[-1], thesaurus)
    return QueryPlan(tuple(clauses))


def _with_prefix(clause: Clause, word: str, thesaurus: Thesaurus) -> Clause:
    """The last word also as the start of a word; when the thesaurus did not know it, also what
    the thesaurus's words it begins find («англ» → английский, english…)."""
    typed, *rest = clause.alternatives
    last = replace(typed.words[-1], prefix=word)
    completed = [] if rest or len(typed.words) > 1 else [_alternative(p, "synonym")
                                                        for p in thesaurus.completions(word)]
    return replace(clause, alternatives=(replace(typed, words=(*typed.words[:-1], last)), *rest, *completed))


def weighted(plan: QueryPlan, programs: int, matching: Sequence[int]) -> QueryPlan:
    """The required clauses weighted by how rare their matches are among `programs` (BM25's
    inverse document frequency; `matching`: how many programs each required clause matches),
    so that of two partial matches the one matching «эколог» outranks the one matching «юный»."""
    counts = iter(matching)
    return QueryPlan(tuple(
        replace(c, weight=math.log(1 + (programs - (n := next(counts)) + 0.5) / (n + 0.5))) if c.required else c
        for c in plan.clauses))


def correctable(plan: QueryPlan) -> dict[int, WordMatch]:
    """Clauses that may be typos, by index: a required single word the thesaurus does not know."""
    return {i: c.alternatives[0].words[0] for i, c in enumerate(plan.clauses)
            if c.required and len(c.alternatives) == 1 and len(c.alternatives[0].words) == 1
            and len(c.typed) >= SHORTEST_TYPO}


def corrected(plan: QueryPlan, meant: Mapping[int, Sequence[str]], thesaurus: Thesaurus) -> QueryPlan:
    """The plan with, for each mistyped clause, the known words it was likely meant as (and what
    the thesaurus finds for them)."""
    clauses = list(plan.clauses)
    for i, terms in meant.items():
        extra: list[Alternative] = []
        for term in terms:
            extra.append(Alternative((WordMatch(keys(term)),), "corrected"))
            extra += [_alternative(p, "synonym") for p in thesaurus.finds_for(keys(term))]
        clauses[i] = replace(clauses[i], alternatives=clauses[i].alternatives + tuple(extra))
    return QueryPlan(tuple(clauses))
