"""Every event delivered twice (a harness republishes each one) during an enrollment rush and
a month close: no reservation, seat, contract or debit happens twice."""
from __future__ import annotations

import pytest

from tests.faults.doubler import Doubler
from tests.faults.rush_scenario import RushScenario
from tests.faults.sound_rush import assert_reconciled, assert_rush_sound

pytestmark = [pytest.mark.integration, pytest.mark.timeout(420)]


async def test_every_event_delivered_twice_moves_money_and_seats_once(platform, amqp_url):
    scenario = await RushScenario.seed(platform, children=300, groups=15, seats=15, providers=5)
    exchange = platform.platform.config.extra_env["{P}BUS_EXCHANGE"]
    async with Doubler(amqp_url, exchange) as doubler:
        log = await scenario.rush()
        await scenario.wait_outboxes_empty()
        checks = await scenario.checks(log)
        closed = await scenario.close_month_and_reconcile()
        copied = doubler.copied
    print("answers:", dict(log.answers))
    assert_rush_sound(checks)
    assert len(log.applied) == 300 and checks["signed_contracts"] == checks["seats_wanted"]
    assert copied > 300 * 4, "each application's events (submitted, accepted, reserved, offered, signed) copied"
    assert_reconciled(closed)
    async with scenario.connected("certificates") as cert:
        twice = await cert.fetchval("SELECT count(*) FROM (SELECT contract_id, month FROM ledger_entries"
                                    " WHERE kind = 'debit' GROUP BY 1, 2 HAVING count(*) > 1) AS d")
    assert twice == 0
