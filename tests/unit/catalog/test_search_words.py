"""Search's words, without a database: the Snowball stemmer, the keys that join a word with the
words derived from it, and the document a program's text becomes."""
import pytest

from services.catalog.domain.russian_stem import stem
from services.catalog.domain.words import document, keys, normalise, words

# What PostgreSQL's russian_stem (the same Snowball algorithm) answers for these words.
SNOWBALL = {"танцы": "танц", "танцевальный": "танцевальн", "футбольная": "футбольн", "робототехнике": "робототехник",
            "хореографический": "хореографическ", "программирование": "программирован", "шахматам": "шахмат",
            "красивейший": "красив", "стоимость": "стоимост", "прочитавший": "прочита", "бегавшись": "бега",
            "осенью": "осен", "иностранный": "иностра", "вокал": "вока", "английскому": "английск", "дети": "дет"}


@pytest.mark.parametrize("word, expected", SNOWBALL.items())
def test_the_stemmer_is_snowball_russian(word, expected):
    assert stem(word) == expected


@pytest.mark.parametrize("family", [
    ["танец", "танцы", "танцам", "танцевальный", "танцевальная"],
    ["футбол", "футболу", "футбольная", "футбольный"],
    ["шахматы", "шахматам", "шахматный"],
    ["робототехника", "робототехнике", "робототехнический"],
    ["хореография", "хореографический"],
    ["спорт", "спортивный"], ["театр", "театральный"], ["музыка", "музыкальный"], ["вокал", "вокальная"],
    ["экология", "экологический", "эколог"], ["химия", "химический"], ["краевед", "краеведение", "краеведческий"],
    ["рисунок", "рисунка"], ["плавание", "плавать"], ["народ", "народные"],
])
def test_a_word_and_the_words_derived_from_it_share_a_key(family):
    shared = frozenset.intersection(*(keys(w) for w in family))
    assert shared, {w: sorted(keys(w)) for w in family}


@pytest.mark.parametrize("one, other", [
    ("программа", "программирование"),  # every description says «программа»
    ("изо", "из"), ("футбол", "фото"), ("танец", "тайна"), ("шахматы", "шашки"),
])
def test_unrelated_words_share_no_key(one, other):
    assert keys(one).isdisjoint(keys(other))


def test_words_are_lower_case_without_yo_and_stop_words():
    assert normalise("Лёгкая АТЛЕТИКА") == "легкая атлетика"
    assert words("Танцы для детей и 3D-моделирование на Python") == ["танцы", "детей", "3d", "моделирование",
                                                                        "python"]
    assert keys("3d") == {"3d"} and keys("python") == {"python"}


def test_a_document_weighs_the_title_above_the_description():
    doc = document("Танцы", "Танец и ещё раз танцы.")
    lexemes = dict(part.split(":", 1) for part in doc.split(" "))
    assert lexemes["'танц'"] == "1A,1001B,1002B"  # title words from 1, description words from 1001
    assert lexemes["'танцы'"] == "1A,1002B" and lexemes["'танец'"] == "1001B"
    assert "'и'" not in lexemes  # stop words are not indexed
