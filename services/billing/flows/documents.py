"""A contract's documents: the offer rendered from the region's template (for the family to read,
kept per content in `offer_renderings` — flows/offer_renderings.py; stored when it signs) and the
notice of a signed contract's termination (stored when it ends). Stored documents are never
rewritten; they are served as stored.

`ContractDocuments` is the renderer, built once per process from the settings (`documents_for`):
it checks at start that the font and the configured templates are there and released."""
from __future__ import annotations

import asyncio
import contextvars
import functools
import hashlib
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import fontTools
from sqlalchemy import Text, bindparam, func, literal, select
from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit import pdf_documents, pdf_font, pdf_writer
from pfdo_kit.document_templates import TemplateShelf
from pfdo_kit.errors import conflict
from pfdo_kit.pdf_documents import DocumentFont, PdfRenderer
from pfdo_kit.precompiled import Precompiled
from services.billing.domain.documents import (
    Markup,
    MonthSettlement,
    RegionTerms,
    Rendered,
    document_title,
    offer_context,
    rendering_fingerprint,
    termination_context,
)
from services.billing.models import ChargeRow, Contract, ContractDocument, ContractMonth, OfferRendering
from services.billing.queries.offer_inputs import KeptOffer, OfferInputs
from services.billing.settings import BillingSettings

log = logging.getLogger(__name__)
OFFER, TERMINATION = "offer", "termination"


class DocumentsUnavailable(RuntimeError):
    """Billing cannot make its documents (the font or a template is missing): it must not start."""


def renderer_identity(renderer: PdfRenderer) -> str:
    """The renderer's code and font, hashed: a rendering kept under another identity is not reused."""
    digest = hashlib.sha256(f"fonttools {fontTools.version} {renderer.creator}".encode())
    for path in (Path(pdf_documents.__file__), Path(pdf_writer.__file__), Path(pdf_font.__file__),
                 renderer.font.regular, renderer.font.bold):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class ContractDocuments:
    pdf: PdfRenderer
    shelf: TemplateShelf
    offer_template: str
    termination_template: str
    terms: RegionTerms
    zone: ZoneInfo
    identity: str

    @classmethod
    def from_settings(cls, s: BillingSettings) -> ContractDocuments:
        try:
            renderer = PdfRenderer(DocumentFont.in_directory(s.document_font_dir))
            shelf = TemplateShelf(s.documents_dir)
            for name in (s.offer_template, s.termination_template):
                shelf.check(name)
        except (RuntimeError, OSError, ValueError) as problem:
            message = (f"billing cannot make contract documents: {problem} (BILLING_DOCUMENT_FONT_DIR, "
                       "BILLING_DOCUMENTS_DIR, BILLING_OFFER_TEMPLATE, BILLING_TERMINATION_TEMPLATE)")
            log.critical(message)
            raise DocumentsUnavailable(message) from problem
        terms = RegionTerms(s.delivered_rule, s.dispute_window_days, {m.code: m.name for m in s.municipalities})
        return cls(renderer, shelf, s.offer_template, s.termination_template, terms, ZoneInfo(str(s.timezone)),
                   renderer_identity(renderer))

    def markup(self, template: str, context: dict, title: str, created_at: datetime) -> Markup:
        text = self.shelf.render(template, context)
        return Markup(template, text, title, created_at,
                      rendering_fingerprint(text, template, title, created_at, self.identity))

    def render_markup(self, markup: Markup) -> Rendered:
        return Rendered(markup.template, self.pdf.render(markup.text, title=markup.title,
                                                         created_at=markup.created_at))

    def render(self, template: str, context: dict, title: str, created_at: datetime) -> Rendered:
        return self.render_markup(self.markup(template, context, title, created_at))

    async def render_off_loop(self, template: str, context: dict, title: str, created_at: datetime) -> Rendered:
        """`render` in the process's rendering thread: a document takes milliseconds of CPU, which
        would otherwise stall every other request and consumer of the process's event loop meanwhile."""
        return await _off_loop(self.render, template, context, title, created_at)

    async def render_markup_off_loop(self, markup: Markup) -> Rendered:
        return await _off_loop(self.render_markup, markup)


# One thread renders every document of the process, one after another: under the GIL a second
# thread renders no faster, and each thread that allocates gets a malloc arena of its own, which
# keeps the freed bytes of the documents it rendered (two arenas grew to 10 MB in the rush).
_RENDERING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="billing-documents")


async def _off_loop(work, *args):
    call = functools.partial(contextvars.copy_context().run, work, *args)  # as asyncio.to_thread: logs' context
    return await asyncio.get_running_loop().run_in_executor(_RENDERING, call)


_BUILT: dict[tuple, ContractDocuments] = {}


def documents_for(settings: BillingSettings) -> ContractDocuments:
    """The process's renderer for these settings, made once (the app makes it at start, so a
    missing font stops billing there; handlers find it here through their settings)."""
    key = (str(settings.document_font_dir), str(settings.documents_dir), settings.offer_template,
           settings.termination_template, settings.delivered_rule, settings.dispute_window_days,
           str(settings.timezone), tuple((m.code, m.name) for m in settings.municipalities))
    if key not in _BUILT:
        _BUILT[key] = ContractDocuments.from_settings(settings)
    return _BUILT[key]


async def _months(session: AsyncSession, contract_id: uuid.UUID) -> list[ContractMonth]:
    return list((await session.execute(select(ContractMonth).where(ContractMonth.contract_id == contract_id)
                                       .order_by(ContractMonth.month))).scalars())


