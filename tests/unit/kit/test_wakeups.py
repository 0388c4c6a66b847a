"""A loop that waits for a wake-up or a timeout stops when cancelled, even when the cancel comes with the
wake-up (pfdo_kit.wakeups: asyncio.wait_for on Python 3.11 swallowed that cancel, and a service's stop
waited for its outbox relay for ever)."""
import asyncio

import pytest

from pfdo_kit.wakeups import woken


async def _loop_on(event: asyncio.Event) -> None:
    while True:
        await woken(event, 10)
        event.clear()


@pytest.mark.parametrize("steps", range(6))
async def test_a_cancel_that_comes_with_the_wake_up_stops_the_loop(steps):
    event = asyncio.Event()
    task = asyncio.create_task(_loop_on(event))
    await asyncio.sleep(0)  # the loop waits
    event.set()
    for _ in range(steps):  # the wake-up travels through the loop's waits, step by step
        await asyncio.sleep(0)
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=1)
    assert done and task.cancelled()


async def test_it_says_whether_the_event_came_or_the_time_ran_out():
    event = asyncio.Event()
    assert not await woken(event, 0.01)
    asyncio.get_running_loop().call_later(0.01, event.set)
    assert await woken(event, 5)


async def test_a_service_stops_without_a_task_that_lost_its_cancel(caplog):
    """pfdo_kit.runtime's stop waits a bounded time for each of its tasks."""
    from pfdo_kit.runtime import _cancelled

    deaf_until = asyncio.Event()

    async def deaf() -> None:
        while not deaf_until.is_set():
            try:
                await asyncio.sleep(0.01)
            except asyncio.CancelledError:
                continue  # as a lost cancel looks from outside

    task = asyncio.create_task(deaf(), name="deaf")
    await asyncio.sleep(0)
    await _cancelled(task, within_s=0.05)
    assert not task.done() and "did not stop when cancelled" in caplog.text
    deaf_until.set()
    await task
