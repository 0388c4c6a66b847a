"""What a parent typed, analysed without a database: the thesaurus (synonyms, narrower terms,
generic words, a district's additions), clauses and the word being typed, typos, weights, the
tsquery texts, and where the words matched."""
import pytest

from services.catalog.domain.highlight import Highlighter
from services.catalog.domain.query_plan import analyse, correctable, corrected, weighted
from services.catalog.domain.thesaurus import build
from services.catalog.domain.tsquery import any_required, clause_query, suggestion_query, tiers
from services.catalog.domain.typos import allowed, closest, distance
from services.catalog.thesaurus import load, read

THESAURUS = build([{
    "synonyms": [["рисование", "изо", "изобразительное искусство"], ["танцы", "хореография"]],
    "narrower": {"единоборства": ["дзюдо", "бокс"]},
    "generic": ["кружок", "для детей", "для начинающих"],
}])


def kinds(clause) -> list[str]:
    return [a.kind for a in clause.alternatives]


def test_synonyms_find_each_other_in_any_form_and_narrower_terms_one_way():
    [clause] = analyse("рисованию ", THESAURUS).clauses
    assert kinds(clause) == ["typed", "synonym", "synonym"]
    assert "изо" in clause_query(clause) and "изобразительн" in clause_query(clause)
    [phrase] = analyse("изобразительному искусству ", THESAURUS).clauses  # a phrase is one clause
    assert phrase.typed == "изобразительному искусству" and "'изо'" in clause_query(phrase)
    assert "бокс" in clause_query(analyse("единоборства ", THESAURUS).clauses[0])
    assert "бокс" not in clause_query(analyse("дзюдо ", THESAURUS).clauses[0])
    assert "хореограф" in clause_query(analyse("танцевальный ", THESAURUS).clauses[0])  # a derived word too


def test_generic_words_and_numbers_never_exclude():
    plan = analyse("кружок танцев для детей 10 лет", THESAURUS)
    assert [(c.typed, c.required) for c in plan.clauses] == [
        ("кружок", False), ("танцев", True), ("детей", False), ("10", False), ("лет", True)]
    only_generic = analyse("кружок", THESAURUS)
    assert only_generic.required == () and any_required(only_generic) is None  # every program is a candidate


def test_the_last_word_is_a_prefix_while_being_typed():
    [clause] = analyse("англ", THESAURUS).clauses
    assert clause.alternatives[0].words[-1].prefix == "англ" and "'англ':*" in clause_query(clause)
    assert analyse("англ ", THESAURUS).clauses[0].alternatives[0].words[-1].prefix is None  # a space ends it
    assert analyse("фу", THESAURUS).clauses[0].alternatives[0].words[-1].prefix is None  # too short
    first, last = analyse("танцы хорео", THESAURUS).clauses
    assert first.alternatives[0].words[0].prefix is None and last.alternatives[0].words[0].prefix == "хорео"
    # A beginning of a thesaurus word finds what that word finds.
    assert "танц" in clause_query(last)


def test_half_the_words_must_match_of_more_than_one():
    assert analyse("футбол", THESAURUS).min_matched == 1
    assert analyse("футбол шахматы", THESAURUS).min_matched == 1
    assert analyse("футбол шахматы плавание", THESAURUS).min_matched == 2
    assert analyse("футбол шахматы плавание бокс", THESAURUS).min_matched == 2


def test_a_typo_is_corrected_to_what_the_known_words_offer():
    plan = analyse("робототехика", THESAURUS)
    assert list(correctable(plan)) == [0]
    assert correctable(analyse("изо", THESAURUS)) == {}  # the thesaurus knows it
    assert correctable(analyse("кот", THESAURUS)) == {}  # too short to tell a typo from another word
    fixed = corrected(plan, {0: ["робототехника"]}, THESAURUS)
    assert kinds(fixed.clauses[0]) == ["typed", "corrected"] and "робототехн" in clause_query(fixed.clauses[0])
    also = corrected(analyse("хореогафия", THESAURUS), {0: ["хореография"]}, THESAURUS)
    assert kinds(also.clauses[0]) == ["typed", "corrected", "synonym"]  # and what the corrected word finds


