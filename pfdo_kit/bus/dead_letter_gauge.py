"""How many messages wait in each consumer's dead-letter queue, read when /metrics is scraped."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from aio_pika.abc import AbstractRobustConnection

from pfdo_kit.bus.names import BusNames
from pfdo_kit.metrics import BUS_DEAD_LETTERS_WAITING
from pfdo_kit.process_status import dead_letter_depths

log = logging.getLogger(__name__)


class DeadLetterGauge:
    def __init__(self, connection: AbstractRobustConnection, consumers: Sequence[tuple[str, str]],
                 timeout_s: float = 2.0) -> None:
        """`consumers`: (consumer name, main queue) pairs."""
        self._connection = connection
        self._queues = [(name, BusNames.dead_letter_queue(queue)) for name, queue in consumers]
        self._timeout = timeout_s
        self._lock = asyncio.Lock()  # concurrent scrapes share one reading

    async def refresh(self) -> None:
        """Passive declares on a short-lived channel; on failure the last values stay."""
        if self._lock.locked():
            async with self._lock:
                return
        async with self._lock:
            try:
                async with asyncio.timeout(self._timeout):  # not wait_for: see pfdo_kit.wakeups
                    await self._read()
            except Exception as exc:
                log.warning("could not read dead-letter queue depths", extra={"error": repr(exc)})

    async def read(self) -> list[tuple[str, int]]:
        """(dead-letter queue, messages waiting) now, fresh from the broker; raises when it cannot read."""
        return await dead_letter_depths(self._connection, [dlq for _, dlq in self._queues])

    async def _read(self) -> None:
        depths = dict(await self.read())
        for consumer, dlq in self._queues:
            BUS_DEAD_LETTERS_WAITING.labels(consumer, dlq).set(depths[dlq])
