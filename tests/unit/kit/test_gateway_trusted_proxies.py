"""Every process reads the client's address the same way: behind one of our own proxies
(`<PREFIX>_TRUSTED_PROXIES`, addresses or networks) the address it forwards, the rightmost one that is
not itself a trusted proxy; from anybody else the connection's own."""
from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI, Request
from pydantic import ValidationError

from navigator.settings import NavigatorSettings
from pfdo_kit.proxies import UVICORN_PROXY_OPTIONS, ProxyHeadersMiddleware, check_networks, in_networks


def _app(trusted: list[str]) -> FastAPI:
    app = FastAPI()

    @app.get("/who")
    async def who(request: Request) -> dict:
        return {"client": request.client.host}
    if trusted:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=trusted)
    return app


async def _client_seen(peer: str, forwarded: str | None, trusted: list[str]) -> str:
    transport = httpx.ASGITransport(app=_app(trusted), client=(peer, 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        headers = {"x-forwarded-for": forwarded} if forwarded else {}
        return (await client.get("/who", headers=headers)).json()["client"]


async def test_only_a_trusted_proxy_names_the_client():
    assert await _client_seen("127.0.0.1", "203.0.113.7", ["127.0.0.1"]) == "203.0.113.7"
    assert await _client_seen("127.0.0.1", "10.0.0.1, 203.0.113.7", ["127.0.0.1"]) == "203.0.113.7"
    assert await _client_seen("198.51.100.2", "203.0.113.7", ["127.0.0.1"]) == "198.51.100.2"
    assert await _client_seen("127.0.0.1", "203.0.113.7", []) == "127.0.0.1"
    assert await _client_seen("127.0.0.1", None, ["127.0.0.1"]) == "127.0.0.1"


async def test_a_cluster_s_proxies_are_named_by_network_and_every_hop_of_ours_is_skipped():
    # visitor → ingress (10.42.0.7) → Navigator (10.42.1.9) → gateway: both hops are ours.
    assert await _client_seen("10.42.1.9", "203.0.113.7, 10.42.0.7", ["10.42.0.0/16"]) == "203.0.113.7"
    # a visitor who writes its own X-Forwarded-For cannot choose who it is: the ingress appends the real one
    assert await _client_seen("10.42.0.7", "198.51.100.1, 203.0.113.7", ["10.42.0.0/16"]) == "203.0.113.7"


def test_trusted_proxies_are_addresses_or_networks_never_anyone():
    assert check_networks(["10.0.0.0/8", " 127.0.0.1", "::1"]) == ["10.0.0.0/8", "127.0.0.1", "::1"]
    for bad in ("*", "ingress", "10.0.0.0/33"):
        with pytest.raises(ValueError):
            check_networks([bad])
    with pytest.raises(ValidationError):
        NavigatorSettings(session_secret="s" * 32, trusted_proxies=["*"])
    assert in_networks("10.1.2.3", ["10.0.0.0/8"]) and not in_networks("11.1.2.3", ["10.0.0.0/8"])


def test_uvicorn_never_reads_forwarded_headers_itself():
    # its default would believe 127.0.0.1 (or FORWARDED_ALLOW_IPS) whatever the process's setting says
    assert UVICORN_PROXY_OPTIONS["proxy_headers"] is False