@pytest.mark.parametrize("typed, meant, steps", [
    ("футбл", "футбол", 1), ("фубтол", "футбол", 1), ("футтбол", "футбол", 1), ("футбак", "футбол", 2),
    ("робототехика", "робототехника", 1), ("шахмоты", "шахматы", 1), ("футбол", "футбол", 0)])
def test_typo_distance_counts_wrong_missing_extra_and_swapped_letters(typed, meant, steps):
    assert distance(typed, meant) == steps


def test_how_many_typos_a_word_may_have_and_the_nearest_known_words():
    assert [allowed(w) for w in ("кот", "футбл", "робототехика")] == [0, 1, 2]
    assert closest("футбл", ["футбол", "фото", "футболист", "футболка"]) == ["футбол"]
    assert closest("кот", ["код", "кит"]) == []
    assert closest("астраномия", ["астрономия", "агрономия", "анатомия"]) == ["астрономия"]


def test_rarer_words_weigh_more_among_several():
    plan = weighted(analyse("юный эколог", THESAURUS), programs=1000, matching=[300, 10])
    young, ecologist = plan.clauses
    assert ecologist.weight > young.weight > 0
    assert tiers(ecologist)[0][1] > tiers(young)[0][1]


def test_tiers_rank_typed_words_in_the_title_first():
    [clause] = analyse("рисование ", THESAURUS).clauses
    found = tiers(clause)
    assert [points for _, points in found] == [4.0, 3.0, 2.0, 1.0]
    assert found[0][0] == "('рисова':A | 'рисован':A | 'рисование':A)"
    assert ":A" not in found[2][0]
    [generic] = analyse("кружок ", THESAURUS).clauses
    assert tiers(generic)[0][1] == 1.0  # a quarter


def test_suggestions_match_every_word_and_the_last_one_as_a_beginning():
    assert suggestion_query("ф") == "('ф' | 'ф':*)"
    assert suggestion_query("во") == "('во' | 'во':*)"  # a stop word may be the start of a word
    assert suggestion_query("народные та") == "('народ' | 'народн' | 'народные') & ('та' | 'та':*)"
    assert suggestion_query("танцы ") == "('танц' | 'танцы')"
    assert suggestion_query("  ") is None


def test_highlights_mark_the_matching_words_escaped():
    marks = Highlighter.of(analyse("танцы", THESAURUS))
    assert marks.title("Кабардинские танцы <и> хореография") == (
        "Кабардинские <mark>танцы</mark> &lt;и&gt; <mark>хореография</mark>")
    assert marks.snippet("Ничего похожего.") is None
    text = "Занятия проходят в небольших группах. " * 4 + "Танец и песня. " + "Все материалы даются. " * 8
    snippet = marks.snippet(text)
    assert snippet.startswith("…") and snippet.endswith("…") and "<mark>Танец</mark>" in snippet
    assert len(snippet) < 220


def test_the_base_thesaurus_loads_and_a_district_file_extends_it(tmp_path):
    base = load()
    assert "живоп" in clause_query(analyse("рисование ", base).clauses[0])
    district = tmp_path / "district.yaml"
    district.write_text("synonyms:\n  - [джигитовка, наездники]\ngeneric: [кружок]\n", encoding="utf-8")
    extended = load(district)
    assert "джигитовк" in clause_query(analyse("наездники ", extended).clauses[0])
    assert "живоп" in clause_query(analyse("рисование ", extended).clauses[0])
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("synonym:\n  - [a, b]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="only the sections"):
        read(wrong)


def test_named_parameters_become_positional_once():
    from services.catalog.queries.reads import positional

    assert positional("SELECT :a, :b::int, x::text WHERE y = :a") == ("SELECT $1, $2::int, x::text WHERE y = $1",
                                                                      ("a", "b"))
