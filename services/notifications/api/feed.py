"""The in-app feed of the person the token names: their notices, the unread count, marking read."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from services.notifications.api.schemas import NotificationOut, NotificationPage, ReadAllOut
from services.notifications.flows import feed
from services.notifications.models import Notification

router = APIRouter(prefix="/api/v1", tags=["notifications"], responses=API_ERRORS)


def _out(n: Notification) -> NotificationOut:
    return NotificationOut(id=n.id, kind=n.kind, title=n.title, body=n.body, link=n.link, created_at=n.created_at,
                           read=n.read_at is not None)


@router.get("/me/notifications", response_model=NotificationPage, summary="Мои уведомления, новые сверху")
async def my_notifications(principal: CurrentPrincipal, rt: Runtime,
                           page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                           page_size: Annotated[int, Query(ge=1, le=100)] = 20):
    async with rt.sessions() as session:
        rows, total, unread = await feed.page(session, principal, page, page_size)
    return NotificationPage(items=[_out(n) for n in rows], total=total, unread=unread, page=page,
                            page_size=page_size)


@router.post("/me/notifications/{notification_id}/read", response_model=NotificationOut,
             summary="Отметить уведомление прочитанным")
async def read_one(notification_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock):
    async with rt.sessions() as session, session.begin():
        return _out(await feed.mark_read(session, principal, notification_id, clock.now()))


@router.post("/me/notifications/read-all", response_model=ReadAllOut, summary="Отметить все прочитанными")
async def read_all(principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock):
    async with rt.sessions() as session, session.begin():
        return ReadAllOut(marked=await feed.mark_all_read(session, principal, clock.now()))