def offer_markup(docs: ContractDocuments, offer: OfferInputs) -> Markup:
    """The offer as it reads now, before rendering. Its bytes depend only on the contract, its parties
    and the region's template (its date and creation moment are the contract's drafting): rendering
    again gives the same bytes until one of those changes, so the hash the family read can be
    checked when it signs, and a kept rendering with the same fingerprint stands for a new one."""
    contract = offer.contract
    context = offer_context(contract, offer.months, contract.created_at.astimezone(docs.zone).date(),
                            offer.requisites, offer.parent, docs.terms)
    return docs.markup(docs.offer_template, context, document_title(OFFER, contract.number), contract.created_at)


def kept_for(offer: OfferInputs, markup: Markup) -> KeptOffer | None:
    """The offer's kept rendering, if it is the rendering of this markup."""
    kept = offer.kept
    return kept if kept is not None and kept.fingerprint == markup.fingerprint else None


async def render_termination(session: AsyncSession, docs: ContractDocuments, contract: Contract,
                             at: datetime) -> Rendered:
    charged = dict((await session.execute(select(ChargeRow.month, ChargeRow.debited_kop)
                                          .where(ChargeRow.contract_id == contract.id,
                                                 ChargeRow.confirmed_at.is_not(None)))).all())
    months = [MonthSettlement(m.month, m.certificate_kop, m.planned_lessons, charged.get(m.month))
              for m in await _months(session, contract.id)]
    context = termination_context(contract, months, contract.signed_on, at.astimezone(docs.zone), docs.terms)
    return await docs.render_off_loop(docs.termination_template, context,
                                      document_title(TERMINATION, contract.number), at)


async def store(session: AsyncSession, contract: Contract, kind: str, rendered: Rendered, actor: str, at: datetime,
                *, signed: bool = False) -> None:
    """Keep a document as made; a contract's document of that kind is stored once."""
    await session.execute(insert(ContractDocument).values(
        id=uuid.uuid4(), contract_id=contract.id, kind=kind, template=rendered.template, sha256=rendered.sha256,
        pdf=rendered.pdf, size=len(rendered.pdf), created_at=at, actor=actor, signed_at=at if signed else None,
    ).on_conflict_do_nothing(index_elements=["contract_id", "kind"]))


@dataclass(frozen=True)
class Paperwork:
    """What a flow that signs or ends a contract needs to put its document on record: the
    process's renderer and the moment (the caller's clock)."""
    docs: ContractDocuments
    at: datetime


class OfferNotReady(Exception):
    """The offer to sign is not rendered for the content it has now: the caller renders it with no
    lock or connection held (`render_once`) and signs again."""

    def __init__(self, markup: Markup) -> None:
        super().__init__(markup.title)
        self.markup = markup


def _kept_stored() -> Insert:
    """The kept rendering of a content (by its fingerprint) stored as the signed offer, its bytes
    copied inside the database; a contract's offer is stored once."""
    r, d = OfferRendering.__table__, ContractDocument.__table__
    at = bindparam("at", type_=d.c.created_at.type)
    return (insert(d).from_select(
        ["id", "contract_id", "kind", "template", "sha256", "pdf", "size", "created_at", "actor", "signed_at"],
        select(bindparam("id", type_=d.c.id.type), r.c.contract_id, literal(OFFER, Text), r.c.template, r.c.sha256,
               r.c.pdf, func.octet_length(r.c.pdf), at, bindparam("actor", type_=Text), at)
        .where(r.c.contract_id == bindparam("contract_id", type_=r.c.contract_id.type),
               r.c.fingerprint == bindparam("fingerprint", type_=Text)))
        .on_conflict_do_nothing(index_elements=["contract_id", "kind"]).returning(d.c.id))


_KEPT_STORED = Precompiled(_kept_stored())


async def sign_offer(session: AsyncSession, paper: Paperwork, offer: OfferInputs, actor: str,
                     read_sha256: str | None, *, render_here: bool) -> None:
    """Keep the offer the family signs: its kept rendering for the content it has now. Not kept
    (the content changed, or nobody rendered it yet): OfferNotReady, unless `render_here` (the caller
    made it ready already and it changed again since: it is rendered now). `read_sha256`: the hash
    of the offer it read; if the offer reads differently now, nothing is signed (409 offer-changed)."""
    markup = offer_markup(paper.docs, offer)
    kept = kept_for(offer, markup)
    if kept is None and not render_here:
        raise OfferNotReady(markup)
    rendered = None if kept is not None else await paper.docs.render_markup_off_loop(markup)
    sha256 = kept.sha256 if kept is not None else rendered.sha256
    if read_sha256 is not None and read_sha256.lower() != sha256:
        raise conflict("offer-changed", "Текст оферты изменился с тех пор, как вы её открыли: прочитайте её ещё раз "
                       "и подпишите заново", field="document_sha256",
                       detail=f"the offer now reads as sha256 {sha256}")
    if kept is not None:
        stored = await _KEPT_STORED.first(session, id=uuid.uuid4(), contract_id=offer.contract.id,
                                          fingerprint=kept.fingerprint, actor=actor, at=paper.at)
        if stored is not None:
            return
        # Its kept rendering was replaced since it was read (or an offer is stored already): as it reads.
        rendered = await paper.docs.render_markup_off_loop(markup)
    await store(session, offer.contract, OFFER, rendered, actor, paper.at, signed=True)


async def notice_termination(session: AsyncSession, paper: Paperwork, contract: Contract, actor: str) -> None:
    """A signed contract ended: its notice is rendered and kept (an unsigned offer gets none)."""
    await store(session, contract, TERMINATION, await render_termination(session, paper.docs, contract, paper.at),
                actor, paper.at)
