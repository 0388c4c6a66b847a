"""Applications: the family applies, the provider accepts or rejects, the family may cancel or
confirm a seat offered from the waitlist; each reads as its family's cabinet shows it."""
from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal
from pfdo_kit.dependencies import CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from pfdo_kit.idempotency import IdempotencyKey, answer_once
from pfdo_kit.pagination import PageQuery
from pfdo_kit.runtime import ServiceRuntime
from services.catalog.api.dependencies import Settings
from services.catalog.api.schemas import ApplicationIn, ApplicationOut, ApplicationPage, ApplicationSort, ReasonIn
from services.catalog.domain.groups import group_name
from services.catalog.domain.statuses import ApplicationStatus
from services.catalog.flows import applications as flow
from services.catalog.models import idempotency_keys
from services.catalog.queries.applications import application_for, applications_for

router = APIRouter(prefix="/api/v1", tags=["applications"], responses=API_ERRORS)

_ONCE = ("Заголовок Idempotency-Key: повтор запроса с тем же ключом не выполняется второй раз, а получает "
         "первый ответ (с заголовком Idempotent-Replayed: true).")


def application_out(row) -> ApplicationOut:
    """`row`: an application's columns and what is shown beside them (queries/applications)."""
    return ApplicationOut(
        id=row.id, status=row.status, child_id=row.child_id, certificate_id=row.certificate_id, group_id=row.group_id,
        program_id=row.program_id, provider_id=row.provider_id, program_title=row.program_title,
        group_name=group_name(row.module_title, row.teacher), venue=row.venue, schedule=row.schedule,
        provider_name=row.provider_name, payer=row.payer, reason=row.reason, decide_by=row.decide_by,
        offered_until=row.offered_until, created_at=row.created_at)


async def _written(request: Request, rt: ServiceRuntime, principal: Principal, status_code: int,
                   write: Callable[[AsyncSession], Awaitable[object]]):
    """Run one application write in its transaction, once per Idempotency-Key; answer the
    application as the write left it (it hands back its columns and what is shown beside them)."""
    async with rt.sessions() as session, session.begin():
        async def answer() -> ApplicationOut:
            return application_out(await write(session))
        return await answer_once(session, idempotency_keys, request, principal.subject, status_code, answer)


@router.post(
    "/applications", status_code=status.HTTP_201_CREATED, response_model=ApplicationOut,
    summary="Подать заявку в группу",
    description="Родитель подаёт заявку ребёнка в группу опубликованной программы, указывая сертификат ребёнка. "
                "Заявка создаётся в статусе `submitted`; поставщик должен рассмотреть её до `decide_by` (рабочие "
                "дни по производственному календарю, по умолчанию 7), иначе она истекает (`expired`).\n\n"
                "То, что проверка оплаты (`GET /groups/{group_id}/cost`) называет невозможным, отклоняется сразу "
                "и ничего не записывает; все причины — в `errors`, первая — в `type` и `title`. 409: сертификат "
                "не активен или на нём не хватает средств, бесплатные места реестра на год использованы, набор в "
                "группу закрыт, поставщик не принимает заявки, у поставщика нет действующего соглашения с "
                "муниципалитетом сертификата на год средств (`no-agreement`) или лимит соглашения исчерпан "
                "(`agreement-limit-reached`); 409 `application-exists` — у ребёнка уже есть "
                "действующая заявка в эту группу. 422: возраст ребёнка не подходит (`group_id`), группы нет или "
                "программа не опубликована (`group_id`), сертификат не из сертификатов ваших детей "
                "(`certificate_id`).\n\nЗаполненная группа — не отказ: при принятии заявка встанет в очередь. "
                "Сертификат, активация которого ещё не дошла до каталога, тоже не отказ: оплату подтвердит "
                "сервис сертификатов, когда поставщик примет заявку. " + _ONCE)
async def submit_application(body: ApplicationIn, request: Request, principal: CurrentPrincipal, rt: Runtime,
                             settings: Settings, idempotency_key: IdempotencyKey = None):
    return await _written(request, rt, principal, status.HTTP_201_CREATED, lambda session: flow.apply(
        session, rt.outbox, principal, body.group_id, body.certificate_id, rt.clock.today(), rt.calendar,
        settings.pricing))


@router.get(
    "/applications", response_model=ApplicationPage, summary="Список заявок",
    description="Родитель видит заявки своих детей, сотрудник поставщика — поданные его поставщику, оператор "
                "муниципалитета — заявки детей своего муниципалитета (муниципалитет сертификата — плательщик), "
                "региональный оператор и администратор — все. Новые сначала, постранично. В каждой "
                "заявке — название программы, группа (модуль и педагог), место и расписание занятий, название "
                "поставщика: кабинету не нужны другие запросы. Фильтр `status` — один из статусов заявки; "
                "другое значение — 422. Порядок `sort`: `newest` (по умолчанию) — новые сначала; `deadline` — "
                "сначала те, что надо рассмотреть раньше (`decide_by`), при равном сроке — поданные раньше: "
                "страница входящих поставщика начинается с самых срочных. Другое значение — 422.")
