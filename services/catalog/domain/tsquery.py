"""A query plan as PostgreSQL tsquery texts over the documents `words.document` writes, and
how a clause scores: the words as typed in the title count most, then a synonym or a
corrected typo in the title, then the same in the description; generic words a quarter."""
from __future__ import annotations

from services.catalog.domain.query_plan import Clause, QueryPlan, WordMatch
from services.catalog.domain.words import STOP_WORDS, WORD, keys, normalise

# (alternatives, weight) tiers of one clause, best first, with their points.
TIERS = ((("typed",), "A", 4.0), (("typed", "synonym", "corrected"), "A", 3.0),
         (("typed",), "", 2.0), (("typed", "synonym", "corrected"), "", 1.0))
OPTIONAL_SHARE = 0.25


def _word(w: WordMatch, weight: str) -> str:
    lexemes = [f"'{key}':{weight}" if weight else f"'{key}'" for key in sorted(w.keys)]
    if w.prefix:
        lexemes.append(f"'{w.prefix}':*{weight}")
    return lexemes[0] if len(lexemes) == 1 else "(" + " | ".join(lexemes) + ")"


def clause_query(clause: Clause, kinds: tuple[str, ...] = ("typed", "synonym", "corrected"),
                 weight: str = "") -> str | None:
    """The tsquery any of the clause's alternatives of these kinds satisfies (in the title only
    with weight "A"); None when it has none of them."""
    parts = [" & ".join(_word(w, weight) for w in a.words) for a in clause.alternatives if a.kind in kinds]
    if not parts:
        return None
    return " | ".join(f"({p})" if "&" in p and len(parts) > 1 else p for p in parts)


def any_required(plan: QueryPlan) -> str | None:
    """What a program must match at least one clause of to be a candidate; None: every program is."""
    parts = [clause_query(c) for c in plan.required]
    return " | ".join(f"({p})" for p in parts) if parts else None


def tiers(clause: Clause) -> list[tuple[str, float]]:
    """(tsquery, points) to try in order; the first the program matches gives the clause's score."""
    found, seen = [], set()
    share = clause.weight if clause.required else OPTIONAL_SHARE
    for kinds, weight, points in TIERS:
        query = clause_query(clause, kinds, weight)
        if query is not None and query not in seen:
            seen.add(query)
            found.append((query, round(points * share, 3)))
    return found


def suggestion_query(q: str) -> str | None:
    """Titles to suggest for what has been typed so far: every word in any form, the last one
    (however short, a stop word too: «во» may become «вольная») also as the start of a word;
    None with nothing typed."""
    typed = WORD.findall(normalise(q))
    typing = q[-1:].isalnum()
    complete = [w for w in (typed[:-1] if typing else typed) if w not in STOP_WORDS]
    parts = [_word(WordMatch(keys(w)), "") for w in complete]
    if typing and typed:
        parts.append(_word(WordMatch(keys(typed[-1]), typed[-1]), ""))
    return " & ".join(parts) or None
