"""The offer pre-renderer, in every billing process: renders the offers of contracts queued in
`offer_renders_due` (just offered, or their parties' data changed) shortly after, one at a time in a
worker thread, so a family's read and signature find the offer ready instead of rendering it on
their request. One rendering at a time: a rush must not starve the request path."""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from pfdo_kit.runtime import ServiceRuntime
from services.billing.domain.statuses import OFFERED
from services.billing.flows.documents import documents_for, kept_for, offer_markup
from services.billing.flows.offer_queue import Due, claim_due, drop_unneeded_renderings, settle_due
from services.billing.flows.offer_renderings import render_once
from services.billing.queries.offer_inputs import offer_inputs

log = logging.getLogger(__name__)

BATCH = 10
LEASE = timedelta(minutes=2)  # a claim left by a process that died is taken again after this


async def prerender(runtime: ServiceRuntime, due: Due) -> bool:
    """The queued offer ready; True if it had to be rendered now. Read just before: a family that
    signed meanwhile had it rendered already (or it is signed and needs none)."""
    async with runtime.reads() as session:
        offer = await offer_inputs(session, due.contract_id)
    if offer is None or offer.contract.status != OFFERED:
        return False
    docs = documents_for(runtime.settings)
    markup = offer_markup(docs, offer)
    if kept_for(offer, markup) is not None:
        return False
    await render_once(runtime.sessions, docs, due.contract_id, markup, runtime.clock.now())
    return True


async def render_due(runtime: ServiceRuntime) -> int:
    """One batch; how many entries it claimed. With nothing queued, drops renderings no longer needed.
    The entries made ready are settled together at the end of the batch (a content changed meanwhile
    was queued again, and stays)."""
    async with runtime.sessions() as session, session.begin():
        batch = await claim_due(session, runtime.clock.now(), BATCH, LEASE)
        if not batch:
            await drop_unneeded_renderings(session)
            return 0
    rendered, done = 0, []
    for due in batch:
        try:
            rendered += await prerender(runtime, due)
        except asyncio.CancelledError:
            raise
        except Exception:  # this one waits for its lease to run out; the rest of the batch goes on
            log.exception("offer pre-rendering failed", extra={"contract": str(due.contract_id)})
        else:
            done.append(due)
    if done:
        async with runtime.sessions() as session, session.begin():
            await settle_due(session, done)
    if rendered:
        log.debug("offers pre-rendered", extra={"rendered": rendered, "claimed": len(batch)})
    return len(batch)


async def run_offer_renderer(runtime: ServiceRuntime) -> None:
    while True:
        try:
            claimed = await render_due(runtime)
        except asyncio.CancelledError:
            raise
        except Exception:  # the database went away: the next round tries again
            log.exception("offer pre-rendering failed; retrying")
            claimed = 0
        if claimed < BATCH:
            await asyncio.sleep(runtime.settings.offer_render_poll_interval_s)
