"""Names of exchanges, queues and headers, in one place."""
from __future__ import annotations

from dataclasses import dataclass

ATTEMPT_HEADER = "x-pfdo-attempt"
ROUTING_KEY_HEADER = "x-pfdo-routing-key"
ERROR_HEADER = "x-pfdo-error"
SOURCE_QUEUE_HEADER = "x-pfdo-source-queue"
DEAD_LETTERED_AT_HEADER = "x-pfdo-dead-lettered-at"
REPLAYS_HEADER = "x-pfdo-replays"


@dataclass(frozen=True)
class BusNames:
    exchange: str = "pfdo.events"
    queue_prefix: str = "pfdo"
    queue_expires_ms: int | None = None

    @property
    def unroutable_exchange(self) -> str:
        return f"{self.exchange}.unroutable"

    @property
    def unroutable_queue(self) -> str:
        return f"{self.queue_prefix}.unroutable"

    def queue(self, service: str, purpose: str) -> str:
        return f"{self.queue_prefix}.{service}.{purpose}"

    @staticmethod
    def dead_letter_queue(queue: str) -> str:
        return f"{queue}.dlq"

    @staticmethod
    def retry_queue(queue: str, tier: int) -> str:
        return f"{queue}.retry.{tier}"
