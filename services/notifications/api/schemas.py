"""Request and response bodies of the notifications API."""
from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from pfdo_kit.pagination import Page
from services.notifications.domain.kinds import FeedKind

KIND = "Вид уведомления; все виды и кому они приходят — в описании GET /api/v1/me/notifications"


class NotificationOut(BaseModel):
    """Уведомление в ленте личного кабинета."""

    id: uuid.UUID
    kind: FeedKind = Field(description=KIND)
    title: str = Field(description="Заголовок; он же тема письма", examples=["Заявка принята: «Робототехника»"])
    body: str = Field(description="Текст уведомления; он же текст письма")
    link: str | None = Field(description="Куда ведёт уведомление: путь в Навигаторе (относительно его адреса)",
                             examples=["/cabinet/applications/3f1c2b9e-8d4a-4e57-9a0c-2d6b1e7f5a10"])
    created_at: datetime
    read: bool = Field(description="Прочитано ли уведомление в кабинете (на письма не влияет)")


class NotificationPage(Page[NotificationOut]):
    """Страница ленты, новые сверху, и сколько в ленте непрочитанных."""

    unread: int = Field(ge=0, description="Сколько непрочитанных уведомлений во всей ленте, не только на этой странице")


class ReadAllOut(BaseModel):
    """Итог отметки всех уведомлений прочитанными."""

    marked: int = Field(ge=0, description="Сколько уведомлений отмечено прочитанными сейчас")


class PreferenceOut(BaseModel):
    """Вид уведомления в настройках: приходит ли он на почту."""

    kind: FeedKind = Field(description=KIND)
    title: str = Field(description="Как вид называется на странице настроек", examples=["Договор подписан"])
    email: bool = Field(description="Приходит ли это уведомление по электронной почте")
    essential: bool = Field(description="Обязательное: по почте приходит всегда, отключить нельзя")


class PreferencesOut(BaseModel):
    """Виды уведомлений роли пользователя и какие из них приходят на почту."""

    items: list[PreferenceOut]


class PreferencesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: dict[str, bool] = Field(
        max_length=50, description="Вид уведомления → присылать ли его по почте; не названные виды не меняются",
        examples=[{"application_accepted": False, "contract_signed": False, "certificate_activated": True}])
