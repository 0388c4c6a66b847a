"""Billing's own request dependencies (its settings, the contract documents' renderer); the
common ones (principal, runtime, clock) are in `pfdo_kit.dependencies`."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from pfdo_kit.dependencies import settings_of
from services.billing.flows.documents import ContractDocuments
from services.billing.settings import BillingSettings


async def _documents(request: Request) -> ContractDocuments:
    return request.app.state.documents


Settings = Annotated[BillingSettings, Depends(settings_of)]
Documents = Annotated[ContractDocuments, Depends(_documents)]
