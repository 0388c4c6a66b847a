"""The gateway's throttles: moving windows in process memory here (the shared Redis store through the `limits`
library is tested in tests/integration/gateway)."""
from __future__ import annotations

import asyncio

from limits import RateLimitItemPerSecond

from gateway.process_windows import ProcessWindows
from gateway.throttle import Limiter, LoginThrottle, ResetThrottle, Window, shared_storage


def _limiter() -> Limiter:
    return Limiter(None, "pfdo:test")


async def test_a_window_blocks_after_the_limit_and_forgets_old_hits():
    w = Window(_limiter(), "w", limit=2, window_s=1)
    assert await w.take("a") == 0 and await w.take("a") == 0
    assert await w.take("a") >= 1 and await w.blocked_for("a") >= 1 and await w.blocked_for("b") == 0
    await asyncio.sleep(1.1)
    assert await w.blocked_for("a") == 0


async def test_failed_logins_block_the_account_and_the_address_and_a_success_forgives_the_account():
    throttle = LoginThrottle(_limiter(), per_account=2, per_address=3, window_s=60)
    await throttle.failed("anna", "10.0.0.1")
    await throttle.failed("anna", "10.0.0.1")
    assert await throttle.blocked_for("anna", "10.0.0.2") > 0 and await throttle.blocked_for("boris", "10.0.0.1") == 0
    await throttle.succeeded("anna")
    assert await throttle.blocked_for("anna", "10.0.0.2") == 0
    await throttle.failed("boris", "10.0.0.1")
    assert await throttle.blocked_for("carl", "10.0.0.1") > 0, "one address guessing many accounts"


async def test_past_a_mailbox_s_limit_no_more_mail_goes_but_the_address_is_counted():
    throttle = ResetThrottle(_limiter(), per_address=3, per_email=1, window_s=60)
    assert await throttle.admit("a@x.ru", "10.0.0.1") and not await throttle.admit("a@x.ru", "10.0.0.1")
    assert await throttle.admit("b@x.ru", "10.0.0.1")
    assert await throttle.address_blocked_for("10.0.0.1") > 0


async def test_a_store_that_does_not_answer_leaves_each_process_counting_alone():
    limiter = Limiter(shared_storage("redis://127.0.0.1:9/0"), "pfdo:test")  # nothing listens on port 9
    w = Window(limiter, "w", limit=1, window_s=60)
    assert await w.take("a") == 0 and await w.take("a") > 0


async def test_process_windows_forget_idle_keys_without_a_task_or_a_thread():
    clock = [1000.0]
    windows = ProcessWindows(now=lambda: clock[0])
    item = RateLimitItemPerSecond(2, 10)
    for key in ("a", "b", "c"):
        assert await windows.hit(item, "w", key)
    assert await windows.hit(item, "w", "a") and not await windows.hit(item, "w", "a")
    assert (await windows.get_window_stats(item, "w", "a")).remaining == 0
    clock[0] += 10.5  # every window passed; the sweep is due (a minute since the first call? not yet)
    assert await windows.test(item, "w", "a") and len(windows) == 3
    clock[0] += 60
    await windows.test(item, "w", "z")
    assert len(windows) == 0, "idle keys dropped by the sweep of the call that came due"
