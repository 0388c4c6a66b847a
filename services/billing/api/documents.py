"""A contract's documents: the offer as a PDF (rendered now while unsigned, as stored once
signed), the stored termination notice, and the list of what is stored."""
from __future__ import annotations

import uuid
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS, conflict, not_found
from pfdo_kit.pagination import PageQuery
from services.billing.api.contracts import NOT_FOUND, WHO_SEES, _visible
from services.billing.api.dependencies import Documents
from services.billing.api.schemas import ContractDocumentOut, ContractDocumentPage
from services.billing.domain.access import sees_contract
from services.billing.domain.documents import ascii_filename, download_path, russian_filename
from services.billing.domain.statuses import DRAFT, OFFERED, VOID
from services.billing.flows.documents import OFFER, TERMINATION, kept_for, offer_markup
from services.billing.flows.offer_renderings import render_once
from services.billing.queries.documents import stored_document, stored_documents
from services.billing.queries.offer_inputs import offer_inputs

router = APIRouter(prefix="/api/v1", tags=["contracts"], responses=API_ERRORS)

PDF_HEADERS = {
    "ETag": {"description": "\"<sha256>\" — хеш SHA-256 файла в кавычках", "schema": {"type": "string"}},
    "X-Document-SHA256": {"description": "SHA-256 файла PDF (hex)", "schema": {"type": "string"}},
    "Content-Disposition": {"description": "inline; имя файла латиницей и (filename*) по-русски",
                            "schema": {"type": "string"}},
}
PDF = {200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
             "description": "документ PDF", "headers": PDF_HEADERS}}


def _pdf(body: bytes, sha256: str, kind: str, number: str) -> Response:
    disposition = (f'inline; filename="{ascii_filename(kind, number)}"; '
                   f"filename*=UTF-8''{quote(russian_filename(kind, number))}")
    return Response(body, media_type="application/pdf", headers={
        "ETag": f'"{sha256}"', "X-Document-SHA256": sha256, "Content-Disposition": disposition,
        "Cache-Control": "private, no-cache"})


@router.get("/contracts/{contract_id}/offer", response_class=Response, responses=PDF,
            summary="Договор-оферта в PDF", description=(
                WHO_SEES + " Оферта — документ, который подписывает семья: стороны (реквизиты организатора, "
                "родитель, ребёнок, номер сертификата), программа, группа и расписание, доля сертификата и "
                "доплата по каждому месяцу, порядок оплаты, срок оспаривания списаний и как расторгнуть договор; "
                "текст — по версии шаблона региона. Пока договор не подписан (offered), оферта составляется один раз "
                "для одних и тех же данных (заранее, вскоре после оферты, или при первом запросе) и читается "
                "одинаково, пока не изменятся её данные; подписанный или расторгнутый договор "
                "отдаёт сохранённую при подписи оферту байт в байт. Заголовки `ETag` и `X-Document-SHA256` — её "
                "SHA-256: его можно передать при подписи (POST /contracts/{contract_id}/sign). 409 not-offered — "
                "черновик (средства ещё резервируются); 409 contract-ended — оферта прекращена, не будучи "
                "подписанной; 404 — договор подписан до появления документов, и оферта не сохранена."))
async def get_offer(contract_id: uuid.UUID, rt: Runtime, clock: CurrentClock, principal: CurrentPrincipal,
                    documents: Documents):
    async with rt.reads() as session:
        offer = await offer_inputs(session, contract_id, with_pdf=True)
        if offer is None or not sees_contract(principal, offer.contract):
            raise not_found(NOT_FOUND)
        contract = offer.contract
        if contract.status == DRAFT:
            raise conflict("not-offered", "Оферты ещё нет: средства сертификата резервируются", field="status")
        if contract.status == VOID:
            raise conflict("contract-ended", "Оферта прекращена, не будучи подписанной", field="status")
        if contract.status != OFFERED:
            return await _stored(session, contract, OFFER, "Подписанная оферта не сохранена: договор подписан до "
                                                           "появления документов")
    markup = offer_markup(documents, offer)
    kept = kept_for(offer, markup)
    if kept is not None:
        return _pdf(kept.pdf, kept.sha256, OFFER, contract.number)
    # rendered with the session closed: no connection waits on it
    rendered = await render_once(rt.sessions, documents, contract.id, markup, clock.now())
    return _pdf(rendered.pdf, rendered.sha256, OFFER, contract.number)


@router.get("/contracts/{contract_id}/termination-notice", response_class=Response, responses=PDF,
            summary="Уведомление о расторжении договора в PDF", description=(
                WHO_SEES + " Уведомление составляется и сохраняется, когда подписанный договор прекращается "
                "(семьёй, организатором, оператором, по отзыву заявки, закрытию сертификата, приостановке или "
                "исключению организатора): дата, кто и почему прекратил договор, какие месяцы оплачиваются и что "
                "возвращается на сертификат. Отдаётся байт в байт, с `ETag` и `X-Document-SHA256`. 404 — "
                "уведомления нет (договор не расторгнут или прекращён, не будучи подписанным)."))
async def get_termination_notice(contract_id: uuid.UUID, rt: Runtime, principal: CurrentPrincipal):
    async with rt.reads() as session:
        contract = await _visible(session, contract_id, principal)
        return await _stored(session, contract, TERMINATION, "Уведомления о расторжении нет")


async def _stored(session: AsyncSession, contract, kind: str, missing: str) -> Response:
    document = await stored_document(session, contract.id, kind)
    if document is None:
        raise not_found(missing)
    return _pdf(document.pdf, document.sha256, kind, contract.number)


@router.get("/contracts/{contract_id}/documents", response_model=ContractDocumentPage,
            summary="Сохранённые документы договора", description=(
                WHO_SEES + " Подписанная оферта (с временем подписи и учётной записью подписавшего) и уведомление о "
                "расторжении, если они есть: версия шаблона, SHA-256 и размер файла, когда сохранён и где скачать. "
                "Неподписанная оферта здесь не значится: её составляет GET /contracts/{contract_id}/offer."))
async def list_documents(contract_id: uuid.UUID, rt: Runtime, principal: CurrentPrincipal, params: PageQuery):
    async with rt.reads() as session:
        contract = await _visible(session, contract_id, principal)
        rows = await stored_documents(session, contract.id)
    items = [ContractDocumentOut(kind=d.kind, template=d.template, sha256=d.sha256, size=d.size,
                                 created_at=d.created_at, actor=d.actor, signed_at=d.signed_at,
                                 download=download_path(contract.id, d.kind)) for d in rows]
    return params.of(ContractDocumentPage, items[params.offset:params.offset + params.page_size], len(items))
