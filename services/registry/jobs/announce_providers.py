"""The backfill: `python -m services.registry announce-providers` publishes
`registry.provider.updated` once more for every provider with its current snapshot, so the copies
other services keep have what newer snapshots carry — after the upgrade that put the provider's
requisites on the snapshot (billing prints them on the contract offer), or for a service added
later. Batches of 500, each its own transaction into the outbox; the running registry's relay
publishes them. Running it again only repeats the current snapshots: the receivers keep the newest."""
from __future__ import annotations

import argparse
import asyncio

from pfdo_kit.backfill import announce_everything
from pfdo_kit.settings import load_settings
from services.registry.flows.providers import announce_batch
from services.registry.models import messaging
from services.registry.settings import RegistrySettings

BATCH = 500


async def announce_all(settings: RegistrySettings, batch: int = BATCH) -> int:
    """How many providers were announced."""
    return await announce_everything(settings, messaging.outbox, announce_batch, batch)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.registry announce-providers",
                                     description="publish registry.provider.updated for every provider")
    parser.parse_args(argv)
    count = asyncio.run(announce_all(load_settings(RegistrySettings)))
    print(f"registry: {count} providers announced (the running registry's relay publishes them)")
    return 0
