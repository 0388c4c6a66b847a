"""Each service killed with SIGKILL in the middle of an enrollment rush and started again: the
sagas finish, the outbox rows a dead process left unsent go out after its restart, and the
month reconciles afterwards. The catalog and the gateway die while families are applying, the
certificates service and billing while contracts are being reserved, offered and signed."""
from __future__ import annotations

import asyncio
import signal

import pytest

from tests.faults.rush_scenario import RushScenario
from tests.faults.sound_rush import assert_reconciled, assert_rush_sound

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]
CHILDREN = 300  # 225 seats (15 groups of 15): a quarter of the families end up waitlisted
# Each victim's moment, by the rush's progress. The providers accept as the last families apply
# (the driver's request slots are taken in turn), so the sagas run mostly after the applications.
# Certificates die after the first acceptances, while the reservations are under way (at the 20th
# signature, on a fast machine every reservation had been made already); the signatures then wait
# for its return, so billing dies in their middle.
APPLYING = ("catalog", "gateway")
VICTIMS = [("catalog", lambda log: len(log.applied) >= CHILDREN // 4),
           ("gateway", lambda log: len(log.applied) >= CHILDREN // 2),
           ("certificates", lambda log: len(log.latencies_ms["accept"]) >= 20),
           ("billing", lambda log: log.signed >= 110)]


async def test_every_service_killed_mid_rush_and_restarted_finishes_every_saga(platform):
    scenario = await RushScenario.seed(platform, children=CHILDREN, groups=15, seats=15, providers=8)
    killed: dict[str, dict] = {}

    async def kill_each_in_turn(driver) -> None:
        for name, moment in VICTIMS:
            at_kill = await scenario.reached(driver, moment, f"{name} was killed")
            await asyncio.to_thread(platform.platform.stop, name, signal.SIGKILL)
            unsent = await scenario._unsent(name) if name != "gateway" else 0
            await asyncio.sleep(1.0)
            platform.platform.start(name)
            late = await asyncio.to_thread(platform.platform.wait_ready, 60)
            assert not late, f"{late} did not come back"
            killed[name] = {"at_kill": at_kill, "unsent_when_killed": unsent,
                            "back": await scenario.progress(driver)}

    log = await scenario.rush(during=kill_each_in_turn, deadline_s=400)
    await scenario.wait_outboxes_empty(60)
    checks = await scenario.checks(log)
    print("answers:", dict(log.answers), "\nkilled:", killed)
    assert set(killed) == {name for name, _ in VICTIMS}, killed
    for name, seen in killed.items():
        assert seen["at_kill"]["applied"] > 0, f"{name}: killed before any work was done"
        assert seen["back"]["unfinished"] > 0, f"{name}: came back to a finished rush, not into the middle of it"
    assert all(killed[name]["at_kill"]["applying"] for name in APPLYING), killed
    assert killed["billing"]["at_kill"]["signed"] > 0, killed
    assert_rush_sound(checks)
    assert len(log.applied) == CHILDREN and checks["signed_contracts"] == checks["seats_wanted"]
    assert_reconciled(await scenario.close_month_and_reconcile())
