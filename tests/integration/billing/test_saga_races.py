"""Events about one application come from two services and are handled concurrently: every
order and every overlap must end in the same contract state."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select

from services.billing.models import Contract
from tests.integration.billing.test_contracts_and_attendance import MONTHS
from tests.support.billing_events import accepted, bus_names_of, reserved
from tests.support.service_app import publish
from tests.support.waiting import eventually


async def test_acceptances_and_reservations_handled_together_always_make_offers(billing):
    svc = billing
    envelopes = []
    for i in range(60):
        app = accepted(certificate_id=uuid.uuid4(), child_id=uuid.uuid4(), provider_id=uuid.uuid4(), months=MONTHS,
                       starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 30))
        envelopes += [app, reserved(app)] if i % 2 else [reserved(app), app]
    await publish(svc.settings.amqp_url, bus_names_of(svc), *envelopes)

    async def all_offered() -> bool:
        async with svc.app.state.runtime.sessions() as session:
            return await session.scalar(select(func.count()).where(Contract.status == "offered")) == 60
    await eventually(all_offered, timeout_s=30, what="60 offers")
