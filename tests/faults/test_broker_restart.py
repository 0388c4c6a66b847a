"""RabbitMQ stopped and started (`rabbitmqctl stop_app` / `start_app`) in the middle of an
enrollment rush of 1 000 applications: every saga finishes, nothing lost, nothing doubled,
and the month closes and reconciles to the kopeck afterwards."""
from __future__ import annotations

import asyncio

import pytest

from tests.faults.infrastructure_control import restart_rabbitmq
from tests.faults.rush_scenario import RushScenario
from tests.faults.sound_rush import assert_reconciled, assert_rush_sound

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]


async def test_the_broker_restarting_mid_rush_loses_and_doubles_nothing(platform):
    scenario = await RushScenario.seed(platform, children=1000, groups=50, seats=15, providers=25)
    seen = {}

    async def restart_when_busy(driver) -> None:
        while len(driver.log.applied) < 300:
            await asyncio.sleep(0.05)
        seen["applied_at_restart"] = len(driver.log.applied)
        await asyncio.to_thread(restart_rabbitmq, 3.0)
        seen["unfinished_after_restart"] = await scenario.unfinished()

    log = await scenario.rush(during=restart_when_busy, deadline_s=400)
    await scenario.wait_outboxes_empty(60)
    checks = await scenario.checks(log)
    print("answers:", dict(log.answers))
    assert seen["unfinished_after_restart"] > 0, "the restart must land in the middle of the rush"
    assert_rush_sound(checks)
    assert len(log.applied) == 1000 and checks["signed_contracts"] == checks["seats_wanted"]
    assert_reconciled(await scenario.close_month_and_reconcile())
