"""Contracts: the family reads and signs the offer; either side may end it."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit import idempotency as idem
from pfdo_kit.auth import Principal, forbidden
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS, not_found
from pfdo_kit.idempotency import IdempotencyKey
from pfdo_kit.pagination import PageQuery
from services.billing.api.dependencies import Documents
from services.billing.api.schemas import ContractOut, ContractPage, MonthOut, SignIn, TerminateIn
from services.billing.domain.access import contract_scope, may_sign, may_terminate, sees_contract
from services.billing.domain.contracts import held_kop
from services.billing.domain.statuses import ContractStatus
from services.billing.flows import contracts
from services.billing.flows.documents import OfferNotReady, Paperwork
from services.billing.flows.offer_renderings import render_once
from services.billing.models import Contract, idempotency_keys
from services.billing.queries.contracts import contracts_within, find_contract, schedule_of, scheduled
from services.billing.queries.offer_inputs import OfferMonth, offer_inputs

router = APIRouter(prefix="/api/v1", tags=["contracts"], responses=API_ERRORS)
NOT_FOUND = "Договор не найден"

WHO_SEES = ("Договор видят семья, подавшая заявку, организатор и сотрудники плательщика (оператор "
            "муниципалитета, который платит за ребёнка — муниципалитета его сертификата, и администратор); чужой "
            "договор (в том числе региональному оператору) — 404, как несуществующий.")
MONEY = ("`reserved_kop` — сколько средств сертификата удерживается под договор сейчас (не сумма оферты): "
         "при оферте — доли сертификата за все месяцы договора; закрытие месяца списывает за посещённое и "
         "возвращает на сертификат неиспользованный остаток доли; `charged_kop` — списано за закрытые месяцы, "
         "`released_kop` — вернулось на сертификат; reserved_kop + charged_kop + released_kop = сумма, "
         "зарезервированная при оферте.")


def _summary(contract: Contract) -> ContractOut:
    """The contract as a list shows it: `reserved_kop` is what is held for it now, not the offer's sum."""
    return ContractOut.model_validate(contract).model_copy(update={
        "reserved_kop": held_kop(contract.reserved_kop, contract.released_kop, contract.charged_kop)})


async def _out(session: AsyncSession, contract: Contract) -> ContractOut:
    months = await schedule_of(session, contract)
    return _summary(contract).model_copy(update={"months": [MonthOut.model_validate(m) for m in months]})


async def _visible(session: AsyncSession, contract_id: uuid.UUID, principal: Principal, *,
                   for_update: bool = False) -> Contract:
    contract = await find_contract(session, contract_id, lock=for_update)
    if contract is None or not sees_contract(principal, contract):
        raise not_found(NOT_FOUND)
    return contract


@router.get("/contracts", response_model=ContractPage, summary="Список договоров", description=(
    "Договоры, которые видит вызывающий: семья — свои, организатор — свои, оператор муниципалитета — те, за "
    "которые платит его муниципалитет, администратор — все; региональному оператору — 403; старые сначала. "
    "Фильтры: статус, ребёнок, группа. Неизвестный статус — 422. "
    "В списке у договора нет графика по месяцам (`months` пуст) — он в `GET /contracts/{contract_id}`. " + MONEY))
async def list_contracts(rt: Runtime, principal: CurrentPrincipal, params: PageQuery,
                         status: Annotated[ContractStatus | None, Query(description="статус договора")] = None,
                         child_id: uuid.UUID | None = None, group_id: uuid.UUID | None = None):
    async with rt.reads() as session:
        scope = contract_scope(principal)
        if scope is None:
            raise forbidden()
        rows, total = await contracts_within(session, scope, params, status=status,
                                             child_id=child_id, group_id=group_id)
        return params.of(ContractPage, [_summary(c) for c in rows], total)


@router.get("/contracts/{contract_id}", response_model=ContractOut, summary="Договор с графиком по месяцам",
            description=(
                WHO_SEES + " Ответ — договор с графиком: по каждому месяцу доля сертификата, доплата семьи, "
                "занятия по расписанию, сколько сейчас удерживается под этот месяц и сколько списано при его "
                "закрытии. Расторгнутый договор показывает месяцы до месяца расторжения включительно: более "
                "поздние уже вернулись на сертификат и в `reserved_kop` не входят. " + MONEY))
async def get_contract(contract_id: uuid.UUID, rt: Runtime, principal: CurrentPrincipal):
    async with rt.snapshots() as session, session.begin():  # the totals and the months of one moment
        return await _out(session, await _visible(session, contract_id, principal))


