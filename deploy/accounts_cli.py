"""Making an account straight in the gateway's database: the first admin of a region (every
later account can be made through the API by an admin). Its `AccountRegistered` goes into the
gateway's outbox with it; the gateway's relay publishes it."""
from __future__ import annotations

from gateway.flows.accounts import create_account
from gateway.models import messaging
from pfdo_kit.db import make_engine, make_sessions
from pfdo_kit.errors import ProblemError
from pfdo_kit.outbox import Outbox


async def ensure_account(database_url: str, email: str, password: str, role: str,
                         municipality: str | None = None, *, district: str) -> bool:
    """True if made now, False if an account with that e-mail already exists."""
    engine = make_engine(database_url, pool_size=1, max_overflow=0)
    try:
        async with make_sessions(engine)() as session, session.begin():
            await create_account(session, Outbox(messaging.outbox, district), email=email, password=password,
                                 role=role, municipality=municipality, created_by="cli")
        return True
    except ProblemError:
        return False
    finally:
        await engine.dispose()
