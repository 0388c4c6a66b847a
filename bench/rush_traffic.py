"""What an application cost in round trips and messages: per service, the transactions its database
committed (pg_stat_database's xact_commit, read before and after the rush: explicit transactions and
statements run outside one alike), the events it published (its outbox) and the deliveries it took in
(its inbox), each per application answered, and how many of each one relay batch or one consumer
transaction carried. CPU per application over these tells what one transaction or one message costs."""
from __future__ import annotations

import asyncio

import asyncpg

_COMMITS = "SELECT datname, xact_commit FROM pg_stat_database WHERE datname = ANY($1::text[])"


class Traffic:
    def __init__(self, conns: dict[str, asyncpg.Connection], databases: dict[str, str]) -> None:
        """`conns`: a connection to each service's database; `databases`: service → database name."""
        self.conns, self.databases = conns, databases

    async def _commits(self) -> dict[str, int]:
        any_conn = next(iter(self.conns.values()))
        rows = await any_conn.fetch(_COMMITS, list(self.databases.values()))
        by_name = {r["datname"]: r["xact_commit"] for r in rows}
        return {service: by_name.get(name, 0) for service, name in self.databases.items()}

    async def start(self) -> None:
        self._before = await self._commits()

    async def stop(self, applications: int) -> dict:
        """Per application; the statistics a backend sends reach pg_stat_database within a second."""
        await asyncio.sleep(1.0)
        after = await self._commits()
        per = lambda n: round(n / applications, 2) if applications else 0.0  # noqa: E731
        result = {}
        for service, conn in self.conns.items():
            events = await conn.fetchrow(_EVENTS)
            deliveries = await conn.fetchrow(_DELIVERIES)
            # The rush's own reads (the signer's look at offered contracts, the final checks) are counted
            # too: a few per second, against thousands of the platform's.
            result[service] = {
                "commits": per(after[service] - self._before[service]),
                "events_published": per(events["n"]), "events_per_relay_batch": _mean(events),
                "deliveries_taken": per(deliveries["n"]), "deliveries_per_consumer_transaction": _mean(deliveries),
            }
        return result


# A relay batch marks its rows sent at its transaction's now(), and a consumer's window inserts its inbox
# rows at its transaction's now(): the distinct times count the batches and the windows.
_EVENTS = "SELECT count(*) AS n, count(DISTINCT sent_at) AS transactions FROM outbox"
_DELIVERIES = "SELECT count(*) AS n, count(DISTINCT (consumer, processed_at)) AS transactions FROM inbox"


def _mean(row) -> float:
    return round(row["n"] / row["transactions"], 2) if row["transactions"] else 0.0
