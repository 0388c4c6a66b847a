"""The catalog's own request dependency: its settings (the kit's aliases cover the rest)."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from pfdo_kit.dependencies import settings_of
from services.catalog.settings import CatalogSettings

Settings = Annotated[CatalogSettings, Depends(settings_of)]
