"""Typo tolerance: how far apart two words are (a wrong, missing, extra or swapped letter is
one step), and which known words a mistyped one most likely meant."""
from __future__ import annotations

from collections.abc import Iterable


def distance(a: str, b: str) -> int:
    """Damerau–Levenshtein distance (optimal string alignment): «футбл» → «футбол» 1 (missing),
    «фубтол» → «футбол» 1 (swapped)."""
    if a == b:
        return 0
    before, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            step = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                step = min(step, before[j - 2] + 1)
            current.append(step)
        before, previous = previous, current
    return previous[-1]


def allowed(word: str) -> int:
    """Typos forgiven in a word of this length: none in short words, where one letter makes
    another word (кот, код), one up to six letters, two beyond."""
    return 0 if len(word) <= 3 else 1 if len(word) <= 6 else 2


def closest(word: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The known words within the forgiven distance, nearest first (at most `limit`, only the
    nearest distance found)."""
    most = allowed(word)
    if most == 0:
        return []
    scored = sorted((d, k) for k in set(known) if k != word and (d := distance(word, k)) <= most)
    if not scored:
        return []
    best = scored[0][0]
    return [k for d, k in scored if d == best][:limit]
