"""Checksums of Russian requisites, on real published numbers and on one-digit typos."""
from __future__ import annotations

import pytest

from services.registry.domain import requisites as rq

# Real organisations' published requisites (their own websites and the ЕГРЮЛ extract).
SBERBANK = {"inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
            "bik": "044525225", "corr": "30101810400000000225"}          # ПАО Сбербанк
STAVROPOL_SBER = {"bik": "040702615", "corr": "30101810907020000615"}  # Ставропольское отделение №5230
TBANK = {"inn": "7710140679", "ogrn": "1027739642281", "bik": "044525974",
         "corr": "30101810145250000974"}                                  # АО «ТБанк»
YANDEX = {"inn": "7736207543", "ogrn": "1027700229193"}                   # ООО «Яндекс»
GAZPROM = {"inn": "7736050003", "ogrn": "1027700070518"}                  # ПАО «Газпром»
INN10 = [SBERBANK["inn"], TBANK["inn"], YANDEX["inn"], GAZPROM["inn"]]
OGRN13 = [SBERBANK["ogrn"], TBANK["ogrn"], YANDEX["ogrn"], GAZPROM["ogrn"]]
# Individuals: the ФНС's sample ИНН of a person and a sample ОГРНИП used in its forms.
INN12 = ["500100732259"]
OGRNIP15 = ["304500116000157"]


def typos(number: str):
    for i, d in enumerate(number):
        for other in "0123456789":
            if other != d:
                yield i, number[:i] + other + number[i + 1:]


@pytest.mark.parametrize("inn", INN10 + INN12)
def test_real_inn_passes_and_every_one_digit_typo_fails(inn):
    assert rq.inn_ok(inn)
    accepted = [t for _, t in typos(inn) if rq.inn_ok(t)]
    # A weighted mod-11 check digit catches every single substitution except where the
    # weight difference times the digit difference is a multiple of 11, or the mod-10 fold
    # maps remainder 10 onto 0; those are rare and listed exactly.
    assert len(accepted) <= len(inn) * 9 // 10, accepted


@pytest.mark.parametrize("inn", INN10)
def test_inn10_typo_passes_only_through_the_fold_of_remainder_10_to_0(inn):
    # Every weight is coprime to 11, so a substitution always changes the remainder mod 11;
    # it can keep the check digit only when the remainders are 0 and 10 (both give 0).
    original = sum(int(d) * w for d, w in zip(inn, rq.INN10_WEIGHTS)) % 11
    for i, t in typos(inn):
        if rq.inn_ok(t):
            changed = sum(int(d) * w for d, w in zip(t, rq.INN10_WEIGHTS)) % 11
            assert i != 9 and {original, changed} == {0, 10}, (i, t)


@pytest.mark.parametrize("ogrn", OGRN13)
def test_real_ogrn_passes_and_typos_in_the_check_digit_fail(ogrn):
    assert rq.ogrn_ok(ogrn)
    for i, t in typos(ogrn):
        if i == 12:
            assert not rq.ogrn_ok(t)
    share = sum(rq.ogrn_ok(t) for _, t in typos(ogrn)) / (13 * 9)
    assert share < 0.15  # mod 11 then mod 10: a few substitutions keep the same remainder


@pytest.mark.parametrize("ogrnip", OGRNIP15)
def test_real_ogrnip_passes_and_check_digit_typos_fail(ogrnip):
    assert rq.ogrnip_ok(ogrnip)
    assert not any(rq.ogrnip_ok(t) for i, t in typos(ogrnip) if i == 14)


def test_the_account_key_weights_hold_for_real_published_correspondent_accounts():
    """The control key of a settlement account is the Bank of Russia's account key; real banks'
    correspondent accounts (keyed with "0" + the BIK's 5th–6th digits) are the published data it is
    checked against."""
    for bank in (SBERBANK, TBANK, STAVROPOL_SBER):
        assert rq.bik_ok(bank["bik"]) and rq._key_ok("0" + bank["bik"][4:6], bank["corr"])
        assert not any(rq._key_ok("0" + bank["bik"][4:6], t) for _, t in typos(bank["corr"]))
    assert not rq._key_ok("0" + STAVROPOL_SBER["bik"][4:6], SBERBANK["corr"])


def test_settlement_account_key_is_checked_against_the_bik():
    bik = SBERBANK["bik"]
    good = next(a for a in (f"407028103800000{k}0001" for k in range(10)) if rq.settlement_account_ok(a, bik))
    # weights 7,1,3 are coprime to 10: every single-digit typo in the account breaks the key
    assert not any(rq.settlement_account_ok(t, bik) for _, t in typos(good))
    assert not rq.settlement_account_ok(good, TBANK["bik"])


def test_formats():
    assert rq.kpp_ok("773601001") and rq.kpp_ok("7736AB001")
    assert not any(rq.kpp_ok(k) for k in ("77360100", "7736010011", "77a601001", "7736ab001", "773601A01", ""))
    assert not any(rq.bik_ok(b) for b in ("04452522", "144525225", "04452522X", ""))
    assert rq.inn_kind("7707083893") == "organisation" and rq.inn_kind("500100732259") == "individual"
    assert rq.inn_kind("77070838") is None and not rq.inn_ok("77070838ab")
    assert not rq.ogrn_ok("102770013219") and not rq.ogrnip_ok("30450011600015")
