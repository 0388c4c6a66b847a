"""A process's overview (/health/status) and the gateway's platform query: the parts are read at once under
one deadline, a part that hangs is reported unknown on its own, and the gateway asks each service once."""
import asyncio
import json
import time
from types import SimpleNamespace

from multidict import CIMultiDict, CIMultiDictProxy

from gateway.queries import platform as platform_query
from gateway.upstreams import UpstreamResponse
from pfdo_kit import process_status


class _Gauge:
    def __init__(self, wait_s: float):
        self.wait_s = wait_s

    async def read(self):
        await asyncio.sleep(self.wait_s)
        return [("pfdo.catalog.x.dlq", 3)]


def _runtime(gauge) -> SimpleNamespace:
    return SimpleNamespace(service="catalog", engine=object(), tables=SimpleNamespace(outbox=None),
                           dead_letter_gauge=gauge, broker_connected=lambda: True)


async def test_a_hanging_part_is_unknown_on_its_own_and_the_answer_keeps_its_deadline(monkeypatch):
    async def database_ok(engine, timeout_s):
        await asyncio.sleep(0.2)
        return True

    async def outbox_backlog(engine, outbox):
        await asyncio.sleep(60)  # a locked table: never answers

    monkeypatch.setattr(process_status, "database_ok", database_ok)
    monkeypatch.setattr(process_status, "outbox_backlog", outbox_backlog)
    monkeypatch.setattr(process_status, "DEADLINE_S", 0.5)
    started = time.monotonic()
    answer = await process_status.status(_runtime(_Gauge(0.3)))
    assert time.monotonic() - started < 0.9  # the parts ran at once (0.2 + 0.3 in sequence, then the deadline)
    assert answer["ready"] is True and answer["dead_letters"] == [{"queue": "pfdo.catalog.x.dlq", "messages": 3}]
    assert (answer["outbox_unsent"], answer["outbox_oldest_age_s"]) == (0, None)
    assert answer["error"] == "очередь исходящих событий (outbox) не прочитана"


async def test_a_database_that_does_not_answer_in_time_is_not_ready(monkeypatch):
    async def database_ok(engine, timeout_s):
        await asyncio.sleep(60)

    async def outbox_backlog(engine, outbox):
        return 4, 1.5

    monkeypatch.setattr(process_status, "database_ok", database_ok)
    monkeypatch.setattr(process_status, "outbox_backlog", outbox_backlog)
    monkeypatch.setattr(process_status, "DEADLINE_S", 0.2)
    answer = await process_status.status(_runtime(None))
    assert (answer["ready"], answer["outbox_unsent"], answer["outbox_oldest_age_s"]) == (False, 4, 1.5)
    assert "брокер" in answer["error"]


class _Upstreams:
    def __init__(self, answers: dict):
        self.answers, self.asked = answers, []

    async def send(self, name, method, path, headers):
        self.asked.append((name, path))
        code, body = self.answers[name]
        return UpstreamResponse(code, CIMultiDictProxy(CIMultiDict()), json.dumps(body).encode())


async def test_the_gateway_asks_each_service_for_its_status_only_and_takes_ready_from_it(monkeypatch):
    body = {"service": "x", "ready": False, "broker": "ok", "outbox_unsent": 2, "outbox_oldest_age_s": 0.5,
            "dead_letters": [], "error": None}
    names = ("registry", "catalog")
    monkeypatch.setattr(platform_query, "SERVICES", names)
    upstreams = _Upstreams({"registry": (200, {**body, "ready": True}), "catalog": (503, {"title": "x"})})
    registry, catalog = [await platform_query._service(upstreams, n, {}) for n in names]
    assert upstreams.asked == [("registry", "/health/status"), ("catalog", "/health/status")]
    assert registry == {**body, "service": "registry", "ready": True}
    assert (catalog["ready"], catalog["error"]) == (False, "сервис ответил 503 на /health/status")
    assert set(catalog) == set(body)  # the same fields either way
