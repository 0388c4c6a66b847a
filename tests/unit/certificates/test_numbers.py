import pytest

from services.certificates.domain.certificate_number import make_number, number_ok
from pfdo_kit.money import div_half_up, prorate
from services.certificates.domain.snils import mask, snils_ok


@pytest.mark.parametrize("serial", [0, 1, 42, 1234567, 9_999_999])
def test_certificate_number_refuses_every_typo_and_adjacent_swap(serial):
    number = make_number(serial, prefix="07")
    assert number_ok(number) and len(number) == 10
    for i in range(10):
        for d in "0123456789":
            if d != number[i]:
                assert not number_ok(number[:i] + d + number[i + 1:])
    for i in range(9):
        if number[i] != number[i + 1]:
            swapped = number[:i] + number[i + 1] + number[i] + number[i + 2:]
            assert not number_ok(swapped)


def test_snils_checksum_on_the_published_example_and_typos():
    assert snils_ok("112-233-445 95") and snils_ok("11223344595")
    assert not snils_ok("112-233-445 96") and not snils_ok("112-233-446 95")
    assert not snils_ok("1122334459") and not snils_ok("1122334459a")
    assert mask("112-233-445 95") == "***-***-445 95"


def test_rounding_is_half_up_to_the_kopeck():
    assert div_half_up(5, 2) == 3 and div_half_up(4, 3) == 1 and div_half_up(5, 3) == 2 and div_half_up(0, 7) == 0
    assert prorate(1_200_000, 12) == 1_200_000
    assert prorate(1_000_000, 5) == 416_667  # 416 666.67 → 416 667
    assert prorate(1_000_000, 0) == 0
    with pytest.raises(ValueError):
        prorate(100, 13)
