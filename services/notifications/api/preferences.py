"""Which notices come by e-mail, per account: the optional kinds of the person's role."""
from __future__ import annotations

from fastapi import APIRouter

from pfdo_kit.dependencies import CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from services.notifications.api import descriptions as texts
from services.notifications.api.schemas import PreferenceOut, PreferencesIn, PreferencesOut
from services.notifications.domain.kinds import Kind
from services.notifications.flows import preferences

router = APIRouter(prefix="/api/v1", tags=["notifications"], responses=API_ERRORS)


def _out(items: list[tuple[Kind, bool]]) -> PreferencesOut:
    return PreferencesOut(items=[PreferenceOut(kind=k.name, title=k.title, email=by_mail, essential=k.essential)
                                 for k, by_mail in items])


@router.get("/me/notification-preferences", response_model=PreferencesOut,
            summary="Какие уведомления приходят на почту", description=texts.GET_PREFERENCES,
            response_description="Виды уведомлений роли и их настройки")
async def get_notification_preferences(principal: CurrentPrincipal, rt: Runtime):
    async with rt.reads() as session:
        return _out(await preferences.current(session, principal))


@router.put("/me/notification-preferences", response_model=PreferencesOut,
            summary="Включить или отключить письма уведомлений", description=texts.PUT_PREFERENCES,
            response_description="Все настройки после изменения")
async def set_notification_preferences(body: PreferencesIn, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        return _out(await preferences.change(session, principal, body.email))
