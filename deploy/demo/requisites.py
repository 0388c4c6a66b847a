"""Checksum-valid requisites for made-up providers (the demo region and the tests; real ones live in the unit tests)."""
from __future__ import annotations

import random

INN10_W = (2, 4, 10, 3, 5, 9, 4, 6, 8)
INN12_W1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
INN12_W2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
ACCOUNT_W = (7, 1, 3) * 8


def _check(digits: str, weights: tuple[int, ...]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights)) % 11 % 10)


def inn10(rng: random.Random) -> str:
    base = "07" + "".join(rng.choice("0123456789") for _ in range(7))
    return base + _check(base, INN10_W)


def inn12(rng: random.Random) -> str:
    base = "07" + "".join(rng.choice("0123456789") for _ in range(8))
    first = base + _check(base, INN12_W1)
    return first + _check(first, INN12_W2)


def ogrn(rng: random.Random) -> str:
    base = "1" + "".join(rng.choice("0123456789") for _ in range(11))
    return base + str(int(base) % 11 % 10)


def ogrnip(rng: random.Random) -> str:
    base = "3" + "".join(rng.choice("0123456789") for _ in range(13))
    return base + str(int(base) % 13 % 10)


def account(bik: str, rng: random.Random, prefix: str = "40702810") -> str:
    body = prefix + "0" + "".join(rng.choice("0123456789") for _ in range(20 - len(prefix) - 1))
    for key in "0123456789":
        candidate = body[:8] + key + body[9:]
        digits = bik[-3:] + candidate
        if sum(int(d) * w for d, w in zip(digits, ACCOUNT_W)) % 10 == 0:
            return candidate
    raise AssertionError("no control key fits")  # cannot happen: the key weight 3 is coprime to 10


SBERBANK_BIK = "044525225"


def organisation(rng: random.Random, **overrides: object) -> dict:
    body = {
        "kind": "municipal",
        "full_name": "Муниципальное казённое учреждение дополнительного образования «Дом детского творчества»",
        "short_name": "МКУ ДО «ДДТ»",
        "inn": inn10(rng),
        "ogrn": ogrn(rng),
        "kpp": "070601001",
        "municipality": "chegem",
        "legal_address": "361401, КБР, г. Чегем, ул. Баляева, 1",
        "email": "ddt@example.org",
        "phone": "+7 (86630) 4-11-11",
        "licence_number": "Л035-01234-07/00123456",
        "licence_date": "2020-09-01",
        "bank_bik": SBERBANK_BIK,
        "bank_account": account(SBERBANK_BIK, rng),
        "venues": [{"title": "Главный корпус", "address": "г. Чегем, ул. Баляева, 1"}],
    }
    body.update(overrides)
    return body


def entrepreneur(rng: random.Random, **overrides: object) -> dict:
    body = organisation(
        rng, kind="individual_entrepreneur", full_name="Индивидуальный предприниматель Кудаев Аслан Мухамедович",
        short_name="ИП Кудаев А. М.", inn=inn12(rng), ogrn=ogrnip(rng), kpp=None, teaches_alone=True,
        licence_number=None, licence_date=None,
    )
    body.update(overrides)
    return body
