"""Each service killed with SIGKILL in the middle of an enrollment rush and started again: the
sagas finish, the outbox rows a dead process left unsent go out after its restart, and the
month reconciles afterwards."""
from __future__ import annotations

import asyncio
import signal

import pytest

from tests.faults.rush_scenario import RushScenario
from tests.faults.sound_rush import assert_reconciled, assert_rush_sound

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]
VICTIMS = [("catalog", 150), ("certificates", 350), ("billing", 550), ("gateway", 750)]


async def test_every_service_killed_mid_rush_and_restarted_finishes_every_saga(platform):
    scenario = await RushScenario.seed(platform, children=1000, groups=50, seats=15, providers=25)
    killed: dict[str, dict] = {}

    async def kill_each_in_turn(driver) -> None:
        for name, after in VICTIMS:
            while len(driver.log.applied) < after and not driver.applying_done.is_set():
                await asyncio.sleep(0.05)
            await asyncio.to_thread(platform.platform.stop, name, signal.SIGKILL)
            unsent = await scenario._unsent(name) if name != "gateway" else 0
            await asyncio.sleep(1.0)
            platform.platform.start(name)
            late = await asyncio.to_thread(platform.platform.wait_ready, 60)
            assert not late, f"{late} did not come back"
            killed[name] = {"applied": len(driver.log.applied), "unsent_when_killed": unsent}

    log = await scenario.rush(during=kill_each_in_turn, deadline_s=400)
    await scenario.wait_outboxes_empty(60)
    checks = await scenario.checks(log)
    print("answers:", dict(log.answers))
    assert set(killed) == {name for name, _ in VICTIMS}, killed
    assert_rush_sound(checks)
    assert len(log.applied) == 1000 and checks["signed_contracts"] == checks["seats_wanted"]
    assert_reconciled(await scenario.close_month_and_reconcile())
