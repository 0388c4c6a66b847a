"""`load-region`: each municipality's funding period of a region file, set (and opened) through
the API at `/api/v1/municipalities/{code}/periods/{year}`, by an admin or by that municipality's
operator. A period already open or closed is left as it is, so loading the file again after a
municipality was added sets only the new one's."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from deploy.api_client import ApiError
from deploy.region_config import MunicipalityConfig, RegionConfig


class Caller(Protocol):
    async def call(self, method: str, path: str, **kw): ...
    async def run(self, method: str, path: str, **kw) -> dict: ...


@dataclass(frozen=True)
class Loaded:
    municipality: str
    ok: bool
    message: str  # Russian: what happened, for the operator


def period_path(municipality: str, year: int) -> str:
    return f"/municipalities/{municipality}/periods/{year}"


def problem_text(error: ApiError) -> str:
    p = error.problem
    details = "; ".join(f"{e.get('field')}: {e.get('message')}" for e in p.get("errors") or [])
    return f"{p.get('title')}" + (f" — {details}" if details else (f" ({p['field']})" if p.get("field") else ""))


async def load_municipality(api: Caller, m: MunicipalityConfig, open_: bool) -> Loaded:
    path = period_path(m.code, m.period.year)
    try:
        try:
            existing = await api.call("GET", path)
        except ApiError as error:
            if error.status != 404:
                raise
            existing = None
        if existing is not None and existing.get("status") != "draft":
            state = "открыт" if existing.get("status") == "open" else "закрыт"
            return Loaded(m.code, True, f"{m.name}: период {m.period.year} уже {state}, не меняется")
        await api.call("PUT", path, json=m.period.api_body())
        if not open_:
            return Loaded(m.code, True, f"{m.name}: период {m.period.year} загружен")
        opened = await api.run("POST", f"{path}/open")
        if opened["status"] == "failed":
            return Loaded(m.code, False, f"{m.name}: начисления не выполнены: {opened.get('error')}")
        result = opened.get("result") or {}
        if result.get("stopped_at_budget"):
            return Loaded(m.code, False, f"{m.name}: начисления остановлены: бюджет периода исчерпан")
        return Loaded(m.code, True, f"{m.name}: период {m.period.year} загружен и открыт, начислено "
                                    f"сертификатов: {result.get('credited_certificates', 0)}")
    except ApiError as error:
        return Loaded(m.code, False, f"{m.name}: {error.status} {problem_text(error)}")


async def load_region(config: RegionConfig, api_for, open_: bool, only: list[str] | None = None) -> list[Loaded]:
    """`api_for(code)`: the logged-in client that acts for that municipality (an admin's for
    all, or each municipality's operator's). `only`: these municipalities' codes (default all)."""
    chosen = [config.municipality(code) for code in only] if only else config.municipalities
    return [await load_municipality(api_for(m.code), m, open_) for m in chosen]
