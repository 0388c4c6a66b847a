"""What the registry does with other services' events: nothing yet. The registry is where
providers' facts start; it publishes (see flows/) and consumes no one's events. A consumer
goes here as a `ConsumerSpec`, its handlers mapping an event to a flow call."""
from __future__ import annotations

from pfdo_kit.bus.consumer import ConsumerSpec

CONSUMERS: list[ConsumerSpec] = []
