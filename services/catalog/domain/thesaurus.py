"""The search thesaurus as data: groups of synonyms (any member finds the others: «рисование»,
«изо», «живопись»), narrower terms (a broad word finds its kinds, not the other way round:
«единоборства» finds «дзюдо», «дзюдо» does not find «бокс») and generic words (кружок,
секция, занятия, для детей) that never exclude a program. Entries may be phrases; words
are compared by their keys, so any form of an entry's word matches it."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from services.catalog.domain.words import keys, normalise, words

Phrase = tuple[frozenset[str], ...]  # the keys of each word of an entry


def phrase(text: str) -> Phrase:
    return tuple(keys(w) for w in words(text))


def _same_word(query_keys: frozenset[str], entry_keys: frozenset[str]) -> bool:
    return not query_keys.isdisjoint(entry_keys)


@dataclass(frozen=True)
class Match:
    length: int                    # how many query words the entry covers
    finds: tuple[Phrase, ...]      # the other phrases it also finds
    generic: bool


@dataclass
class Thesaurus:
    finds: dict[Phrase, set[Phrase]] = field(default_factory=dict)
    generic: set[Phrase] = field(default_factory=set)
    _by_first_key: dict[str, list[Phrase]] = field(default_factory=dict)
    _single_words: dict[str, Phrase] = field(default_factory=dict)  # one-word entries by the word as written

    def add_synonyms(self, group: Iterable[str]) -> None:
        members = [(text, p) for text in group if (p := phrase(text))]
        for text, member in members:
            self._entry(text, member).update(m for _, m in members if m != member)

    def add_narrower(self, broad: str, kinds: Iterable[str]) -> None:
        self._entry(broad, phrase(broad)).update(p for p in map(phrase, kinds) if p)

    def add_generic(self, text: str) -> None:
        if entry := phrase(text):
            self.generic.add(entry)
            self._index(entry)

    def _entry(self, text: str, entry: Phrase) -> set[Phrase]:
        self._index(entry)
        if len(entry) == 1:
            self._single_words[normalise(text).strip()] = entry
        return self.finds.setdefault(entry, set())

    def _index(self, entry: Phrase) -> None:
        for key in entry[0]:
            known = self._by_first_key.setdefault(key, [])
            if entry not in known:
                known.append(entry)

    def match(self, query: Sequence[frozenset[str]], at: int) -> Match | None:
        """The longest entries that the query's words from `at` on spell (several: «иностранные
        языки» and «иностранный язык» are both the same two words), if any."""
        candidates = {e for key in query[at] for e in self._by_first_key.get(key, ())}
        fitting = [e for e in candidates if at + len(e) <= len(query)
                   and all(_same_word(query[at + i], word) for i, word in enumerate(e))]
        if not fitting:
            return None
        length = max(map(len, fitting))
        best = [e for e in fitting if len(e) == length]
        also = {p for e in best for p in self.finds.get(e, ())} - set(best)
        return Match(length, _ordered(also), any(e in self.generic for e in best))

    def completions(self, begun: str) -> tuple[Phrase, ...]:
        """What the one-word entries that a word still being typed begins find, with themselves:
        «англ» finds what «английский» does."""
        entries = {e for word, e in self._single_words.items() if word.startswith(begun) and e not in self.generic}
        return _ordered(entries | {p for e in entries for p in self.finds.get(e, ())})

    def finds_for(self, word_keys: frozenset[str]) -> tuple[Phrase, ...]:
        """What one word (a corrected typo) finds as a one-word entry."""
        found = self.match([word_keys], 0)
        return found.finds if found and found.length == 1 else ()


def _ordered(phrases: Iterable[Phrase]) -> tuple[Phrase, ...]:
    return tuple(sorted(phrases, key=lambda p: [sorted(w) for w in p]))


def build(documents: Iterable[Mapping]) -> Thesaurus:
    """One thesaurus from documents shaped like services/catalog/thesaurus/ru.yaml, later ones
    adding to earlier ones (a district's file extends the base one)."""
    thesaurus = Thesaurus()
    for doc in documents:
        for group in doc.get("synonyms") or ():
            thesaurus.add_synonyms(group)
        for broad, kinds in (doc.get("narrower") or {}).items():
            thesaurus.add_narrower(broad, kinds)
        for text in doc.get("generic") or ():
            thesaurus.add_generic(text)
    return thesaurus
