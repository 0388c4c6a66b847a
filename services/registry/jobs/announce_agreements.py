"""The backfill: `python -m services.registry announce-agreements` publishes
`registry.agreement.changed` once more for every payment agreement (its current terms), so a
service that keeps copies of agreements (catalog, certificates) has them all — after an upgrade
whose migration announced the old agreements before that service's queue was bound, or for a
service added later. Batches of 500, each its own transaction into the outbox; the running
registry's relay publishes them. Running it again only repeats the current terms, which the
receivers take as the newest."""
from __future__ import annotations

import argparse
import asyncio

from pfdo_kit.backfill import announce_everything
from pfdo_kit.settings import load_settings
from services.registry.flows.agreements import announce_batch
from services.registry.models import messaging
from services.registry.settings import RegistrySettings

BATCH = 500


async def announce_all(settings: RegistrySettings, batch: int = BATCH) -> int:
    """How many agreements were announced."""
    return await announce_everything(settings, messaging.outbox, announce_batch, batch)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.registry announce-agreements",
                                     description="publish registry.agreement.changed for every payment agreement")
    parser.parse_args(argv)
    count = asyncio.run(announce_all(load_settings(RegistrySettings)))
    print(f"registry: {count} agreements announced (the running registry's relay publishes them)")
    return 0
