"""What the dead-letters command shows of a message: ours, the broker's, or neither's stamps."""
from __future__ import annotations

from datetime import UTC, datetime

from pfdo_kit.bus.dead_letters import DeadLetter


def _letter(headers: dict, message_id: str | None = "m-1", **properties) -> DeadLetter:
    return DeadLetter("pfdo.catalog.providers", message_id, b'{"id": 1}', headers, properties)


def test_our_consumer_stamps_come_first():
    letter = _letter({"x-pfdo-error": "invalid message: bad", "x-pfdo-routing-key": "registry.provider.approved.v1",
                      "x-pfdo-dead-lettered-at": "2026-05-01T10:00:03+00:00", "x-pfdo-replays": 2},
                     type="other.v1")
    assert letter.reason == "invalid message: bad"
    assert letter.event == "registry.provider.approved.v1"
    assert letter.dead_lettered_at == datetime(2026, 5, 1, 10, 0, 3, tzinfo=UTC)
    assert letter.replays == 2 and letter.address == "m-1" and letter.matches("m-1")


def test_the_brokers_delivery_limit_death_is_read_from_x_death():
    died = datetime(2026, 5, 1, 9, 0)
    letter = _letter({"x-death": [{"reason": b"delivery_limit", "queue": b"pfdo.catalog.providers", "time": died,
                                   "routing-keys": [b"registry.provider.suspended.v1"]}]})
    assert letter.reason == "broker: delivery_limit (pfdo.catalog.providers)"
    assert letter.event == "registry.provider.suspended.v1"
    assert letter.dead_lettered_at == died


def test_a_message_without_id_or_stamps_is_still_addressable():
    letter = _letter({"x-pfdo-dead-lettered-at": "not a date"}, message_id=None, timestamp=datetime(2026, 1, 1))
    assert letter.address.startswith("body:") and letter.matches(letter.address)
    assert letter.reason == "unknown" and letter.event is None
    assert letter.dead_lettered_at == datetime(2026, 1, 1)
