"""The gateway's pooled upstream connections against a service that closes idle ones (issue 15:
2 of 20 concurrent applications answered `502 Сервис каталога недоступен` while the catalog was
healthy).

The race, made deterministic: the service (real uvicorn, its own thread) closes an idle keep-alive
connection while the gateway's event loop is busy (`time.sleep` blocks it, as a rush does), so the
service's FIN waits unread and the pool still takes the connection for the next request; the request
goes into a socket the service has closed and the connection is lost before any answer."""
from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from fastapi import FastAPI, Request
from pydantic import ValidationError

from gateway.domain.routes import SERVICES
from gateway.settings import GatewaySettings
from gateway.upstreams import Upstreams
from pfdo_kit import cli
from pfdo_kit.errors import ProblemError
from pfdo_kit.settings import SERVER_KEEP_ALIVE_MIN_S, ServiceSettings
from tests.support.municipalities import TEST_MUNICIPALITIES, TEST_MUNICIPALITIES_JSON

SERVICE_KEEP_ALIVE_S = 1  # the service under test closes an idle connection after 1 s
BUSY_S = SERVICE_KEEP_ALIVE_S + 0.5  # the gateway's loop is busy past that moment
REQUIRED = {"database_url": "postgresql://u@h/db", "amqp_url": "amqp://h/", "district": "chegem",
            "municipalities": TEST_MUNICIPALITIES}


