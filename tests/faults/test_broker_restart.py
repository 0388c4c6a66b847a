"""RabbitMQ stopped and started (`rabbitmqctl stop_app` / `start_app`) in the middle of an
enrollment rush of 300 applications, while contracts are being reserved, offered and signed:
every saga finishes, nothing lost, nothing doubled, and the month closes and reconciles to the
kopeck afterwards."""
from __future__ import annotations

import asyncio

import pytest

from tests.faults.infrastructure_control import restart_rabbitmq
from tests.faults.rush_scenario import RushScenario
from tests.faults.sound_rush import assert_reconciled, assert_rush_sound

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]
CHILDREN = 300  # 225 seats (15 groups of 15): a quarter of the families end up waitlisted
# The providers accept only once every family has applied (the driver's request slots are taken
# in turn): from the 40th signature on, every step of the saga has events on the bus.
RESTART_AT_SIGNED = 40
# A relay that cannot publish waits twice as long before each new try, up to 30 s by default:
# after ~8 s without a broker the outboxes would idle up to ~13 s more once it is back.
PLATFORM_ENV = {"{P}OUTBOX_MAX_BACKOFF_S": "1"}


async def test_the_broker_restarting_mid_rush_loses_and_doubles_nothing(platform):
    scenario = await RushScenario.seed(platform, children=CHILDREN, groups=15, seats=15, providers=8)
    seen = {}

    async def restart_when_busy(driver) -> None:
        seen["at_restart"] = await scenario.reached(driver, lambda log: log.signed >= RESTART_AT_SIGNED,
                                                    "the broker restarted")
        await asyncio.to_thread(restart_rabbitmq, 3.0)
        seen["after_restart"] = await scenario.progress(driver)

    log = await scenario.rush(during=restart_when_busy, deadline_s=400)
    await scenario.wait_outboxes_empty(60)
    checks = await scenario.checks(log)
    print("answers:", dict(log.answers), "\nrestart:", seen)
    assert seen["at_restart"]["signed"] > 0, "the sagas must be running when the broker stops"
    assert seen["after_restart"]["unfinished"] > 0, "the restart must land in the middle of the rush"
    assert_rush_sound(checks)
    assert len(log.applied) == CHILDREN and checks["signed_contracts"] == checks["seats_wanted"]
    assert_reconciled(await scenario.close_month_and_reconcile())
