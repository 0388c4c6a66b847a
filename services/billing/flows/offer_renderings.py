"""The kept renderings of unsigned offers (`offer_renderings`): an offer is rendered once for a given
content. A reader makes the offer's markup (cheap), compares its fingerprint with the kept
rendering's (queries/offer_inputs reads it with the contract) and, on a miss, has it rendered by
`render_once`: in a worker thread with no database connection held, once per process however many
ask for it at the same moment (a read, the signature, its retries and the pre-rendering job share
one rendering), at most `RENDERS_AT_ONCE` offers at a time, and kept for the next reader."""
from __future__ import annotations

import asyncio
import uuid
import weakref
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pfdo_kit.precompiled import Precompiled, bound
from services.billing.domain.documents import Markup, Rendered
from services.billing.models import OfferRendering

if TYPE_CHECKING:
    from services.billing.flows.documents import ContractDocuments

# A rendering is pure Python holding the GIL for tens of milliseconds: more of them at once only
# slow each other and the event loop, and a rush must leave room for every other request.
RENDERS_AT_ONCE = 2


def _keep() -> Insert:
    kept = OfferRendering.__table__
    statement = insert(kept).values(bound(kept, kept.c.keys(), prefix="new_"))
    return statement.on_conflict_do_update(index_elements=[kept.c.contract_id], set_={
        name: statement.excluded[name] for name in ("fingerprint", "template", "sha256", "pdf", "rendered_at")})


_KEEP = Precompiled(_keep())


async def keep_offer(session: AsyncSession, contract_id: uuid.UUID, markup: Markup, rendered: Rendered,
                     at: datetime) -> None:
    """The contract's kept rendering is now this one (one per contract: an older content's goes)."""
    await _KEEP.run(session, new_contract_id=contract_id, new_fingerprint=markup.fingerprint,
                    new_template=rendered.template, new_sha256=rendered.sha256, new_pdf=rendered.pdf,
                    new_rendered_at=at)


@dataclass
class _Flights:
    """One event loop's renderings under way, by (contract, fingerprint), and its render slots."""
    running: dict[tuple[uuid.UUID, str], asyncio.Task] = field(default_factory=dict)
    slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(RENDERS_AT_ONCE))


_FLIGHTS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Flights] = weakref.WeakKeyDictionary()


async def _render_and_keep(sessions: async_sessionmaker, docs: ContractDocuments, contract_id: uuid.UUID,
                           markup: Markup, flights: _Flights, at: datetime) -> Rendered:
    async with flights.slots:
        rendered = await docs.render_markup_off_loop(markup)
    async with sessions() as session, session.begin():
        await keep_offer(session, contract_id, markup, rendered, at)
    return rendered


async def render_once(sessions: async_sessionmaker, docs: ContractDocuments, contract_id: uuid.UUID,
                      markup: Markup, at: datetime) -> Rendered:
    """The offer of this markup rendered and kept; joins the same rendering if it is under way. The
    caller holds no connection meanwhile (it made the markup and looked it up in a session it has
    closed). A caller that goes away does not cancel the rendering the others wait for."""
    flights = _FLIGHTS.setdefault(asyncio.get_running_loop(), _Flights())
    key = (contract_id, markup.fingerprint)
    task = flights.running.get(key)
    if task is None:
        task = asyncio.create_task(_render_and_keep(sessions, docs, contract_id, markup, flights, at))
        flights.running[key] = task
        task.add_done_callback(lambda _: flights.running.pop(key, None))
    return await asyncio.shield(task)
