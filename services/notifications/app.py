"""The notifications service: `uvicorn --factory services.notifications.app:create_app`."""
from fastapi import FastAPI

from pfdo_kit.app import create_service_app
from pfdo_kit.settings import load_settings
from services.notifications.api.feed import router as feed_router
from services.notifications.api.preferences import router as preferences_router
from services.notifications.handlers import CONSUMERS
from services.notifications.jobs.mail_sender import run_mail_sender
from services.notifications.jobs.scheduled import run_scheduled
from services.notifications.models import messaging
from services.notifications.settings import NotificationsSettings


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    return create_service_app(
        service="notifications",
        title="PFDO — уведомления: почта и лента в личном кабинете",
        settings=settings or load_settings(NotificationsSettings),
        tables=messaging,
        routers=[feed_router, preferences_router],
        consumers=CONSUMERS,
        background=[run_mail_sender, run_scheduled],
    )
