"""Russian organisation requisites checked with the real checksum algorithms.

ИНН (10/12 digits, weighted mod 11 mod 10 check digits), ОГРН (13: number mod 11 mod 10),
ОГРНИП (15: number mod 13 mod 10), КПП (format), БИК (format), and the control key of a
bank account against its БИК (weights 7,1,3; sum mod 10 == 0).
"""
from __future__ import annotations

import re

INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
INN12_WEIGHTS_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
INN12_WEIGHTS_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
ACCOUNT_WEIGHTS = (7, 1, 3) * 8
KPP_PATTERN = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")
BANK_OF_RUSSIA_DIVISION = ("000", "001", "002")


def _digits(value: str, length: int) -> bool:
    return isinstance(value, str) and len(value) == length and value.isascii() and value.isdigit()


def _weighted(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights))


def inn_kind(inn: str) -> str | None:
    if _digits(inn, 10):
        return "organisation"
    if _digits(inn, 12):
        return "individual"
    return None


def inn_ok(inn: str) -> bool:
    kind = inn_kind(inn)
    if kind == "organisation":
        return _weighted(inn, INN10_WEIGHTS) % 11 % 10 == int(inn[9])
    if kind == "individual":
        return (_weighted(inn, INN12_WEIGHTS_1) % 11 % 10 == int(inn[10])
                and _weighted(inn, INN12_WEIGHTS_2) % 11 % 10 == int(inn[11]))
    return False


def ogrn_ok(ogrn: str) -> bool:
    return _digits(ogrn, 13) and int(ogrn[:12]) % 11 % 10 == int(ogrn[12])


def ogrnip_ok(ogrnip: str) -> bool:
    return _digits(ogrnip, 15) and int(ogrnip[:14]) % 13 % 10 == int(ogrnip[14])


def kpp_ok(kpp: str) -> bool:
    return isinstance(kpp, str) and bool(KPP_PATTERN.match(kpp))


def bik_ok(bik: str) -> bool:
    return _digits(bik, 9) and bik[:2] in ("01", "02", "04")


def _key_ok(prefix: str, account: str) -> bool:
    return _weighted(prefix + account, ACCOUNT_WEIGHTS) % 10 == 0


def settlement_account_ok(account: str, bik: str) -> bool:
    if not (_digits(account, 20) and bik_ok(bik)):
        return False
    prefix = "0" + bik[4:6] if bik[6:] in BANK_OF_RUSSIA_DIVISION else bik[6:]
    return _key_ok(prefix, account)

