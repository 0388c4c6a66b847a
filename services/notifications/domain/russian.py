"""Numbers and dates in Russian for the notices: the kit's words (`pfdo_kit.russian`, which
billing's documents use too), under the names notifications always imported."""
from pfdo_kit.russian import (  # noqa: F401
    CERTIFICATES,
    DAYS,
    HOURS,
    LESSONS,
    NBSP,
    PROVIDERS,
    Forms,
    day,
    moment,
    month,
    plural,
    plural_form,
)
