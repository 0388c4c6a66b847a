"""The municipalities of an installation: configured (the region's file becomes every process's
`<PREFIX>_MUNICIPALITIES`), never typed in freely. A child, an account or an agreement names
one by its code, and an unknown code is refused."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from pfdo_kit.errors import invalid


class Municipality(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[a-z][a-z0-9-]{1,30}$", description="Код муниципалитета в системе",
                      examples=["chegem"])
    name: str = Field(min_length=1, max_length=200, examples=["Чегемский муниципальный район"])
    oktmo: str = Field(pattern=r"^\d{8}(\d{3})?$", description="Код ОКТМО (8 или 11 цифр)", examples=["83645000"])


UNKNOWN = "Такого муниципалитета нет в системе; список — GET /api/v1/municipalities"


def known(municipalities: list[Municipality], code: str, field: str = "municipality") -> Municipality:
    """The municipality with this code, or a 422 naming the field."""
    found = next((m for m in municipalities if m.code == code), None)
    if found is None:
        raise invalid(field, UNKNOWN)
    return found


def check_unique(municipalities: list[Municipality]) -> list[Municipality]:
    codes = [m.code for m in municipalities]
    if len(set(codes)) != len(codes):
        raise ValueError("municipality codes repeat")
    return municipalities

