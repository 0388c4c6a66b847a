"""The catalog's fixed vocabularies, with the Russian words parents see."""
from __future__ import annotations

DIRECTIONS = {
    "technical": "техническая",
    "natural_science": "естественнонаучная",
    "physical_sports": "физкультурно-спортивная",
    "artistic": "художественная",
    "tourism_local_history": "туристско-краеведческая",
    "social_humanitarian": "социально-гуманитарная",
}
LEVELS = {"starting": "стартовый", "basic": "базовый", "advanced": "продвинутый"}
FORMS = {"in_person": "очная", "distance": "дистанционная", "network": "сетевая"}
REGISTERS = {"certified": "сертифицированные", "significant": "значимые",
             "preprofessional": "предпрофессиональные", "other": "иные"}
