"""The envelope every event travels in, and the registry of event models."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

_REGISTRY: dict[tuple[str, int], type["Event"]] = {}


class Event(BaseModel):
    """Base of every event payload. Subclasses set `event_type` and `event_version`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    event_version: ClassVar[int]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "event_type" in cls.__dict__:
            key = (cls.event_type, cls.event_version)
            if key in _REGISTRY and _REGISTRY[key] is not cls:
                raise TypeError(f"event {key} is defined twice")
            _REGISTRY[key] = cls

    @classmethod
    def routing_key(cls) -> str:
        return f"{cls.event_type}.v{cls.event_version}"


class Envelope(BaseModel):
    """What goes on the wire. The AMQP message_id equals `id`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    version: int
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    district: str
    correlation_id: uuid.UUID
    causation_id: uuid.UUID | None = None
    payload: dict[str, Any]

    @property
    def routing_key(self) -> str:
        return f"{self.type}.v{self.version}"

    @classmethod
    def wrap(
        cls,
        event: Event,
        *,
        district: str,
        correlation_id: uuid.UUID | None = None,
        causation_id: uuid.UUID | None = None,
    ) -> "Envelope":
        event_id = uuid.uuid4()
        return cls(
            id=event_id,
            type=event.event_type,
            version=event.event_version,
            district=district,
            correlation_id=correlation_id or event_id,
            causation_id=causation_id,
            payload=event.model_dump(mode="json"),
        )


class UnknownEvent(ValueError):
    pass


def event_class(event_type: str, version: int) -> type[Event]:
    try:
        return _REGISTRY[(event_type, version)]
    except KeyError:
        raise UnknownEvent(f"unknown event {event_type} v{version}") from None


def decode(body: bytes) -> tuple[Envelope, Event]:
    """Parse a message body. Raises pydantic.ValidationError or UnknownEvent on bad input."""
    envelope = Envelope.model_validate_json(body)
    model = event_class(envelope.type, envelope.version)
    return envelope, model.model_validate(envelope.payload)


def registered_events() -> dict[tuple[str, int], type[Event]]:
    return dict(_REGISTRY)
