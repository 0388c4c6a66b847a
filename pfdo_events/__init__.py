"""Versioned event contracts shared by publishers and consumers.

One module per publishing service; every event model is registered by its
(type, version) so a consumer can turn an envelope back into its model.
"""
from pfdo_events.envelope import Envelope, Event, decode, event_class, registered_events

__all__ = ["Envelope", "Event", "decode", "event_class", "registered_events"]
