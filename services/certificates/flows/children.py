"""Children: added by their parent (listed by `queries/children.py`)."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal
from pfdo_kit.errors import conflict, invalid
from pfdo_kit.municipalities import Municipality, known
from services.certificates.domain.eligibility import age_rule, eligible
from services.certificates.models import Child


async def add_child(session: AsyncSession, principal: Principal, today: date, min_age: int, max_age: int,
                    municipalities: list[Municipality], **fields) -> Child:
    known(municipalities, fields["municipality"])
    if not eligible(fields["birth_date"], today, min_age, max_age):  # the certificate's rule, at the first step
        raise invalid("birth_date", age_rule(min_age, max_age))
    child = Child(id=uuid.uuid4(), owner=principal.subject, **fields)
    session.add(child)
    try:
        await session.flush()
    except IntegrityError:
        # Same СНИЛС, or the same name and birth date: say nothing about the other family.
        raise conflict("child-exists", "Этот ребёнок уже зарегистрирован. Обратитесь в муниципальный опорный центр",
                       field="snils") from None
    return child

