from datetime import date

from services.certificates.domain.eligibility import age_rule, eligible

DAY = date(2026, 9, 2)


def test_the_district_s_ages_both_ends_included():
    def born(years: int, *, birthday_tomorrow: bool = False) -> date:
        return date(DAY.year - years, 9, 3 if birthday_tomorrow else 2)
    assert [eligible(born(y), DAY, 5, 17) for y in (3, 4, 5, 17, 18, 19)] == [False, False, True, True, False, False]
    assert not eligible(born(5, birthday_tomorrow=True), DAY, 5, 17)  # still 4 today
    assert eligible(born(18, birthday_tomorrow=True), DAY, 5, 17)  # still 17 today
    assert not eligible(date(2026, 9, 3), DAY, 0, 17)  # not born yet


def test_the_rule_as_a_refusal_tells_it():
    assert age_rule(5, 17) == "Сертификат выдаётся детям от 5 до 17 лет"
