"""Children and their certificates: added by the parent, certificate requested by the parent."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from pfdo_kit.auth import require_role
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from pfdo_kit.pagination import PageQuery
from services.certificates.api.dependencies import Settings
from services.certificates.api.schemas import CertificateOut, ChildIn, ChildOut, ChildPage
from services.certificates.api.views import certificate_view, child_row_view, child_view
from services.certificates.domain.search import child_search
from services.certificates.domain.statuses import CertificateStatus
from services.certificates.flows import certificates, children
from services.certificates.queries.children import children_page, visible_child

router = APIRouter(prefix="/api/v1", tags=["children"], responses=API_ERRORS)


@router.post(
    "/children", status_code=status.HTTP_201_CREATED, response_model=ChildOut, summary="Добавить ребёнка",
    description=(
        "Родитель добавляет своего ребёнка; другим ролям — 403. Возрастное правило сертификата проверяется "
        "здесь, на первом шаге: ребёнок, которому сегодня меньше или больше лет, чем дают сертификат в районе "
        "(по умолчанию от 5 до 17 включительно), не добавляется — 422 на поле birth_date с допустимыми "
        "возрастами. Муниципалитет — код из GET /api/v1/municipalities, иначе 422 на поле municipality. "
        "СНИЛС проверяется по контрольному числу (422 на поле snils). Тот же ребёнок второй раз (тот же СНИЛС "
        "или те же ФИО и дата рождения, в том числе в другой семье) — 409 child-exists, ничего не сообщающий "
        "о другой семье. Отказ ничего не меняет. В ответе СНИЛС скрыт, кроме последних цифр."))
async def add_child(body: ChildIn, principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock, settings: Settings):
    require_role(principal, "parent")
    async with rt.sessions() as session, session.begin():
        child = await children.add_child(session, principal, clock.today(), settings.min_age, settings.max_age,
                                         settings.municipalities, **body.model_dump())
    return child_view(child, principal)


@router.get(
    "/children", response_model=ChildPage, summary="Список детей",
    description=(
        "Родитель видит своих детей, оператор — детей своего муниципалитета, администратор — всех; "
        "поставщику — 403. Дети идут в порядке добавления, у каждого — id, номер и состояние его сертификата "
        "(null, если сертификат не запрошен). СНИЛС полностью видят только сотрудники района. Фильтры: "
        "`certificate_status` — состояние сертификата (другое значение — 422); `q` — часть ФИО ребёнка (без учёта "
        "регистра), или номер сертификата целиком, или СНИЛС целиком (цифры, можно с дефисами и пробелами)."))
async def list_children(principal: CurrentPrincipal, rt: Runtime, params: PageQuery,
                        certificate_status: Annotated[CertificateStatus | None, Query(
                            description="состояние сертификата ребёнка")] = None,
                        q: Annotated[str | None, Query(max_length=100, description=(
                            "часть ФИО, номер сертификата или СНИЛС"), examples=["Амина"])] = None):
    async with rt.reads() as session:
        rows, total = await children_page(session, principal, params, certificate_status=certificate_status,
                                          search=child_search(q) if q is not None else None)
    return params.of(ChildPage, [child_row_view(r, principal) for r in rows], total)


@router.get(
    "/children/{child_id}", response_model=ChildOut, summary="Ребёнок",
    description=(
        "Один ребёнок с id и состоянием его сертификата (null, если сертификат не запрошен). Видят его родитель, "
        "оператор его муниципалитета и администратор; остальным — 404, как будто ребёнка нет. СНИЛС полностью "
        "видят только сотрудники района."))
async def get_child(child_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime):
    async with rt.reads() as session:
        return child_row_view(await visible_child(session, principal, child_id), principal)


@router.post(
    "/children/{child_id}/certificate", status_code=status.HTTP_201_CREATED, response_model=CertificateOut,
    summary="Запросить сертификат ребёнку",
    description=(
        "Родитель ребёнка (или сотрудник района) запрашивает сертификат. Новый сертификат — сертификат учёта "
        "(kind=accounting) в состоянии pending_verification: им нельзя пользоваться, пока оператор "
        "муниципалитета не проверит документы и не активирует его (POST /certificates/{id}/activate). "
        "Возраст проверяется по тому же правилу, что при добавлении (422 на поле birth_date). У ребёнка уже есть "
        "сертификат — 409 certificate-exists. Чужой ребёнок — 404."))
async def request_certificate(child_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock,
                              settings: Settings):
    async with rt.sessions() as session, session.begin():
        cert = await certificates.issue(session, rt.outbox, principal, child_id, clock.today(), settings.min_age,
                                        settings.max_age, settings.number_prefix)
        return certificate_view(cert)
