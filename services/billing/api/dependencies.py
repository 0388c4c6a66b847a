"""Billing's own request dependency; the common ones (principal, runtime, clock) are in
`pfdo_kit.dependencies`."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from pfdo_kit.dependencies import settings_of
from services.billing.settings import BillingSettings

Settings = Annotated[BillingSettings, Depends(settings_of)]
