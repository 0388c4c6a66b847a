"""Every kind of notice: whom it is for, whether it may be switched off, how the settings page
names it. Essential kinds (money moved, a contract to sign, a deadline, a password reset) go
by e-mail whatever the person's preferences say; the others go unless switched off."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Audience = Literal["parent", "provider", "operator", "regional_operator"]


@dataclass(frozen=True)
class Kind:
    name: str
    audience: Audience
    essential: bool
    title: str  # how the preferences page names it
    in_feed: bool = True  # False: e-mail only (a password reset link has no place in the feed)
    secret: bool = False  # the mail's text is erased once it has left (it holds a credential)


KINDS: dict[str, Kind] = {k.name: k for k in (
    # parents
    Kind("application_accepted", "parent", False, "Заявка принята"),
    Kind("application_rejected", "parent", False, "Заявка отклонена"),
    Kind("application_waitlisted", "parent", False, "Заявка в очереди"),
    Kind("application_expired", "parent", False, "Заявка закрыта по сроку"),
    Kind("seat_offered", "parent", True, "Предложено место из очереди"),
    Kind("offer_expiring", "parent", True, "Напоминание: срок подтверждения места"),
    Kind("funds_reserved", "parent", True, "Средства сертификата зарезервированы"),
    Kind("funds_refused", "parent", False, "Средства сертификата не зарезервированы"),
    Kind("contract_offered", "parent", True, "Договор готов к подписанию"),
    Kind("contract_unsigned", "parent", True, "Напоминание: договор не подписан"),
    Kind("contract_signed", "parent", False, "Договор подписан"),
    Kind("contract_terminated", "parent", False, "Договор расторгнут"),
    Kind("funds_debited", "parent", True, "Списание с сертификата"),
    Kind("certificate_activated", "parent", False, "Сертификат активирован"),
    Kind("certificate_suspended", "parent", False, "Сертификат приостановлен"),
    Kind("certificate_reinstated", "parent", False, "Сертификат снова действует"),
    Kind("dispute_answered", "parent", True, "Ответ организатора на спор о списании"),
    Kind("dispute_decided", "parent", True, "Решение по спору о списании"),
    # providers
    Kind("application_submitted", "provider", False, "Новая заявка"),
    Kind("decision_due", "provider", True, "Напоминание: срок решения по заявке"),
    Kind("application_cancelled", "provider", False, "Заявка отозвана семьёй"),
    Kind("invoice_issued", "provider", True, "Счёт за месяц"),
    Kind("advance_granted", "provider", True, "Аванс"),
    Kind("dispute_opened", "provider", True, "Семья оспорила списание"),
    # operators
    Kind("operator_digest", "operator", False, "Ежедневная сводка: что ждёт проверки"),
    Kind("dispute_escalated", "operator", True, "Спор о списании ждёт решения"),
    # the region's operators
    Kind("region_digest", "regional_operator", False, "Ежедневная сводка региона: поставщики ждут допуска"),
)}

# Any account's: not listed on a preferences page, never switched off.
PASSWORD_RESET = Kind("password_reset", "parent", True, "Сброс пароля", in_feed=False, secret=True)
KINDS[PASSWORD_RESET.name] = PASSWORD_RESET

# The kinds a feed shows and a preferences page lists (all but the password reset), as the API's enum.
FeedKind = Literal[tuple(k.name for k in KINDS.values() if k.in_feed)]  # type: ignore[valid-type]


def kinds_for(role: str) -> list[Kind]:
    """The kinds a person of this role may receive, as their preferences page lists them."""
    return [k for k in KINDS.values() if k.audience == role and k is not PASSWORD_RESET]


def goes_by_mail(kind: Kind, mail_off: set[str]) -> bool:
    """Essential kinds always; others unless the person switched them off."""
    return kind.essential or kind.name not in mail_off


def preference_errors(role: str, wanted: dict[str, bool]) -> list[dict[str, str]]:
    """What is wrong with a change of preferences: a kind the role does not get, or an essential
    kind switched off."""
    kinds = {k.name: k for k in kinds_for(role)}
    errors = []
    for name, by_mail in wanted.items():
        if name not in kinds:
            errors.append({"field": f"email.{name}", "message": "Такого уведомления для вашей роли нет"})
        elif kinds[name].essential and not by_mail:
            errors.append({"field": f"email.{name}", "message": "Это обязательное уведомление, его нельзя отключить"})
    return errors
