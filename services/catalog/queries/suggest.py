"""Suggestions while typing: up to ten titles of listed programs that what has been typed
so far begins (word by word, in any order), the most common first; with none, the titles
nearest by trigrams (a typo in the word being typed)."""
from __future__ import annotations

from services.catalog.domain.tsquery import suggestion_query
from services.catalog.domain.words import normalise
from services.catalog.queries.reads import SearchReads

SHORTEST_FOR_TYPOS = 4

_BEGUN = """SELECT phrase FROM search_phrases WHERE words @@ CAST(:query AS tsquery)
             ORDER BY programs DESC, phrase LIMIT :limit"""
_NEAR = """SELECT phrase FROM search_phrases WHERE :typed <% phrase
            ORDER BY :typed <<-> phrase, programs DESC, phrase LIMIT :limit"""


async def suggest(reads: SearchReads, q: str, limit: int = 10) -> list[str]:
    query = suggestion_query(q)
    if query is None:
        return []
    found = [r["phrase"] for r in await reads.rows(_BEGUN, {"query": query, "limit": limit})]
    typed = normalise(q).strip()
    if not found and len(typed) >= SHORTEST_FOR_TYPOS:
        found = [r["phrase"] for r in await reads.rows(_NEAR, {"typed": typed, "limit": limit})]
    return found
