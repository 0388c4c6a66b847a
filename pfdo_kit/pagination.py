"""One page format for every list of the API: `{items, total, page, page_size}`, asked for with
`?page=` (from 1) and `?page_size=` (1..100, default 20).

A service declares a named page per list (`class ContractPage(Page[ContractOut])`) so the
OpenAPI document and a generated client get one clear model per list, and takes the request's
numbers with `PageQuery`; `paginate` runs a SELECT as one page plus its total."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


class Page(BaseModel, Generic[T]):
    items: list[T] = Field(description="Элементы этой страницы")
    total: int = Field(ge=0, description="Сколько элементов во всём списке")
    page: int = Field(ge=1, description="Номер страницы, с 1")
    page_size: int = Field(ge=1, le=MAX_PAGE_SIZE, description="Размер страницы")


@dataclass(frozen=True)
class PageParams:
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def of(self, page_cls: type[Page], items: list[Any], total: int) -> Any:
        """The answer: `page_cls` holding these items."""
        return page_cls(items=items, total=total, page=self.page, page_size=self.page_size)


async def _page_params(
    page: Annotated[int, Query(ge=1, le=100_000, description="Номер страницы, с 1")] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Размер страницы, до 100")]
    = DEFAULT_PAGE_SIZE,
) -> PageParams:
    return PageParams(page, page_size)


PageQuery = Annotated[PageParams, Depends(_page_params)]


async def paginate(session: AsyncSession, query: Select, params: PageParams) -> tuple[list[Any], int]:
    """(rows of the page, total) of an ordered SELECT. The SELECT must have its ORDER BY with a
    unique last key, or rows may repeat or go missing between pages."""
    total = (await session.execute(select(func.count()).select_from(query.order_by(None).subquery()))).scalar_one()
    rows = (await session.execute(query.offset(params.offset).limit(params.page_size))).all()
    return list(rows), total
