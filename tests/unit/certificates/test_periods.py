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
