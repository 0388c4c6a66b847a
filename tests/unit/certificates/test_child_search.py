"""What the staff type to find a child: a part of the name, a whole certificate number or СНИЛС."""
from services.certificates.domain.search import child_search


def test_a_part_of_a_name_is_matched_literally():
    s = child_search("  Амина   Руслановна ")
    assert (s.name_pattern, s.number, s.snils) == ("%Амина Руслановна%", None, None)
    assert child_search("100%_\\").name_pattern == "%100\\%\\_\\\\%"  # ILIKE's wildcards are plain characters


def test_a_whole_number_or_snils_with_or_without_separators():
    assert child_search("8000000012").number == "8000000012" and child_search("8000000012").snils is None
    for typed in ("112-233-445 95", "11223344595", "112 233 445-95", "112.233.445.95"):
        assert child_search(typed).snils == "11223344595", typed
    assert child_search("112-233").snils is None and child_search("112-233").number is None
    assert child_search("１２３４５６７８９０").number is None  # full-width digits are not a number


def test_nothing_typed_is_no_filter():
    assert child_search("") is None and child_search("   ") is None
