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
from pfdo_kit.backfill import announce_everything
from pfdo_kit.settings import load_settings

BATCH = 500


async def announce_all(settings: GatewaySettings, batch: int = BATCH) -> int:
    """How many accounts were announced."""
    return await announce_everything(settings, messaging.outbox, announce_batch, batch)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway announce-accounts",
                                     description="publish AccountRegistered for every existing account")
    parser.parse_args(argv)
    count = asyncio.run(announce_all(load_settings(GatewaySettings)))
    print(f"gateway: {count} accounts announced (the running gateway's relay publishes them)")
    return 0
