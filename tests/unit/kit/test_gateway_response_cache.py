"""The gateway's cache of public answers: only what a service marked public is shared, and an
in-flight call is shared only between identical requests of one caller."""
import asyncio

from multidict import CIMultiDict, CIMultiDictProxy

from gateway.response_cache import ResponseCache, public_max_age, stale_while_revalidate
from gateway.upstreams import UpstreamResponse


def answer(body: str, cache_control: str | None = None) -> UpstreamResponse:
    headers = CIMultiDict({"content-type": "application/json"})
    if cache_control:
        headers["cache-control"] = cache_control
    return UpstreamResponse(200, CIMultiDictProxy(headers), body.encode())


def test_only_public_answers_with_an_age_may_be_shared():
    assert public_max_age("public, max-age=5") == 5
    assert public_max_age("max-age=5") == 0
    assert public_max_age("public, max-age=5, no-store") == 0
    assert public_max_age("private, max-age=60") == 0
    assert public_max_age(None) == 0


async def test_two_callers_asking_the_same_private_address_at_once_get_their_own_answers():
    cache, calls = ResponseCache(), []

    async def fetch_for(who: str):
        async def fetch():
            calls.append(who)
            await asyncio.sleep(0.01)
            return answer(f"list of {who}")
        return fetch

    a, b = await asyncio.gather(cache.get_or_fetch("/applications?status=submitted", "Bearer A", await fetch_for("A")),
                                cache.get_or_fetch("/applications?status=submitted", "Bearer B", await fetch_for("B")))
    assert (a.content, b.content) == (b"list of A", b"list of B")
    assert sorted(calls) == ["A", "B"]
    again = await cache.get_or_fetch("/applications?status=submitted", "Bearer B", await fetch_for("B"))
    assert again.content == b"list of B" and len(calls) == 3, "a private answer is never kept"


async def test_one_callers_identical_requests_share_one_call_and_a_public_answer_serves_everyone():
    cache, calls = ResponseCache(), []

    async def fetch():
        calls.append(1)
        await asyncio.sleep(0.01)
        return answer('{"items": []}', "public, max-age=30")

    pages = await asyncio.gather(*(cache.get_or_fetch("/programs?q=футбол", "", fetch) for _ in range(20)))
    assert len(calls) == 1 and {p.content for p in pages} == {b'{"items": []}'}
    later = await cache.get_or_fetch("/programs?q=футбол", "Bearer someone", fetch)
    assert later.content == b'{"items": []}' and len(calls) == 1


async def test_a_failed_call_is_not_kept():
    cache = ResponseCache()

    async def broken():
        raise RuntimeError("upstream down")

    for _ in range(2):
        try:
            await cache.get_or_fetch("/programs", "", broken)
        except RuntimeError:
            pass
        else:
            raise AssertionError("the error must reach the caller")


def test_the_cache_can_be_turned_off():
    cache, calls = ResponseCache(max_entries=0), []

    async def fetch():
        calls.append(1)
        return answer("{}", "public, max-age=30")

    pages = [asyncio.run(cache.get_or_fetch("/programs", "", fetch)) for _ in range(2)]
    assert all(p.content == b"{}" for p in pages) and len(calls) == 2


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_how_long_a_stale_answer_may_be_served():
    assert stale_while_revalidate("public, max-age=5, stale-while-revalidate=25") == 25
    assert stale_while_revalidate("public, max-age=5") == 0
    assert stale_while_revalidate("private, max-age=5, stale-while-revalidate=25") == 0


async def test_a_stale_answer_is_served_at_once_while_one_call_fetches_its_successor():
    clock, calls, release = Clock(), [], asyncio.Event()
    cache = ResponseCache(clock=clock)

    async def fetch():
        calls.append(1)
        if len(calls) > 1:
            await release.wait()
        return answer(f"page {len(calls)}", "public, max-age=5, stale-while-revalidate=25")

    assert (await cache.get_or_fetch("/programs", "", fetch)).content == b"page 1"
    clock.now += 6  # stale, still servable
    pages = [await cache.get_or_fetch("/programs", "", fetch) for _ in range(10)]
    assert {p.content for p in pages} == {b"page 1"}, "nobody waits for the refresh"
    await asyncio.sleep(0)  # the refresh starts
    assert len(calls) == 2, "one refresh, however many callers"
    release.set()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert (await cache.get_or_fetch("/programs", "", fetch)).content == b"page 2"
    assert len(calls) == 2


async def test_past_its_stale_time_an_answer_is_fetched_again_and_waited_for():
    clock, calls = Clock(), []
    cache = ResponseCache(clock=clock)

    async def fetch():
        calls.append(1)
        return answer(f"page {len(calls)}", "public, max-age=5, stale-while-revalidate=25")

    await cache.get_or_fetch("/programs", "", fetch)
    clock.now += 31
    assert (await cache.get_or_fetch("/programs", "", fetch)).content == b"page 2"


async def test_a_failed_refresh_keeps_the_stale_copy_and_a_no_longer_public_answer_drops_it():
    clock, outcomes = Clock(), ["public", "fail", "private"]
    cache = ResponseCache(clock=clock)

    async def fetch():
        outcome = outcomes.pop(0)
        if outcome == "fail":
            raise RuntimeError("catalog down")
        return answer(outcome, "public, max-age=5, stale-while-revalidate=25" if outcome == "public" else "private")

    await cache.get_or_fetch("/programs", "", fetch)
    clock.now += 6
    assert (await cache.get_or_fetch("/programs", "", fetch)).content == b"public"
    await asyncio.sleep(0.01)  # the refresh failed
    assert (await cache.get_or_fetch("/programs", "", fetch)).content == b"public"
    await asyncio.sleep(0.01)  # this refresh answered privately: the copy is gone
    outcomes.append("public")
    assert (await cache.get_or_fetch("/programs", "", fetch)).content == b"public"
    assert outcomes == [], "the third call went upstream"
