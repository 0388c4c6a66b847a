"""Request and response bodies of the notifications API."""
from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class NotificationOut(BaseModel):
    id: uuid.UUID
    kind: str
    title: str
    body: str
    link: str | None
    created_at: datetime
    read: bool


class NotificationPage(BaseModel):
    items: list[NotificationOut]
    total: int
    unread: int
    page: int
    page_size: int


class ReadAllOut(BaseModel):
    marked: int = Field(description="сколько уведомлений отмечено прочитанными")


class PreferenceOut(BaseModel):
    kind: str
    title: str
    email: bool = Field(description="приходит ли это уведомление по электронной почте")
    essential: bool = Field(description="обязательное: по почте приходит всегда, отключить нельзя")


class PreferencesOut(BaseModel):
    items: list[PreferenceOut]


class PreferencesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: dict[str, bool] = Field(max_length=50, description="вид уведомления → присылать ли его по почте; "
                                                              "не названные виды не меняются")
