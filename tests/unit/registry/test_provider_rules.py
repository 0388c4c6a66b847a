import random
from datetime import date

from services.registry.domain.provider_rules import Requisites, requisites_errors
from tests.support import requisites_factory as f

TODAY = date(2026, 11, 23)


def org(**kw) -> Requisites:
    rng = random.Random(1)
    base = dict(kind="municipal", inn=f.inn10(rng), ogrn=f.ogrn(rng), kpp="070601001", bank_bik=f.SBERBANK_BIK,
                bank_account=f.account(f.SBERBANK_BIK, rng), teaches_alone=False,
                licence_number="Л035-01234-07/00123456", licence_date=date(2020, 9, 1))
    return Requisites(**{**base, **kw})


def ie(**kw) -> Requisites:
    rng = random.Random(2)
    base = dict(kind="individual_entrepreneur", inn=f.inn12(rng), ogrn=f.ogrnip(rng), kpp=None,
                bank_bik=f.SBERBANK_BIK, bank_account=f.account(f.SBERBANK_BIK, rng), teaches_alone=True,
                licence_number=None, licence_date=None)
    return Requisites(**{**base, **kw})


def fields(r: Requisites) -> set[str]:
    return {e.field for e in requisites_errors(r, TODAY)}


def test_valid_organisation_and_entrepreneur_pass():
    assert fields(org()) == set() and fields(ie()) == set()


def test_organisation_needs_org_numbers_kpp_and_licence():
    assert fields(org(inn=ie().inn)) == {"inn"}
    assert fields(org(ogrn=ie().ogrn)) == {"ogrn"}
    assert fields(org(kpp=None)) == {"kpp"}
    assert fields(org(licence_number=None)) == {"licence_number"}


def test_entrepreneur_teaching_alone_needs_no_licence_but_with_staff_does():
    assert fields(ie(teaches_alone=False)) == {"licence_number"}
    assert fields(ie(kpp="070601001")) == {"kpp"}
    assert fields(ie(inn=org().inn, ogrn=org().ogrn)) == {"inn", "ogrn"}


def test_account_must_match_the_bik_and_licence_date_is_not_future():
    assert fields(org(bank_bik="044525974")) == {"bank_account"}
    assert fields(org(licence_date=date(2027, 1, 1))) == {"licence_date"}


def test_all_problems_are_reported_together():
    assert fields(org(inn="7707083890", ogrn="1027700132190", kpp="77360100", licence_number=None)) == {
        "inn", "ogrn", "kpp", "licence_number"}
