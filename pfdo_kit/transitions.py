"""Statuses and the only moves between them, as data. Every service's `domain/statuses.py`
declares its table with these; a move the table does not allow is `IllegalMove`, which the
flows turn into a 409 with the Russian words of their own domain."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar


@dataclass(frozen=True)
class Move:
    """An action's allowed sources and the status it leads to. A service may subclass it to
    carry more (the event that announces the move, whether it needs a reason)."""

    sources: frozenset[str]
    target: str


M = TypeVar("M", bound=Move)


class IllegalMove(Exception):
    def __init__(self, current: str, action: str) -> None:
        super().__init__(f"cannot {action} from {current}")
        self.current, self.action = current, action


class StatusMachine(Mapping[str, M], Generic[M]):
    """The moves of one kind of object, by action."""

    def __init__(self, moves: Mapping[str, M]) -> None:
        self._moves = dict(moves)

    def __getitem__(self, action: str) -> M:
        return self._moves[action]

    def __iter__(self) -> Iterator[str]:
        return iter(self._moves)

    def __len__(self) -> int:
        return len(self._moves)

    def can(self, current: str, action: str) -> bool:
        return current in self._moves[action].sources

    def next(self, current: str, action: str) -> str:
        """The status after `action`, or IllegalMove."""
        if not self.can(current, action):
            raise IllegalMove(current, action)
        return self._moves[action].target

    def statuses(self) -> frozenset[str]:
        return frozenset(s for m in self._moves.values() for s in (*m.sources, m.target))
