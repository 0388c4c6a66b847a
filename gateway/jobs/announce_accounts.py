"""The one-off backfill: `python -m gateway announce-accounts` publishes `AccountRegistered` for
every existing account (its current state), so a service that learns accounts from the
gateway's events (notifications) knows those made before it ran. Batches of 500, each its own
transaction into the outbox; the running gateway's relay publishes them. Running it again
only repeats the current state, which the receivers take as the newest."""
from __future__ import annotations

import argparse
import asyncio

from gateway.flows.account_news import announce_batch
from gateway.models import messaging
from gateway.settings import GatewaySettings
from pfdo_kit.db import make_engine, make_sessions
from pfdo_kit.outbox import Outbox
from pfdo_kit.settings import load_settings

BATCH = 500


async def announce_all(settings: GatewaySettings, batch: int = BATCH) -> int:
    """How many accounts were announced."""
    engine = make_engine(settings.database_url, pool_size=1, max_overflow=0)
    sessions, outbox = make_sessions(engine), Outbox(messaging.outbox, settings.district)
    announced, after = 0, None
    try:
        while True:
            async with sessions() as session, session.begin():
                count, after = await announce_batch(session, outbox, after, batch)
            announced += count
            if count < batch:
                return announced
    finally:
        await engine.dispose()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway announce-accounts",
                                     description="publish AccountRegistered for every existing account")
    parser.parse_args(argv)
    count = asyncio.run(announce_all(load_settings(GatewaySettings)))
    print(f"gateway: {count} accounts announced (the running gateway's relay publishes them)")
    return 0
