"""Seats under concurrent acceptances: a program's enrollment limit holds across its groups."""
from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from services.catalog.models import Application, Group
from tests.integration.catalog.conftest import announce_provider
from tests.integration.catalog.test_applications import TODAY, _apply, _children, _group_of
from tests.integration.catalog.test_programs_and_search import program, publish_program


async def test_concurrent_acceptances_into_two_groups_hold_the_program_s_limit(catalog):
    provider = await announce_provider(catalog)
    pid = await publish_program(catalog, provider, program("Скалолазание", enrollment_limit=5), capacity=10)
    staff = catalog.tokens.headers("provider", provider_id=provider)
    module = (await catalog.client.get(f"/api/v1/programs/{pid}")).json()["modules"][0]["id"]
    second = (await catalog.client.post(f"/api/v1/programs/{pid}/groups", headers=staff, json={
        "module_id": module, "venue": "скалодром", "teacher": "Ошхунов А. Б.", "capacity": 10,
        "schedule": [{"weekday": 2, "starts_at": "17:00", "minutes": 60}],
        "starts_on": TODAY.isoformat(), "ends_on": (TODAY + timedelta(days=90)).isoformat()})).json()["id"]
    groups = [await _group_of(catalog, pid), second]
    kids = await _children(catalog, 20, owner_prefix="climber")
    apps = [(await _apply(catalog, k, groups[n % 2])).json()["id"] for n, k in enumerate(kids)]

    answers = await asyncio.gather(*(catalog.client.post(f"/api/v1/applications/{a}/accept", headers=staff)
                                     for a in apps))
    statuses = [r.json()["status"] for r in answers]
    assert (statuses.count("accepted"), statuses.count("waitlisted")) == (5, 15)
    async with catalog.app.state.runtime.sessions() as s:
        taken = await s.scalar(select(func.sum(Group.taken)).where(Group.id.in_([uuid.UUID(g) for g in groups])))
        held = await s.scalar(select(func.count()).select_from(Application).where(
            Application.program_id == uuid.UUID(pid), Application.holds_seat.is_(True)))
    assert (taken, held) == (5, 5)
