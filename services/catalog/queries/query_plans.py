"""Queries analysed against the thesaurus and the catalog's known words: a word that neither
knows (nor begins, while being typed) is looked up among the known words by trigram distance
and corrected to the nearest within the forgiven typos; with several words, each is weighted
by how many programs it matches. Plans are kept a minute by their text: the same words come
back all day, and these lookups are the only database work in a plan."""
from __future__ import annotations

from dataclasses import dataclass

from cachetools import TTLCache

from services.catalog.domain.highlight import Highlighter
from services.catalog.domain.query_plan import QueryPlan, WordMatch, analyse, correctable, corrected, weighted
from services.catalog.domain.thesaurus import Thesaurus
from services.catalog.domain.tsquery import clause_query
from services.catalog.domain.typos import closest
from services.catalog.queries.reads import SearchReads

NEAREST = 30  # trigram neighbours checked for typos: enough to hold a swapped letter's word

_KNOWN = "SELECT EXISTS (SELECT 1 FROM search_terms WHERE term = ANY(CAST(:keys AS text[])))"
_BEGUN = "SELECT EXISTS (SELECT 1 FROM search_terms WHERE term LIKE :begins)"
_NEAR = f"SELECT term FROM search_terms ORDER BY term <-> :word LIMIT {NEAREST}"


@dataclass(frozen=True)
class Analysed:
    plan: QueryPlan
    marks: Highlighter  # kept with the plan: it remembers which words of the pages it has seen match


class QueryPlans:
    def __init__(self, thesaurus: Thesaurus, seconds: float = 60, size: int = 4096) -> None:
        self.thesaurus = thesaurus
        self._kept: TTLCache[str, Analysed] = TTLCache(size, seconds)

    async def analysed(self, reads: SearchReads, q: str) -> Analysed:
        if (kept := self._kept.get(q)) is None:
            plan = await self.plan(reads, q)
            kept = self._kept[q] = Analysed(plan, Highlighter.of(plan))
        return kept

    async def plan(self, reads: SearchReads, q: str) -> QueryPlan:
        plan = analyse(q, self.thesaurus)
        meant = {}
        for i, word in correctable(plan).items():
            if not await _known(reads, word):
                meant[i] = closest(plan.clauses[i].typed, await _near(reads, plan.clauses[i].typed))
        plan = corrected(plan, {i: terms for i, terms in meant.items() if terms}, self.thesaurus)
        if len(plan.required) > 1:
            plan = await _weighted(reads, plan)
        return plan


async def _known(reads: SearchReads, word: WordMatch) -> bool:
    if await reads.value(_KNOWN, {"keys": sorted(word.keys)}):
        return True
    return word.prefix is not None and bool(await reads.value(_BEGUN, {"begins": word.prefix + "%"}))


async def _weighted(reads: SearchReads, plan: QueryPlan) -> QueryPlan:
    queries = {f"c{i}": clause_query(c) for i, c in enumerate(plan.required)}
    counts = ", ".join(f"(SELECT count(*) FROM program_search_text WHERE document @@ CAST(:{name} AS tsquery))"
                       for name in queries)
    [row] = await reads.rows(f"SELECT (SELECT count(*) FROM program_search), {counts}", queries)
    return weighted(plan, row[0], list(row[1:]))


async def _near(reads: SearchReads, word: str) -> list[str]:
    return [r["term"] for r in await reads.rows(_NEAR, {"word": word})]
