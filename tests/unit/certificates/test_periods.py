from datetime import date

from services.certificates.domain.periods import Nominal, credit_for, months_left, nominal_for

NOMINALS = [Nominal(5, 13, "general", 15_000_00), Nominal(14, 17, "general", 20_000_00),
            Nominal(5, 17, "ovz", 30_000_00)]
Y = (date(2026, 1, 1), date(2026, 12, 31))


def test_nominal_by_age_group_and_category():
    assert nominal_for(NOMINALS, date(2016, 3, 1), False, date(2026, 1, 1)) == 15_000_00
    assert nominal_for(NOMINALS, date(2011, 3, 1), False, date(2026, 4, 1)) == 20_000_00
    assert nominal_for(NOMINALS, date(2016, 3, 1), True, date(2026, 1, 1)) == 30_000_00
    assert nominal_for(NOMINALS, date(2023, 3, 1), False, date(2026, 1, 1)) is None  # age 2


def test_late_start_is_prorated_by_remaining_months_half_up():
    assert months_left(*Y, date(2026, 9, 15)) == (4, 12)
    assert credit_for(NOMINALS, date(2016, 3, 1), False, *Y, date(2026, 1, 1)) == 15_000_00
    assert credit_for(NOMINALS, date(2016, 3, 1), False, *Y, date(2026, 9, 15)) == 5_000_00
    # 20 000 ₽ × 5/12 = 8 333.333… ₽ → 833 333 kop
    assert credit_for(NOMINALS, date(2011, 3, 1), False, *Y, date(2026, 8, 2)) == 833_333
    assert credit_for(NOMINALS, date(2016, 3, 1), False, *Y, date(2027, 1, 5)) == 0


def _terms(**kw):
    from services.certificates.domain.periods import FundingTerms
    return FundingTerms(**{"year": 2026, "open": True, "starts_on": Y[0], "ends_on": Y[1], "nominals": NOMINALS,
                           "funded_quota": 10, "funded": 3, "budget_cap_kop": 100_000_00, "credited_kop": 0, **kw})


def test_an_accounting_certificate_is_told_what_its_first_certified_enrollment_credits_or_why_nothing():
    from services.certificates.domain.periods import funding_outlook

    def outlook(terms, today=date(2026, 1, 10), birth=date(2016, 3, 1), ovz=False):
        o = funding_outlook(terms, 2026, birth, ovz, today)
        return o.expected_kop, o.reason, o.note.replace("\u00a0", " ")

    assert outlook(_terms()) == (15_000_00, "on_first_enrollment", "Сертификат получит 15 000,00 ₽ при первой записи "
                                 "на сертифицированную программу, пока не исчерпан лимит сертификатов финансирования")
    assert outlook(_terms(), ovz=True)[0] == 30_000_00
    # Pro-rated as the late credit: in September 4 of 12 months are left.
    late = outlook(_terms(), today=date(2026, 9, 15))
    assert late[:2] == (5_000_00, "on_first_enrollment") and "(номинал 15 000,00 ₽ за 4 из 12 мес. периода" in late[2]
    assert outlook(None)[:2] == (0, "no_open_period") and "на 2026 год не открыт" in outlook(None)[2]
    assert outlook(_terms(open=False))[:2] == (0, "no_open_period")
    assert outlook(_terms(funded=10))[:2] == (0, "quota_exhausted")
    assert outlook(_terms(credited_kop=90_000_00))[:2] == (0, "budget_exhausted")  # 90 000 + 15 000 > 100 000
    assert outlook(_terms(credited_kop=85_000_00))[:2] == (15_000_00, "on_first_enrollment")  # exactly the cap
    no_nominal = outlook(_terms(), birth=date(2022, 3, 1))  # 3 years old: no age group
    assert no_nominal[:2] == (0, "nothing_to_credit") and "номинал" in no_nominal[2]
    assert outlook(_terms(), today=date(2027, 1, 5))[:2] == (0, "nothing_to_credit")  # the period is over


def test_money_as_people_write_it():
    from pfdo_kit.money import rubles
    assert rubles(2_500_000) == "25\u00a0000,00\u00a0₽" and rubles(5) == "0,05\u00a0₽" and rubles(-123_450) == \
        "−1\u00a0234,50\u00a0₽"
