"""A contract's stored documents: one with its bytes, or the list without them."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from services.billing.models import ContractDocument


async def stored_document(session: AsyncSession, contract_id: uuid.UUID, kind: str) -> ContractDocument | None:
    return await session.scalar(select(ContractDocument).where(ContractDocument.contract_id == contract_id,
                                                               ContractDocument.kind == kind))


async def stored_documents(session: AsyncSession, contract_id: uuid.UUID) -> list[ContractDocument]:
    """The metadata of the contract's documents (the PDF bytes are not read), oldest first."""
    return list((await session.execute(select(ContractDocument).options(defer(ContractDocument.pdf))
                                       .where(ContractDocument.contract_id == contract_id)
                                       .order_by(ContractDocument.created_at, ContractDocument.kind))).scalars())