async def list_applications(principal: CurrentPrincipal, rt: Runtime, params: PageQuery,
                            status_: Annotated[ApplicationStatus | None, Query(
                                alias="status", description="Только заявки в этом статусе")] = None,
                            sort: Annotated[ApplicationSort, Query(description=(
                                "newest — новые сначала; deadline — самый ранний decide_by сначала"))] = "newest"):
    async with rt.reads() as session:
        rows, total = await applications_for(session, principal, status_, params, sort)
    return params.of(ApplicationPage, [application_out(row) for row in rows], total)


@router.get(
    "/applications/{application_id}", response_model=ApplicationOut, summary="Заявка",
    description="Одна заявка с программой, группой, её расписанием и поставщиком. Её видят семья ребёнка, "
                "поставщик, которому она подана, оператор муниципалитета сертификата ребёнка (плательщика), "
                "региональный оператор и администратор; для остальных — 404, как для несуществующей.")
async def get_application(application_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime):
    async with rt.reads() as session:
        return application_out(await application_for(session, principal, application_id))


@router.post(
    "/applications/{application_id}/accept", response_model=ApplicationOut, summary="Принять заявку",
    description="Сотрудник поставщика, которому подана заявка, принимает её из статуса `submitted`. Есть место "
                "в группе и не исчерпан лимит зачисления программы — место закрепляется за ребёнком (`accepted`), "
                "сервис сертификатов резервирует деньги на месяцы договора, и заявка переходит в "
                "`awaiting_signature`: договор-оферта ждёт подписи родителя в кабинете. Если сертификат не "
                "пройдёт резервирование, заявка будет отклонена (`rejected`) с причиной, а место перейдёт "
                "следующему в очереди. Мест нет — заявка встаёт в очередь (`waitlisted`): освободившееся место "
                "предлагается первому в ней.\n\n409 — заявка не в статусе `submitted`. Чужая заявка — 404. "
                + _ONCE)
async def accept_application(application_id: uuid.UUID, request: Request, principal: CurrentPrincipal, rt: Runtime,
                             settings: Settings, idempotency_key: IdempotencyKey = None):
    return await _written(request, rt, principal, status.HTTP_200_OK, lambda session: flow.accept(
        session, rt.outbox, application_id, principal, rt.clock.today(), settings.pricing))


@router.post(
    "/applications/{application_id}/reject", response_model=ApplicationOut, summary="Отклонить заявку",
    description="Сотрудник поставщика отклоняет заявку в статусе `submitted` или `waitlisted`, указывая причину: "
                "её увидит семья (`reason`). 409 — заявка в другом статусе. Чужая заявка — 404. " + _ONCE)
async def reject_application(application_id: uuid.UUID, body: ReasonIn, request: Request,
                             principal: CurrentPrincipal, rt: Runtime, settings: Settings,
                             idempotency_key: IdempotencyKey = None):
    return await _written(request, rt, principal, status.HTTP_200_OK, lambda session: flow.reject(
        session, rt.outbox, application_id, principal, body.reason, rt.clock, settings.offer_hours))


@router.post(
    "/applications/{application_id}/cancel", response_model=ApplicationOut, summary="Отозвать заявку",
    description="Родитель отзывает заявку своего ребёнка (`cancelled`) из статусов `submitted`, `waitlisted`, "
                "`offered`, `accepted` и `awaiting_signature`. Место, которое она занимала, сразу предлагается "
                "первому в очереди группы; если договор уже готовился, биллинг его отменяет. После подписания "
                "договора (`enrolled`) отзывать нечего — расторгается договор; 409 — заявка уже закрыта или "
                "ребёнок зачислен. Чужая заявка — 404. " + _ONCE)
async def cancel_application(application_id: uuid.UUID, request: Request, principal: CurrentPrincipal, rt: Runtime,
                             settings: Settings, idempotency_key: IdempotencyKey = None):
    return await _written(request, rt, principal, status.HTTP_200_OK, lambda session: flow.cancel(
        session, rt.outbox, application_id, principal, rt.clock, settings.offer_hours))


@router.post(
    "/applications/{application_id}/confirm", response_model=ApplicationOut,
    summary="Подтвердить место, предложенное из очереди",
    description="Родитель берёт место, предложенное из очереди (статус `offered`), до `offered_until` (по "
                "умолчанию 48 часов с предложения). Заявка становится `accepted`, дальше — как при принятии: "
                "резерв денег сертификата, затем договор-оферта на подпись. 409 — место не предлагалось или срок "
                "предложения истёк (место перешло следующему в очереди). Чужая заявка — 404. " + _ONCE)
async def confirm_seat_offer(application_id: uuid.UUID, request: Request, principal: CurrentPrincipal, rt: Runtime,
                             settings: Settings, idempotency_key: IdempotencyKey = None):
    return await _written(request, rt, principal, status.HTTP_200_OK, lambda session: flow.confirm(
        session, rt.outbox, application_id, principal, rt.clock, settings.pricing))
