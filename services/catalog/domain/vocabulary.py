"""The fixed sets a program is described and searched by (docs/domain.md, «Programs»): its
direction (направленность), level and form, and the orders search sorts by. The API declares
them as enums, so a value outside them is refused (422) rather than finding nothing."""
from __future__ import annotations

from typing import Literal

# техническая, естественнонаучная, физкультурно-спортивная, художественная, туристско-краеведческая,
# социально-гуманитарная
Direction = Literal["technical", "natural_science", "physical_sports", "artistic", "tourism_local_history",
                    "social_humanitarian"]
Level = Literal["starting", "basic", "advanced"]  # стартовый, базовый, продвинутый
Form = Literal["in_person", "distance", "network"]  # очная, дистанционная, сетевая
SearchSort = Literal["relevance", "rating", "start"]
