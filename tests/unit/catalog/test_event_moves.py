"""The saga's endings move an application with one UPDATE and pass its seat on without reading
it first: that holds only while every status they start from holds a seat."""
from services.catalog.domain.statuses import APPLICATION_MOVES, HOLDING_SEAT


def test_the_moves_an_event_ends_start_only_from_statuses_that_hold_a_seat():
    for action in ("refuse_funds", "terminate"):
        assert APPLICATION_MOVES[action].sources <= HOLDING_SEAT, action