@router.post("/contracts/{contract_id}/sign", response_model=ContractOut, summary="Подписать договор-оферту",
             description=(
                 "Подписывает только аккаунт, подавший заявку (родитель или ребёнок 14+ со своим аккаунтом); "
                 "другим, кто видит договор, — 403, остальным — 404. Подписать можно оферту (статус offered: "
                 "средства сертификата зарезервированы) → signed, ребёнок зачислен с дня подписания: посещение "
                 "отмечается только с этого дня (и не раньше начала обучения). Повторная подпись ничего не меняет и отвечает "
                 "тем же договором, поэтому повтор запроса безопасен. Подписывается документ — оферта в PDF "
                 "(GET /contracts/{contract_id}/offer): при подписи она сохраняется неизменной вместе с хешем "
                 "SHA-256, временем и учётной записью подписавшего, и дальше отдаётся байт в байт. Необязательное "
                 "тело `{\"document_sha256\"}` — хеш прочитанной оферты: если оферта читается теперь иначе "
                 "(изменились реквизиты сторон или шаблон), 409 offer-changed и ничего не меняется. "
                 "409 not-offered — договор ещё не оферта (средства резервируются) или уже прекращён; "
                 "409 offer-expired — срок обучения по договору закончился."))
async def sign_contract(contract_id: uuid.UUID, rt: Runtime, clock: CurrentClock, principal: CurrentPrincipal,
                        documents: Documents, body: Annotated[SignIn, Body()] = SignIn()):
    for render_here in (False, True):
        try:
            async with rt.sessions() as session, session.begin():
                offer = await offer_inputs(session, contract_id, lock=True)
                if offer is None or not sees_contract(principal, offer.contract):
                    raise not_found(NOT_FOUND)
                if not may_sign(principal, offer.contract):
                    raise forbidden()
                contract = await contracts.sign(session, rt.outbox, offer, principal.actor, clock.today(),
                                                Paperwork(documents, clock.now()), body.document_sha256,
                                                render_here=render_here)
                return _answer(contract, offer.months)
        except OfferNotReady as missing:
            # Rendered with no transaction open: the contract's lock and a pool connection are held
            # for a few reads and writes, not for a rendering (normally the job rendered it already).
            await render_once(rt.sessions, documents, contract_id, missing.markup, clock.now())


def _answer(contract, months: list[OfferMonth]) -> ContractOut:
    """The contract with its schedule, from what the signature read (`months`) and wrote."""
    return _summary(contract).model_copy(update={
        "months": [MonthOut.model_validate(m) for m in scheduled(contract, months)]})


@router.post("/contracts/{contract_id}/terminate", response_model=ContractOut, summary="Расторгнуть договор",
             description=(
                 "Расторгают семья, подавшая заявку, организатор или оператор муниципалитета-плательщика; "
                 "администратору и другим, кто видит договор, — 403, остальным — 404. Дата расторжения — последний "
                 "день действия: не в прошлом и не позже окончания договора (иначе 422 на `terminated_on`). Неподписанный договор (черновик, "
                 "оферта) прекращается (void), и всё зарезервированное сразу возвращается на сертификат. Подписанный "
                 "договор становится terminated: месяцы после месяца расторжения сразу возвращаются на "
                 "сертификат, доли незакрытых месяцев до него включительно остаются в резерве до их закрытия, когда "
                 "списывается только посещённое до даты расторжения; в той же транзакции сохраняется уведомление о "
                 "расторжении в PDF (GET /contracts/{contract_id}/termination-notice). 409 contract-ended — договор "
                 "уже прекращён. С заголовком Idempotency-Key повтор получает первый ответ."))
async def terminate_contract(contract_id: uuid.UUID, body: TerminateIn, request: Request, rt: Runtime,
                             clock: CurrentClock, principal: CurrentPrincipal, documents: Documents,
                             idempotency_key: IdempotencyKey = None):
    async with rt.sessions() as session, session.begin():
        async def answer() -> ContractOut:
            contract = await _visible(session, contract_id, principal, for_update=True)
            if not may_terminate(principal, contract):
                raise forbidden()
            await contracts.terminate(session, rt.outbox, contract, body.terminated_on, principal.role, body.reason,
                                      clock.today(), Paperwork(documents, clock.now()), principal.actor)
            await session.flush()
            return await _out(session, contract)
        return await idem.answer_once(session, idempotency_keys, request, principal.subject, 200, answer)
