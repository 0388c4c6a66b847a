"""Disputes of debits: the family opens one, the provider answers, the payer's operator decides
what stays open, the family may withdraw. Every step answers the dispute with its history."""
from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit import idempotency as idem
from pfdo_kit.auth import Principal, forbidden
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS, not_found
from pfdo_kit.idempotency import IdempotencyKey
from pfdo_kit.pagination import PageQuery
from services.billing.api.dependencies import Settings
from services.billing.api.schemas import (
    DisputeAnswerIn,
    DisputeDecisionIn,
    DisputeIn,
    DisputeOut,
    DisputePage,
    DisputeStepOut,
    DisputeWithdrawIn,
    DisputeWithHistory,
    ReversalOut,
)
from services.billing.domain.access import (
    contract_scope,
    may_answer_dispute,
    may_decide_dispute,
    may_open_dispute,
    sees_contract,
)
from services.billing.domain.statuses import OPEN_DISPUTE, DisputeStatus
from services.billing.flows import disputes
from services.billing.models import Contract, Dispute, idempotency_keys
from services.billing.queries.disputes import charge_to_dispute, disputes_within, find_dispute, history_of

router = APIRouter(prefix="/api/v1", tags=["disputes"], responses=API_ERRORS)
NOT_FOUND = "Спор не найден"
WHO_SEES = ("Спор видят семья, организатор и сотрудники плательщика (оператор муниципалитета-плательщика и "
            "администратор), как и договор; остальным — 404.")
ONCE = ("Шаг действует один раз: повтор или одновременный второй запрос получает 409 dispute-step-done и ничего "
        "не меняет; с заголовком Idempotency-Key повтор получает первый ответ.")


def _out(dispute: Dispute, contract: Contract) -> DisputeOut:
    open_kop = dispute.debited_kop - dispute.reversed_kop if dispute.status in OPEN_DISPUTE else 0
    return DisputeOut(id=dispute.id, charge_id=dispute.charge_id, contract_id=dispute.contract_id,
                      contract_number=contract.number, program_title=contract.program_title,
                      provider_id=dispute.provider_id, payer=dispute.payer, month=dispute.month,
                      status=dispute.status, reason=dispute.reason, debited_kop=dispute.debited_kop,
                      reversed_kop=dispute.reversed_kop, open_kop=open_kop, opened_at=dispute.opened_at,
                      answer_due=dispute.answer_due, provider_answer=dispute.provider_answer,
                      provider_comment=dispute.provider_comment, decision_comment=dispute.decision_comment,
                      closed_at=dispute.closed_at)


async def _full(session: AsyncSession, dispute: Dispute, contract: Contract) -> DisputeWithHistory:
    await session.flush()
    steps, reversals = await history_of(session, dispute.id)
    return DisputeWithHistory(**_out(dispute, contract).model_dump(),
                              history=[DisputeStepOut.model_validate(s) for s in steps],
                              reversals=[ReversalOut.model_validate(r) for r in reversals])


async def _visible(session: AsyncSession, dispute_id: uuid.UUID, principal: Principal,
                   lock: bool = False) -> tuple[Dispute, Contract]:
    found = await find_dispute(session, dispute_id, lock=lock)
    if found is None or not sees_contract(principal, found[1]):
        raise not_found(NOT_FOUND)
    return found


async def _step(request: Request, rt, principal: Principal, dispute_id: uuid.UUID,
                may: Callable[[Principal, Dispute], bool],
                act: Callable[[AsyncSession, Dispute, Contract], Awaitable[None]]) -> DisputeWithHistory:
    """One step on a dispute: its row locked, the caller's right checked, the step done, the dispute
    answered with its history — once per Idempotency-Key."""
    async with rt.sessions() as session, session.begin():
        async def answer() -> DisputeWithHistory:
            dispute, contract = await _visible(session, dispute_id, principal, lock=True)
            if not may(principal, dispute):
                raise forbidden()
            await act(session, dispute, contract)
            return await _full(session, dispute, contract)
        return await idem.answer_once(session, idempotency_keys, request, principal.subject, 200, answer)


@router.post("/disputes", status_code=status.HTTP_201_CREATED, response_model=DisputeWithHistory,
             summary="Оспорить списание", description=(
                 "Семья, подписавшая договор, оспаривает одно списание с сертификата (`charge_id` из GET "
                 "/api/v1/debits) в течение окна региона (по умолчанию 30 дней со дня списания; последний день — "
                 "`dispute_until` списания), с причиной. Другим, кто видит договор, — 403, остальным — 404. По "
                 "одному списанию — один спор: второй — 409 dispute-exists; вне окна или по непроведённому "
                 "списанию — 409 dispute-not-allowed. Организатор отвечает до `answer_due`; после его ответа "
                 "или этого дня спорный остаток решает оператор муниципалитета-плательщика. Каждый шаг спора "
                 "виден семье, организатору и плательщику. С заголовком Idempotency-Key повтор получает первый "
                 "ответ."))
