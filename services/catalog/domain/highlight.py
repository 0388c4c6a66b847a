"""Where a query's words matched: the title and a fragment of the description as HTML-escaped
text with each matching word in <mark>…</mark>, by the same keys the search compares."""
from __future__ import annotations

import html
from dataclasses import dataclass, field

from services.catalog.domain.query_plan import QueryPlan
from services.catalog.domain.words import keys, spans

SNIPPET_CHARS = 160
LEAD_CHARS = SNIPPET_CHARS // 4  # how much of the text before the first match the fragment keeps


@dataclass
class Highlighter:
    keys: frozenset[str]
    prefixes: tuple[str, ...]
    _seen: dict[str, bool] = field(default_factory=dict)  # a page repeats its words: each is checked once

    @classmethod
    def of(cls, plan: QueryPlan) -> "Highlighter":
        matches = plan.word_matches()
        return cls(frozenset(k for w in matches for k in w.keys), tuple({w.prefix for w in matches if w.prefix}))

    def hits(self, word: str) -> bool:
        if (seen := self._seen.get(word)) is None:
            seen = self._seen[word] = not self.keys.isdisjoint(keys(word)) or (
                bool(self.prefixes) and word.startswith(self.prefixes))
        return seen

    def title(self, text: str) -> str:
        return self._marked(text, list(spans(text)), 0, len(text))

    def snippet(self, text: str) -> str | None:
        """About SNIPPET_CHARS of the description around its first match, cut between words;
        None without a match."""
        words = list(spans(text))
        first = next((i for i, (_, _, word) in enumerate(words) if self.hits(word)), None)
        if first is None:
            return None
        start_at = words[first][0] - LEAD_CHARS
        begin = next(i for i, (s, _, _) in enumerate(words) if s >= start_at or i == first)
        start = 0 if begin == 0 else words[begin][0]
        last = max([first, *(i for i in range(begin, len(words)) if words[i][1] <= start + SNIPPET_CHARS)])
        end = len(text) if last == len(words) - 1 else words[last][1]
        return (("…" if start > 0 else "") + self._marked(text, words[begin:last + 1], start, end)
                + ("…" if end < len(text) else ""))

    def _marked(self, text: str, words: list[tuple[int, int, str]], start: int, end: int) -> str:
        out, at = [], start
        for s, e, word in words:
            if self.hits(word):
                out += [html.escape(text[at:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
                at = e
        out.append(html.escape(text[at:end]))
        return "".join(out)
