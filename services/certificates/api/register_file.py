"""The register of certificates as a file (`pfdo_kit.tables`): a row per certificate and the
totals, Russian headers, no СНИЛС. Pure: the rows in, a `Table` out."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from pfdo_kit.municipalities import Municipality
from pfdo_kit.tables import Table
from services.certificates.api.schemas import CertificateRegisterRow

STATUS_WORDS = {"pending_verification": "ждёт проверки", "active": "действует", "suspended": "приостановлен",
                "closed": "закрыт"}
KIND_WORDS = {"accounting": "учёта", "funded": "финансирования"}
HEADER = ["Номер сертификата", "ФИО ребёнка", "Дата рождения", "Муниципалитет", "Статус", "Вид", "Выдан", "Закрыт",
          "Зачислено, ₽", "Свободно, ₽", "Зарезервировано, ₽", "Списано, ₽", "Возвращено после отмены списаний, ₽"]
MONEY = frozenset(range(8, 13))


def certificates_table(rows: Sequence[CertificateRegisterRow], municipalities: Sequence[Municipality],
                       municipality: str | None, status: str | None,
                       local: Callable[[datetime], datetime]) -> Table:
    names = {m.code: m.name for m in municipalities}
    lines = [[r.number, r.child_full_name, r.birth_date, names.get(r.municipality, r.municipality),
              STATUS_WORDS.get(r.status, r.status), KIND_WORDS.get(r.kind, r.kind), local(r.issued_at),
              local(r.closed_at) if r.closed_at else None, r.credited_kop, r.available_kop, r.reserved_kop,
              r.debited_kop, r.reversed_kop] for r in rows]
    totals = ["Итого", f"сертификатов: {len(rows)}", *[None] * 6,
              *(sum(getattr(r, f) for r in rows)
                for f in ("credited_kop", "available_kop", "reserved_kop", "debited_kop", "reversed_kop"))]
    title = [["Реестр сертификатов"], [names.get(municipality, municipality) if municipality else "Весь регион"]]
    if status is not None:
        title.append([f"Статус: {STATUS_WORDS.get(status, status)}"])
    return Table(HEADER, [*lines, totals], title, MONEY, sheet="Сертификаты")
