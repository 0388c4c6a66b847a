"""The judged query set of the search relevance suite: what parents type, by kind, and which
topics of deploy/demo/programs.py a right answer belongs to (a program is relevant when its
topic is one of them and it passes the query's filters). Judged by what the words mean, not
by what the search returns."""
from __future__ import annotations

from dataclasses import dataclass, field

DANCE = ("kabardian_dance", "choreography")
MUSIC = ("guitar", "piano", "folk_instruments", "vocal")
SPORTS = ("football", "wrestling", "judo", "striking", "swimming", "athletics", "volleyball", "basketball",
          "gymnastics", "chess", "table_tennis", "horse_riding", "fitness", "orienteering")


@dataclass(frozen=True)
class Judged:
    kind: str
    q: str
    topics: tuple[str, ...]
    filters: dict = field(default_factory=dict)
    titled: str | None = None  # within a topic, only the programs whose title has this (самбо among дзюдо)


def _kind(kind: str, *rows) -> list[Judged]:
    return [Judged(kind, q, (topics,) if isinstance(topics, str) else topics, *rest) for q, topics, *rest in rows]


JUDGED = [
    *_kind("word forms",
           ("танцы", DANCE), ("танец", DANCE), ("танцам", DANCE), ("футбола", "football"), ("шахматам", "chess"),
           ("робототехнике", "robotics"), ("плаванию", "swimming"), ("химии", "chemistry"),
           ("астрономии", "astronomy"), ("журналистике", "journalism"), ("гимнастикой", "gymnastics"),
           ("волейболом", "volleyball"), ("краеведению", "local_history"), ("керамикой", "ceramics"),
           ("мультипликацией", "animation")),
    *_kind("derived words",
           ("танцевальный", DANCE), ("футбольная", "football"), ("шахматный", "chess"),
           ("хореографический", DANCE), ("робототехнический", "robotics"), ("театральный", "theatre"),
           ("музыкальный", MUSIC), ("экологический", "ecology"), ("вокальный", "vocal"),
           ("химический", "chemistry"), ("туристический", "tourism"), ("краеведческий", "local_history"),
           ("гончарный", "ceramics"), ("астрономический", "astronomy")),
    *_kind("typos",
           ("робототехика", "robotics"), ("футбл", "football"), ("шахмоты", "chess"), ("хореогафия", DANCE),
           ("англиский", "english"), ("астраномия", "astronomy"), ("журналистка", "journalism"),
           ("волейболл", "volleyball"), ("програмирование", "programming"), ("баскетбл", "basketball"),
           ("фубтол", "football"), ("плавние", "swimming"), ("экалогия", "ecology"), ("керамка", "ceramics"),
           ("гимнастиа", "gymnastics"), ("мультипликаця", "animation")),
    *_kind("prefixes",
           ("англ", "english"), ("робот", "robotics"), ("хорео", "choreography"), ("шахм", "chess"),
           ("футб", "football"), ("астро", "astronomy"), ("журнал", "journalism"), ("керам", "ceramics"),
           ("гончар", "ceramics"), ("мульт", "animation"), ("крае", "local_history"), ("фото", "photo"),
           ("програм", "programming"), ("вокал", "vocal")),
    *_kind("synonyms",
           ("рисование", "art"), ("изо", "art"), ("живопись", "art"), ("хореография", DANCE),
           ("единоборства", ("wrestling", "judo", "striking")), ("борьба", ("wrestling", "judo")),
           ("программирование", "programming"), ("IT", "programming"), ("пение", "vocal"),
           ("походы", "tourism"), ("космос", "astronomy"), ("лепка", "ceramics"), ("рукоделие", "handicraft"),
           ("мультфильмы", "animation"), ("дроны", "drones"), ("электроника", "electronics"),
           ("дизайн", "graphics"), ("спорт", SPORTS), ("иностранный язык", ("english", "languages")),
           ("музыка", MUSIC), ("природа", "ecology")),
    *_kind("several words",
           ("футбольная секция", "football"), ("кружок рисования", "art"), ("танцы для девочек", DANCE),
           ("английский для начинающих", "english"), ("робототехника для начинающих", "robotics"),
           ("народные танцы", "kabardian_dance"), ("история родного края", "local_history"),
           ("игра на гитаре", "guitar"), ("театральная студия", "theatre"), ("химические опыты", "chemistry"),
           ("занятия по плаванию", "swimming"), ("секция борьбы", ("wrestling", "judo")),
           ("3d моделирование", "modeling3d"), ("финансовая грамотность", "finance"),
           ("подготовка к школе", "preschool"), ("горный туризм", "tourism")),
    # Judged before the search ran on them, and left as the search answered (no thesaurus entry added for them).
    *_kind("everyday words",
           ("рисовать", "art"), ("петь", "vocal"), ("танцевать", DANCE), ("плавать", "swimming"),
           ("бегать", "athletics"), ("кататься на лошади", "horse_riding"),
           ("научиться играть на гитаре", "guitar"), ("лего", "lego"), ("lego", "lego"), ("python", "programming"),
           ("конструктор", "lego"), ("кавказские танцы", "kabardian_dance"), ("лезгинка", "kabardian_dance"),
           ("самбо", "judo", {}, "Самбо"), ("карате", "striking", {}, "Карате"), ("гитара и вокал", ("guitar", "vocal")),
           ("юный эколог", "ecology"), ("паять", "electronics"), ("телескоп", "astronomy"),
           ("микроскоп", "biology"), ("ГТО", ("athletics", "fitness")), ("олимпиады по математике", "math")),
    *_kind("words with filters",
           ("танцы", DANCE, {"age": 6}), ("футбол", "football", {"certificate": True}),
           ("шахматы", "chess", {"level": "starting"}), ("рисование", "art", {"age": 7}),
           ("программирование", "programming", {"age": 12}), ("борьба", ("wrestling", "judo"), {"certificate": True}),
           ("англ", "english", {"age": 8}), ("туризм", "tourism", {"level": "basic"}),
           ("IT", "programming", {"age": 14}), ("плавание", "swimming", {"certificate": False}),
           ("хореография", DANCE, {"level": "advanced"}), ("спорт", SPORTS, {"age": 10, "certificate": True})),
]
