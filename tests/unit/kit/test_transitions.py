"""The status machine every service declares its statuses with."""
from dataclasses import dataclass

import pytest

from pfdo_kit.transitions import IllegalMove, Move, StatusMachine

DOOR = StatusMachine({"open": Move(frozenset({"closed"}), "open"), "close": Move(frozenset({"open"}), "closed"),
                      "lock": Move(frozenset({"closed"}), "locked")})


def test_only_the_moves_in_the_table_happen():
    assert DOOR.next("closed", "open") == "open" and DOOR.can("closed", "lock")
    with pytest.raises(IllegalMove) as refused:
        DOOR.next("locked", "open")
    assert (refused.value.current, refused.value.action) == ("locked", "open")
    assert not DOOR.can("open", "lock")
    assert DOOR.statuses() == {"open", "closed", "locked"} and set(DOOR) == {"open", "close", "lock"}


def test_a_move_may_carry_more():
    @dataclass(frozen=True)
    class Announced(Move):
        event: str

    machine = StatusMachine({"approve": Announced(frozenset({"submitted"}), "approved", "approved")})
    assert machine["approve"].event == "approved" and machine.next("submitted", "approve") == "approved"
