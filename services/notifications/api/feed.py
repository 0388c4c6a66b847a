"""The in-app feed of the person the token names: their notices, the unread count, marking read."""
from __future__ import annotations

import uuid

from fastapi import APIRouter

from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from pfdo_kit.pagination import PageQuery
from services.notifications.api import descriptions as texts
from services.notifications.api.schemas import NotificationOut, NotificationPage, ReadAllOut
from services.notifications.flows import feed
from services.notifications.models import Notification
from services.notifications.queries import feed as feed_reads

router = APIRouter(prefix="/api/v1", tags=["notifications"], responses=API_ERRORS)


def _out(n: Notification) -> NotificationOut:
    return NotificationOut(id=n.id, kind=n.kind, title=n.title, body=n.body, link=n.link, created_at=n.created_at,
                           read=n.read_at is not None)


@router.get("/me/notifications", response_model=NotificationPage, summary="Мои уведомления, новые сверху",
            description=texts.FEED, response_description="Страница ленты с числом непрочитанных")
async def list_my_notifications(principal: CurrentPrincipal, rt: Runtime, params: PageQuery):
    async with rt.snapshots() as session, session.begin():  # the page, its total and the unread count agree
        rows, total, unread = await feed_reads.page(session, principal, params)
    return NotificationPage(items=[_out(n) for n in rows], total=total, unread=unread, page=params.page,
                            page_size=params.page_size)


@router.post("/me/notifications/{notification_id}/read", response_model=NotificationOut,
             summary="Отметить уведомление прочитанным", description=texts.READ_ONE,
             response_description="Уведомление, отмеченное прочитанным")
async def read_notification(notification_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime,
                            clock: CurrentClock):
    async with rt.sessions() as session, session.begin():
        return _out(await feed.mark_read(session, principal, notification_id, clock.now()))


@router.post("/me/notifications/read-all", response_model=ReadAllOut, summary="Отметить все уведомления прочитанными",
             description=texts.READ_ALL, response_description="Сколько отмечено")
async def read_all_notifications(principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock):
    async with rt.sessions() as session, session.begin():
        return ReadAllOut(marked=await feed.mark_all_read(session, principal, clock.now()))
