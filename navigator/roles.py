"""Who works where: each role's home and the sections of its cabinet, and the check that a page is the
visitor's. A family (parent) has /cabinet; provider staff, a municipal operator, the regional operator and
the admin each have their own cabinet and are refused the others' pages (403, nothing about the page)."""
from __future__ import annotations

from fastapi import Request

from navigator.web import require_login

HOME = {"parent": "/cabinet", "provider": "/provider", "operator": "/operator", "regional_operator": "/region",
        "admin": "/admin"}
ROLE_NAMES = {"parent": "Родитель", "provider": "Сотрудник поставщика", "operator": "Оператор муниципалитета",
              "regional_operator": "Региональный оператор", "admin": "Администратор"}
CABINET_NAMES = {"provider": "Кабинет поставщика", "operator": "Кабинет муниципального оператора",
                 "regional_operator": "Кабинет регионального оператора", "admin": "Администрирование"}

SECTIONS = {
    "provider": [("/provider", "Организация"), ("/provider/programs", "Программы"),
                 ("/provider/applications", "Заявки"), ("/provider/attendance", "Посещаемость"),
                 ("/provider/money", "Счета и авансы"), ("/provider/reviews", "Отзывы")],
    "operator": [("/operator", "Обзор"), ("/operator/certificates", "Сертификаты"),
                 ("/operator/providers", "Поставщики"), ("/operator/period", "Период финансирования"),
                 ("/operator/months", "Закрытие месяца"), ("/operator/reports", "Сверка и реестры")],
    "regional_operator": [("/region", "Обзор"), ("/region/providers", "Реестр поставщиков"),
                          ("/region/programs", "Сертификация программ"), ("/region/rules", "Правила региона"),
                          ("/region/reports", "Отчёты муниципалитетов")],
    "admin": [("/admin", "Состояние платформы"), ("/admin/accounts", "Учётные записи")],
}


class WrongRole(Exception):
    """A logged-in visitor asked for another role's page."""


def role_of(request: Request) -> str | None:
    return (request.state.session.get("account") or {}).get("role")


def home_of(account: dict | None) -> str:
    return HOME.get((account or {}).get("role"), "/cabinet")


def require_role(request: Request, *roles: str) -> dict:
    """The visitor's account, when logged in as one of `roles`; otherwise to the login or a 403."""
    require_login(request)
    account = request.state.session.get("account") or {}
    if account.get("role") not in roles:
        raise WrongRole
    return account