async def open_dispute(body: DisputeIn, request: Request, rt: Runtime, settings: Settings, clock: CurrentClock,
                       principal: CurrentPrincipal, idempotency_key: IdempotencyKey = None):
    async with rt.sessions() as session, session.begin():
        async def answer() -> DisputeWithHistory:
            found = await charge_to_dispute(session, body.charge_id)
            if found is None or not sees_contract(principal, found[1]):
                raise not_found("Списание не найдено")
            charge, contract = found
            if not may_open_dispute(principal, contract):
                raise forbidden()
            dispute = await disputes.open_dispute(session, rt.outbox, clock, charge, contract, principal, body.reason,
                                                  settings.dispute_window_days, settings.dispute_answer_days)
            return await _full(session, dispute, contract)
        return await idem.answer_once(session, idempotency_keys, request, principal.subject, 201, answer)


@router.get("/disputes", response_model=DisputePage, summary="Список споров о списаниях", description=(
    "Споры, которые видит вызывающий: семья — свои, организатор — о своих списаниях, оператор муниципалитета — о "
    "списаниях, за которые платит его муниципалитет (его очередь решений — `status=awaiting_operator`), "
    "администратор — все; региональному оператору — 403. Новые сверху; фильтры: статус, договор."))
async def list_disputes(rt: Runtime, principal: CurrentPrincipal, params: PageQuery,
                        status: Annotated[DisputeStatus | None, Query(description="статус спора")] = None,
                        contract_id: uuid.UUID | None = None):
    scope = contract_scope(principal)
    if scope is None:
        raise forbidden()
    async with rt.reads() as session:
        rows, total = await disputes_within(session, scope, params, status=status, contract_id=contract_id)
    return params.of(DisputePage, [_out(d, c) for d, c in rows], total)


@router.get("/disputes/{dispute_id}", response_model=DisputeWithHistory, summary="Спор с историей",
            description=WHO_SEES + " Ответ — спор, все его шаги (кто, когда, что и почему) и возвраты на сертификат "
            "(когда зачислены и каким счётом организатора учтены).")
async def get_dispute(dispute_id: uuid.UUID, rt: Runtime, principal: CurrentPrincipal):
    async with rt.snapshots() as session, session.begin():  # the steps and the reversals of one moment
        return await _full(session, *await _visible(session, dispute_id, principal))


@router.post("/disputes/{dispute_id}/answer", response_model=DisputeWithHistory, summary="Ответ организатора на спор",
             description=(
                 "Только организатор, получивший оплату (другим, кто видит спор, — 403), пока спор ждёт его ответа. "
                 "agree_full — всё оспоренное возвращается на сертификат, спор решён; agree_part — возвращается "
                 "`reversal_kop` (больше 0 и меньше оспоренного), остальное решает оператор плательщика; disagree "
                 "— ничего не возвращается, решает оператор. Для agree_part и disagree нужен комментарий (422 на "
                 "`comment`). Возврат зачисляется на сертификат и учитывается корректировкой в следующем счёте "
                 "организатора этому плательщику. " + ONCE))
async def answer_dispute(dispute_id: uuid.UUID, body: DisputeAnswerIn, request: Request, rt: Runtime,
                         clock: CurrentClock, principal: CurrentPrincipal, idempotency_key: IdempotencyKey = None):
    return await _step(request, rt, principal, dispute_id, may_answer_dispute, lambda session, dispute, contract:
                       disputes.answer(session, rt.outbox, clock, dispute, contract, principal, body.answer,
                                       body.reversal_kop, body.comment))


@router.post("/disputes/{dispute_id}/decision", response_model=DisputeWithHistory,
             summary="Решение оператора по спору", description=(
                 "Оператор муниципалитета-плательщика (или администратор) решает спорный остаток: после ответа "
                 "организатора (частичное согласие или несогласие) или, если организатор молчит, после дня "
                 "`answer_due` (раньше — 409 provider-may-still-answer). `reversal_kop` от 0 до остатка (422), "
                 "обоснование обязательно. Спор решён; возврат зачисляется на сертификат и учитывается в "
                 "следующем счёте организатора. Другим, кто видит спор, — 403. " + ONCE))
async def decide_dispute(dispute_id: uuid.UUID, body: DisputeDecisionIn, request: Request, rt: Runtime,
                         clock: CurrentClock, principal: CurrentPrincipal, idempotency_key: IdempotencyKey = None):
    return await _step(request, rt, principal, dispute_id, may_decide_dispute, lambda session, dispute, contract:
                       disputes.decide(session, rt.outbox, clock, dispute, contract, principal, body.reversal_kop,
                                       body.comment))


@router.post("/disputes/{dispute_id}/withdraw", response_model=DisputeWithHistory, summary="Отозвать спор",
             description=(
                 "Семья отзывает свой незакрытый спор; то, что уже вернулось на сертификат, остаётся. Другим, "
                 "кто видит спор, — 403. " + ONCE))
async def withdraw_dispute(dispute_id: uuid.UUID, body: DisputeWithdrawIn, request: Request, rt: Runtime,
                           clock: CurrentClock, principal: CurrentPrincipal, idempotency_key: IdempotencyKey = None):
    return await _step(request, rt, principal, dispute_id, may_open_dispute, lambda session, dispute, contract:
                       disputes.withdraw(session, rt.outbox, clock, dispute, contract, principal, body.comment))
