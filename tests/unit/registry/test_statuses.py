import pytest

from pfdo_events.registry import STATUS_EVENTS
from pfdo_kit.transitions import IllegalMove
from services.registry.domain.statuses import TRANSITIONS

STATUSES = ["submitted", "approved", "rejected", "suspended", "excluded"]
ALLOWED = {
    ("submitted", "approve"): "approved",
    ("submitted", "reject"): "rejected",
    ("approved", "suspend"): "suspended",
    ("suspended", "reinstate"): "approved",
    ("approved", "exclude"): "excluded",
    ("suspended", "exclude"): "excluded",
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_only_the_allowed_transitions_exist(status, action):
    if (status, action) in ALLOWED:
        assert TRANSITIONS.next(status, action) == ALLOWED[(status, action)]
    else:
        with pytest.raises(IllegalMove):
            TRANSITIONS.next(status, action)


def test_rejected_and_excluded_are_final():
    for final in ("rejected", "excluded"):
        assert not any(final in t.sources for t in TRANSITIONS.values())


def test_every_transition_is_announced_by_a_known_event():
    assert {t.event for t in TRANSITIONS.values()} <= set(STATUS_EVENTS)
