"""Words as search compares them: lower case, «ё» as «е», letters and digits only, and for
each word its keys — the Snowball stem and the shorter roots of the words derived from it, so
that «танец», «танцы» and «танцевальный» or «футбол» and «футбольная» share a key. A program's
text and a parent's query go through the same function, so their keys meet."""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from services.catalog.domain.russian_stem import VOWELS, stem

WORD = re.compile(r"[0-9a-zA-Zа-яА-ЯёЁ]+")

# Words too common to tell programs apart (PostgreSQL's Russian stop list, trimmed of numbers).
STOP_WORDS = frozenset("""
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня
еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь там
потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе
под будет ж тогда кто этот того потому этого какой совсем ним здесь этом почти мой тем чтобы нее сейчас были куда
зачем всех никогда можно при наконец об другой хоть после над тот через эти нас про всего них какая разве эту моя
впрочем свою этой перед иногда том нельзя такой им всегда конечно всю между
""".split())

# Suffixes that make adjectives and nouns of a root (after the stem lost its ending), and how
# long the root must stay: «танцевальн» → «танцев», «футбольн» → «футбол», «робототехник» →
# «робототехн», «шахматн» → «шахмат». Every rule that applies adds a key: «вокальн» gives
# «вокал» (ьн) and «вок» (альн); a wrong extra key costs little, a missing one loses a match.
DERIVING = (("ическ", 3), ("ческ", 3), ("альн", 3), ("ельн", 3), ("ьн", 3), ("ск", 3), ("ен", 4), ("н", 4),
            ("ик", 3))
# A rule does not apply when a longer one it is the tail of already did: «-ическ-» is not «-ск-».
SHADOWED = {"ческ": "ическ", "ск": "ческ", "н": "ьн"}
# Then «-ов-/-ев-/-ив-» of «танцевальный» or «спортивный».
LINKING = (("ов", 4), ("ев", 4), ("ив", 4))
# A fleeting vowel: «танец» → «танц» (танца), «рисунок» → «рисунк» (рисунка).
FLEETING = re.compile(r"^(.{2,}[^аеиоуыэюя])[ео]([цк])$")


def normalise(text: str) -> str:
    return text.lower().replace("ё", "е")


def words(text: str) -> list[str]:
    """The text's words in order, normalised; stop words dropped."""
    return [w for w in (normalise(m) for m in WORD.findall(text)) if w not in STOP_WORDS]


def spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, normalised word) of every word of the text, stop words included."""
    for m in WORD.finditer(text):
        yield m.start(), m.end(), normalise(m.group())


@lru_cache(maxsize=200_000)
def keys(word: str) -> frozenset[str]:
    """The keys of one normalised word: the word itself, its stem and the roots it derives from
    (the word itself too: Snowball reads «вокал» as a verb's past and stems it «вока»)."""
    if not any(ch in VOWELS for ch in word):  # digits, Latin, abbreviations: as they are
        return frozenset((word,))
    base = stem(word)
    found = {word, base}
    for suffix, keep in DERIVING:
        shadow = SHADOWED.get(suffix)
        if base.endswith(suffix) and len(base) - len(suffix) >= keep and not (shadow and base.endswith(shadow)):
            root = base[:-len(suffix)]
            found.add(root)
            found.update(root[:-2] for link, least in LINKING if root.endswith(link) and len(root) - 2 >= least)
    found.update(m.group(1) + m.group(2) for key in list(found) if len(key) >= 5 and (m := FLEETING.match(key)))
    return frozenset(key for key in found if len(key) >= 3 or key == word)  # «изо» is no «из»


def document(title: str, description: str) -> str:
    """A program's text as a PostgreSQL tsvector literal: every word's keys and the word itself
    (so a typed prefix finds it) at the word's position, weight A in the title, B in the
    description."""
    positions: dict[str, list[str]] = {}
    for weight, text, start in (("A", title, 1), ("B", description, 1001)):
        for offset, word in enumerate(words(text)[:1000]):
            at = f"{start + offset}{weight}"
            for lexeme in keys(word):
                positions.setdefault(lexeme, []).append(at)
    return " ".join(f"'{lexeme}':{','.join(at[:255])}" for lexeme, at in positions.items())