def _catalog_app(seen: list[tuple[str, str | None, int]]) -> FastAPI:
    app = FastAPI()

    @app.api_route("/api/v1/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def anything(path: str, request: Request):
        await request.body()
        seen.append((request.method, request.headers.get("idempotency-key"), request.client.port))
        return {"ok": True}
    return app


@contextmanager
def _serving(app: FastAPI) -> Iterator[str]:
    """uvicorn on 127.0.0.1 in its own thread and loop, so it closes connections while ours is blocked."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off",
                                           timeout_keep_alive=SERVICE_KEEP_ALIVE_S))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the test service did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@contextmanager
def _dying_after_reading(received: list[bytes]) -> Iterator[str]:
    """A service that reads a whole request (and so may have applied it) and dies before answering."""
    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            head = b""
            while not head.endswith(b"\r\n\r\n"):
                head += self.rfile.read(1)
            length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            received.append(head + self.rfile.read(length))

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def _upstreams(url: str, **kwargs) -> Upstreams:
    return Upstreams({name: url for name in SERVICES}, timeout_s=5, connections=4, **kwargs)


async def _send_twice_across_the_close(upstreams: Upstreams, method: str, headers: dict[str, str]):
    body = None if method == "GET" else b'{"group_id": "g"}'
    first = await upstreams.send("catalog", method, "/api/v1/applications", headers=headers, content=body)
    assert first.status_code == 200
    time.sleep(BUSY_S)  # noqa: ASYNC251 — blocks the loop on purpose: the service's close waits unread
    return await upstreams.send("catalog", method, "/api/v1/applications", headers=headers, content=body)


async def test_a_pooled_connection_is_dropped_before_the_service_would_close_it():
    """The cause made impossible: the pool reuses a connection only while it has been idle for less
    than the service keeps it, so even a write without a key (never repeated) gets through."""
    seen = []
    with _serving(_catalog_app(seen)) as url:
        upstreams = Upstreams.from_settings(GatewaySettings(
            **REQUIRED, signing_key_pem="-", catalog_url=url, upstream_keep_alive_s=SERVICE_KEEP_ALIVE_S / 2))
        try:
            second = await _send_twice_across_the_close(upstreams, "POST", {"authorization": "Bearer parent"})
        finally:
            await upstreams.close()
    assert second.status_code == 200
    assert [m for m, _, _ in seen] == ["POST", "POST"]
    assert seen[0][2] != seen[1][2], "the second went on a new connection"


@pytest.mark.parametrize("method, headers", [
    ("GET", {}),
    ("POST", {"Idempotency-Key": "apply-1"}),
    ("PUT", {"Idempotency-Key": "period-1"}),
])
async def test_a_read_or_a_keyed_write_on_a_connection_the_service_closed_is_repeated_once(method, headers):
    """The pool held longer than the service (as when a service restarts and closes its connections):
    the connection is lost before any answer; a read, or a write whose Idempotency-Key makes a repeat
    safe, is sent once more on a new connection and succeeds."""
    seen = []
    with _serving(_catalog_app(seen)) as url:
        upstreams = _upstreams(url)
        try:
            second = await _send_twice_across_the_close(upstreams, method, headers)
        finally:
            await upstreams.close()
    assert second.status_code == 200
    assert [(m, key) for m, key, _ in seen] == [(method, headers.get("Idempotency-Key"))] * 2


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_a_write_without_a_key_is_not_repeated_after_it_was_sent(method):
    """Its body went out; whether the service read it is unknown, so the caller gets the 502."""
    seen = []
    with _serving(_catalog_app(seen)) as url:
        upstreams = _upstreams(url)
        try:
            with pytest.raises(ProblemError) as lost:
                await _send_twice_across_the_close(upstreams, method, {"authorization": "Bearer parent"})
        finally:
            await upstreams.close()
    assert (lost.value.status, lost.value.title) == (502, "Сервис каталога недоступен")
    assert [m for m, _, _ in seen] == [method], "sent once, never repeated"


async def test_a_write_the_service_read_before_dying_is_sent_once_without_a_key_and_repeated_with_one():
    received: list[bytes] = []
    with _dying_after_reading(received) as url:
        upstreams = _upstreams(url)
        try:
            with pytest.raises(ProblemError) as lost:
                await upstreams.send("catalog", "POST", "/api/v1/applications", content=b"{}")
            assert lost.value.status == 502 and len(received) == 1, "applied at most once"
            with pytest.raises(ProblemError):
                await upstreams.send("catalog", "POST", "/api/v1/applications", content=b"{}",
                                     headers={"Idempotency-Key": "apply-2"})
        finally:
            await upstreams.close()
    assert len(received) == 3 and all(b"idempotency-key: apply-2" in r.lower() for r in received[1:]), \
        "a keyed write is repeated once, the service answers the repeat from its key"


def test_the_keep_alive_relation_is_checked_at_start(monkeypatch):
    required = REQUIRED
    assert ServiceSettings(**required).http_keep_alive_s >= SERVER_KEEP_ALIVE_MIN_S
    with pytest.raises(ValidationError):
        ServiceSettings(**required, http_keep_alive_s=SERVER_KEEP_ALIVE_MIN_S - 1)
    gateway = GatewaySettings(**required, signing_key_pem="-")
    assert gateway.upstream_keep_alive_s < SERVER_KEEP_ALIVE_MIN_S <= gateway.http_keep_alive_s
    with pytest.raises(ValidationError):
        GatewaySettings(**required, signing_key_pem="-", upstream_keep_alive_s=SERVER_KEEP_ALIVE_MIN_S)
    with pytest.raises(ValueError):
        _upstreams("http://127.0.0.1:9", keep_alive_s=SERVER_KEEP_ALIVE_MIN_S)

    started = {}
    monkeypatch.setattr(cli.uvicorn, "run", lambda *args, **kwargs: started.update(kwargs))
    for name, value in required.items():
        monkeypatch.setenv("REGISTRY_" + name.upper(), value if isinstance(value, str) else TEST_MUNICIPALITIES_JSON)
    monkeypatch.setenv("REGISTRY_HTTP_KEEP_ALIVE_S", "90")
    from services.registry.settings import RegistrySettings
    cli.service_main("services.registry", RegistrySettings, "services.registry.app:create_app", ["serve"])
    assert started["timeout_keep_alive"] == 90, "the service's server keeps idle connections as set"

