"""Poison messages for a consumer: not JSON, an unknown event version, missing fields, wrong types."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from pfdo_events import Envelope, Event

KINDS = ("not_json", "unknown_version", "missing_fields", "wrong_types")


@dataclass(frozen=True)
class Poison:
    message_id: str
    routing_key: str  # one the consumer's queue is bound to, so it reaches the consumer
    body: bytes
    kind: str


def _envelope(model: type[Event], version: int, payload: dict) -> bytes:
    return Envelope(type=model.event_type, version=version, district="test-district",
                    correlation_id=uuid.uuid4(), payload=payload).model_dump_json().encode()


def poison(i: int, model: type[Event]) -> Poison:
    """The i-th poison message, its kind cycling through KINDS."""
    kind = KINDS[i % len(KINDS)]
    if kind == "not_json":
        body = b'{"id": "' + str(i).encode() + b'", "type": \x00'
    elif kind == "unknown_version":
        body = _envelope(model, model.event_version + 8, {})
    elif kind == "missing_fields":
        body = _envelope(model, model.event_version, {})
    else:
        body = _envelope(model, model.event_version, {name: {"wrong": ["type"]} for name in model.model_fields})
    return Poison(str(uuid.uuid4()), model.routing_key(), body, kind)
