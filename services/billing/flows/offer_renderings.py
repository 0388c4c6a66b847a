"""The kept renderings of unsigned offers (`offer_renderings`): an offer is rendered once for a given
content. A reader makes the offer's markup (cheap), looks its fingerprint up and, on a miss, has it
rendered by `render_once`: in a worker thread with no database connection held, once per process
however many ask for it at the same moment (a read, the signature, its retries and the pre-rendering
job share one rendering), at most `RENDERS_AT_ONCE` offers at a time, and kept for the next reader."""
from __future__ import annotations

import asyncio
import uuid
import weakref
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.billing.domain.documents import Markup, Rendered
from services.billing.models import OfferRendering

if TYPE_CHECKING:
    from services.billing.flows.documents import ContractDocuments

# A rendering is pure Python holding the GIL for tens of milliseconds: more of them at once only
# slow each other and the event loop, and a rush must leave room for every other request.
RENDERS_AT_ONCE = 2


async def kept_offer(session: AsyncSession, contract_id: uuid.UUID, markup: Markup) -> Rendered | None:
    row = (await session.execute(select(OfferRendering.template, OfferRendering.pdf).where(
        OfferRendering.contract_id == contract_id, OfferRendering.fingerprint == markup.fingerprint))).first()
    return Rendered(row.template, row.pdf) if row else None


async def has_kept_offer(session: AsyncSession, contract_id: uuid.UUID, markup: Markup) -> bool:
    """Whether the rendering of this content is kept (its bytes not read)."""
    return await session.scalar(select(OfferRendering.contract_id).where(
        OfferRendering.contract_id == contract_id, OfferRendering.fingerprint == markup.fingerprint)) is not None


async def keep_offer(session: AsyncSession, contract_id: uuid.UUID, markup: Markup, rendered: Rendered,
                     at: datetime) -> None:
    """The contract's kept rendering is now this one (one per contract: an older content's goes)."""
    values = dict(fingerprint=markup.fingerprint, template=rendered.template, sha256=rendered.sha256,
                  pdf=rendered.pdf, rendered_at=at)
    await session.execute(insert(OfferRendering).values(contract_id=contract_id, **values)
                          .on_conflict_do_update(index_elements=[OfferRendering.contract_id], set_=values))


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
