"""The Snowball stemmer for Russian (snowballstem.org/algorithms/russian), the algorithm
PostgreSQL's `russian` configuration uses: it strips inflectional endings, so «танцы»,
«танцам», «танцами» share «танц». Words arrive lower-cased with «ё» already made «е»."""
from __future__ import annotations

VOWELS = frozenset("аеиоуыэюя")


def _longest_first(*endings: str) -> tuple[str, ...]:
    return tuple(sorted(endings, key=len, reverse=True))


PERFECTIVE_GERUND_AFTER_A = _longest_first("в", "вши", "вшись")
PERFECTIVE_GERUND = _longest_first("ив", "ивши", "ившись", "ыв", "ывши", "ывшись")
ADJECTIVE = _longest_first("ее", "ие", "ые", "ое", "ими", "ыми", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом",
                           "его", "ого", "ему", "ому", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею")
PARTICIPLE_AFTER_A = _longest_first("ем", "нн", "вш", "ющ", "щ")
PARTICIPLE = _longest_first("ивш", "ывш", "ующ")
REFLEXIVE = _longest_first("ся", "сь")
VERB_AFTER_A = _longest_first("ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны",
                              "ть", "ешь", "нно")
VERB = _longest_first("ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "ей", "уй", "ил", "ыл", "им", "ым",
                      "ен", "ило", "ыло", "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить", "ыть", "ишь", "ую", "ю")
NOUN = _longest_first("а", "ев", "ов", "ие", "ье", "е", "иями", "ями", "ами", "еи", "ии", "и", "ией", "ей", "ой",
                      "ий", "й", "иям", "ям", "ием", "ем", "ам", "ом", "о", "у", "ах", "иях", "ях", "ы", "ь", "ию",
                      "ью", "ю", "ия", "ья", "я")
DERIVATIONAL = _longest_first("ост", "ость")


def _regions(word: str) -> tuple[int, int]:
    """RV (after the first vowel) and R2, as start indexes."""
    n, i = len(word), 0
    while i < n and word[i] not in VOWELS:
        i += 1
    rv = min(i + 1, n)
    positions, i, found_vowel = [], rv, True
    while i < n and len(positions) < 2:  # R1 then R2: after a non-vowel that follows a vowel
        if found_vowel and word[i] not in VOWELS:
            positions.append(i + 1)
            found_vowel = False
        elif word[i] in VOWELS:
            found_vowel = True
        i += 1
    r2 = positions[1] if len(positions) == 2 else n
    return rv, r2


def _ending(word: str, start: int, endings: tuple[str, ...]) -> str:
    """The longest of `endings` the word ends with inside its region (from `start`), or ""."""
    return next((e for e in endings if word.endswith(e) and len(word) - len(e) >= start), "")


def _cut(word: str, start: int, endings: tuple[str, ...], after_a: tuple[str, ...] = ()) -> str | None:
    """The word without its longest ending inside the region, or None when none applies. Endings
    of `after_a` count only after «а» or «я» (itself inside the region), which stays; the longest
    ending of either group decides which rule applies."""
    plain, preceded = _ending(word, start, endings), _ending(word, start, after_a)
    if len(plain) >= len(preceded):
        return word[:-len(plain)] if plain else None
    cut = len(word) - len(preceded)
    return word[:cut] if cut - 1 >= start and word[cut - 1] in "ая" else None


def _adjectival(word: str, rv: int) -> str | None:
    stem = _cut(word, rv, ADJECTIVE)
    if stem is None:
        return None
    return _cut(stem, rv, PARTICIPLE, PARTICIPLE_AFTER_A) or stem


def stem(word: str) -> str:
    if len(word) < 3:
        return word
    rv, r2 = _regions(word)
    gerund = _cut(word, rv, PERFECTIVE_GERUND, PERFECTIVE_GERUND_AFTER_A)
    if gerund is not None:
        word = gerund
    else:
        word = _cut(word, rv, REFLEXIVE) or word
        word = _adjectival(word, rv) or _cut(word, rv, VERB, VERB_AFTER_A) or _cut(word, rv, NOUN) or word
    if word.endswith("и") and len(word) - 1 >= rv:
        word = word[:-1]
    word = _cut(word, r2, DERIVATIONAL) or word
    return _tidy_up(word, rv)


def _tidy_up(word: str, rv: int) -> str:
    superlative = _cut(word, rv, _longest_first("ейш", "ейше"))
    if superlative is not None:
        word = superlative
    if word.endswith("нн") and len(word) - 1 >= rv:
        return word[:-1]
    if superlative is None and word.endswith("ь") and len(word) - 1 >= rv:
        return word[:-1]
    return word
