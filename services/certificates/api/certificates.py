"""Certificates: activation by the operator, balance, ledger, lookup by number, closing."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Path, Response, status

from pfdo_kit.auth import forbidden, require_role
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from pfdo_kit.pagination import PageQuery
from services.certificates.api.schemas import (
    RUN_ACCEPTED,
    SUSPEND_EXAMPLE,
    CertificateCard,
    CertificateOut,
    CloseIn,
    LedgerEntryOut,
    LedgerPage,
    RunOut,
    SuspendIn,
)
from services.certificates.api.views import certificate_view, run_href, run_view
from services.certificates.domain.access import READER_ROLES, STAFF_ROLES, adults_scope
from services.certificates.flows import certificates
from services.certificates.flows.runs import request_run
from services.certificates.queries.certificates import find_by_number, funding_outlook_of, visible
from services.certificates.queries.ledger import entries_page
from services.certificates.queries.runs import visible_run

router = APIRouter(prefix="/api/v1", tags=["certificates"], responses=API_ERRORS)

_STAFF_ONLY = ("Только оператор муниципалитета сертификата или администратор; родителю ребёнка — 403, "
               "остальным — 404, как будто сертификата нет.")
_RUN = ("Работает в фоне: ответ 202 с запуском (заголовок Location и поле href — где следить за ходом); "
        "спрашивайте его, пока status не станет done или failed. Повторный запрос, пока запуск не закончен, "
        "отвечает тем же запуском.")


@router.get(
    "/certificates/by-number/{number}", response_model=CertificateOut | CertificateCard,
    summary="Найти сертификат по номеру",
    description=(
        "Номер — 10 цифр с контрольной; опечатка в номере — 422 на поле number. Отвечает одной из двух моделей "
        "в зависимости от роли: поставщик получает карточку CertificateCard (id, номер, состояние, вид, "
        "муниципалитет — без имени ребёнка и без денег), чтобы проверить номер, который дала семья; оператор "
        "муниципалитета сертификата и администратор — весь сертификат CertificateOut с балансом. Сертификат "
        "другого муниципалитета для оператора — 404; родителю — 403."))
async def get_certificate_by_number(number: Annotated[str, Path(max_length=20, examples=["0700012348"])],
                                    principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock):
    require_role(principal, "provider", *STAFF_ROLES)
    async with rt.reads() as session:
        cert = await find_by_number(session, principal, number)
        if principal.role == "provider":
            return CertificateCard(id=cert.id, number=cert.number, status=cert.status, kind=cert.kind,
                                   municipality=cert.municipality)
        return certificate_view(cert, await funding_outlook_of(session, cert, clock.today()))


@router.get(
    "/certificates/{certificate_id}", response_model=CertificateOut, summary="Сертификат и его баланс",
    description=(
        "Видят: родитель ребёнка, оператор муниципалитета, администратор и поставщик, в которого ребёнок подал "
        "заявку; остальным — 404. Новый сертификат в состоянии pending_verification, пока оператор не "
        "активирует его. balance — деньги в копейках: available_kop свободно для новых записей, reserved_kop "
        "зарезервировано под договоры. Активный сертификат учёта (kind=accounting) держит 0 ₽ до первой записи "
        "на сертифицированную программу: expected_credit_kop — сколько эта запись зачислит сегодня, "
        "funding_reason — почему столько (или почему ничего), funding_note — то же по-русски для семьи."))
async def get_certificate(certificate_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock):
    async with rt.reads() as session:
        cert = await visible(session, principal, certificate_id, providers_too=True)
        return certificate_view(cert, await funding_outlook_of(session, cert, clock.today()))


@router.get(
    "/certificates/{certificate_id}/ledger", response_model=LedgerPage, summary="Движения по счёту сертификата",
    description=(
        "Записи счёта от первой к последней (по номеру записи): зачисления, резервы под договоры, списания, "
        "снятия резерва, сгорания и возвраты, у каждой — основание (cause) и договор. Видят родитель ребёнка, "
        "оператор муниципалитета и администратор; остальным, в том числе поставщику, — 404."))
async def list_certificate_ledger(certificate_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime,
                                  params: PageQuery):
    async with rt.reads() as session:
        await visible(session, principal, certificate_id)
        rows, total = await entries_page(session, certificate_id, params)
    return params.of(LedgerPage, [LedgerEntryOut.model_validate(r) for r in rows], total)


async def _change_status(certificate_id: uuid.UUID, action: str, principal, rt, reason: str | None = None
                         ) -> CertificateOut:
    async with rt.sessions() as session, session.begin():
        cert = await certificates.change_status(session, rt.outbox, principal, certificate_id, action, reason)
        return certificate_view(cert, await funding_outlook_of(session, cert, rt.clock.today()))


@router.post(
    "/certificates/{certificate_id}/activate", response_model=CertificateOut,
    summary="Активировать после проверки документов",
    description=(
        "pending_verification → active: оператор проверил документы, сертификатом можно пользоваться. "
        + _STAFF_ONLY + " Из другого состояния — 409 illegal-transition. Семья получает уведомление."))
async def activate_certificate(certificate_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime):
    return await _change_status(certificate_id, "activate", principal, rt)


@router.post(
    "/certificates/{certificate_id}/suspend", response_model=CertificateOut,
    summary="Приостановить: новые заявки не оплачиваются",
    description=(
        "active → suspended: новые записи по сертификату не оплачиваются, действующие договоры и резервы "
        "остаются. Причину (reason, необязательно) увидит семья в уведомлении. " + _STAFF_ONLY
        + " Из другого состояния — 409 illegal-transition."))
async def suspend_certificate(certificate_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime,
                              body: Annotated[SuspendIn | None, Body(examples=[SUSPEND_EXAMPLE])] = None):
    return await _change_status(certificate_id, "suspend", principal, rt, body.reason if body else None)


@router.post(
    "/certificates/{certificate_id}/reinstate", response_model=CertificateOut, summary="Возобновить сертификат",
    description=("suspended → active: сертификат снова действует. " + _STAFF_ONLY
                 + " Из другого состояния — 409 illegal-transition."))
async def reinstate_certificate(certificate_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime):
    return await _change_status(certificate_id, "reinstate", principal, rt)


@router.post(
    "/certificates/close-adults", status_code=status.HTTP_202_ACCEPTED, response_model=RunOut, responses=RUN_ACCEPTED,
    summary="Закрыть сертификаты детей, которым исполнилось 18",
    description=(
        "Закрывает все незакрытые сертификаты детей, которым исполнилось 18: оператор — своего муниципалитета, "
        "администратор — всех муниципалитетов региона; остальным (и региональному оператору) — 403. Свободный остаток каждого сгорает, зарезервированное "
        "под договоры остаётся до их окончания. " + _RUN
        + " Ход: GET /certificates/close-adults/{run_id}."))
async def close_certificates_of_adults(response: Response, principal: CurrentPrincipal, rt: Runtime,
                                       clock: CurrentClock):
    allowed, municipality = adults_scope(principal)
    if not allowed:
        raise forbidden()
    async with rt.sessions() as session, session.begin():
        run = await request_run(session, "close_adults", principal.actor, clock.now(), municipality=municipality)
    response.headers["Location"] = run_href(run)
    return run_view(run)


@router.get(
    "/certificates/close-adults/{run_id}", response_model=RunOut, summary="Ход закрытия сертификатов взрослых",
    description=(
        "Запуск закрытия сертификатов взрослых: status (queued → running → done или failed), processed из total, "
        "result.closed и result.expired_kop. Запуск по муниципалитету видят его оператор, региональный оператор и "
        "администратор, запуск по всему региону — региональный оператор и администратор; родителю и поставщику — "
        "403, оператору другого муниципалитета — 404."))
async def get_close_adults_run(run_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime):
    require_role(principal, *READER_ROLES)
    async with rt.reads() as session:
        return run_view(await visible_run(session, principal, run_id, period_year=None))


@router.post(
    "/certificates/{certificate_id}/close", response_model=CertificateOut, summary="Закрыть сертификат",
    description=(
        "Закрывает сертификат навсегда с причиной (turned_18, moved, duplicate): свободный остаток сгорает, "
        "зарезервированное под действующие договоры остаётся, пока договоры не закончатся. " + _STAFF_ONLY
        + " Уже закрытый — 409 illegal-transition."))
async def close_certificate(certificate_id: uuid.UUID, body: CloseIn, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        return certificate_view(await certificates.close_by_staff(session, rt.outbox, principal, certificate_id,
                                                                  body.reason))
