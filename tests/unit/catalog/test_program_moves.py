"""A program's status machine: only a published program is unpublished, anything is published
again; modules change only in a draft."""
from __future__ import annotations

from services.catalog.domain.statuses import DRAFT, MODULES_EDITABLE, PROGRAM_MOVES, PUBLISHED, UNPUBLISHED


def test_unpublish_only_what_was_published_and_publish_reopens():
    assert PROGRAM_MOVES.next(PUBLISHED, "unpublish") == UNPUBLISHED
    assert PROGRAM_MOVES.next(UNPUBLISHED, "unpublish") == UNPUBLISHED  # a repeat changes nothing
    assert not PROGRAM_MOVES.can(DRAFT, "unpublish")
    assert PROGRAM_MOVES.next(UNPUBLISHED, "publish") == PUBLISHED


def test_modules_are_frozen_once_families_could_apply():
    assert MODULES_EDITABLE == {DRAFT}
