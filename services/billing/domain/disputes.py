"""A dispute's rules, pure: when a debit may still be disputed, how much each answer gives back,
when the operator may decide. Amounts are kopecks; what is `open` is the debit minus what was
already given back, and no step ever gives back more than that."""
from __future__ import annotations

from datetime import date, timedelta

from services.billing.domain.statuses import AWAITING_OPERATOR, AWAITING_PROVIDER


class DisputeRefused(ValueError):
    """A step the rules do not allow: (field at fault, Russian title)."""

    def __init__(self, field: str, title: str) -> None:
        super().__init__(title)
        self.field, self.title = field, title


def last_day_to_dispute(debited_on: date, window_days: int) -> date:
    """A debit may be disputed up to and including this day (the region's window, in calendar days)."""
    return debited_on + timedelta(days=window_days)


def answer_due(opened_on: date, answer_days: int) -> date:
    """The last day for the provider's answer; after it the payer's operator may decide alone."""
    return opened_on + timedelta(days=answer_days)


def check_opening(debited_kop: int, debited_on: date | None, today: date, window_days: int) -> None:
    if debited_kop <= 0 or debited_on is None:
        raise DisputeRefused("charge_id", "Оспорить можно только проведённое списание")
    if today > last_day_to_dispute(debited_on, window_days):
        raise DisputeRefused("charge_id", f"Срок оспаривания списания истёк: {window_days} дн. со дня списания")


def provider_reversal(answer: str, open_kop: int, amount_kop: int | None, comment: str | None) -> int:
    """What the provider's answer gives back: all that is open, a part of it (more than nothing,
    less than all, with a comment), or nothing (a disagreement, with a comment)."""
    if answer == "agree_full":
        return open_kop
    if not (comment or "").strip():
        raise DisputeRefused("comment", "Объясните ответ: комментарий обязателен, если вы не согласны полностью")
    if answer == "disagree":
        return 0
    if amount_kop is None or not 0 < amount_kop < open_kop:
        raise DisputeRefused("reversal_kop", f"Частичный возврат — больше 0 и меньше {open_kop} коп.; "
                                             "весь возврат — ответ agree_full")
    return amount_kop


def operator_may_decide(status: str, due: date, today: date) -> bool:
    """After the provider's answer, or once the provider let its deadline pass."""
    return status == AWAITING_OPERATOR or (status == AWAITING_PROVIDER and today > due)


def operator_reversal(open_kop: int, amount_kop: int, comment: str | None) -> int:
    """The operator's decision gives back between nothing and all that is still open, and says why."""
    if not (comment or "").strip():
        raise DisputeRefused("comment", "Решение нужно обосновать: комментарий обязателен")
    if not 0 <= amount_kop <= open_kop:
        raise DisputeRefused("reversal_kop", f"Вернуть можно от 0 до {open_kop} коп. — не больше оспариваемого остатка")
    return amount_kop
