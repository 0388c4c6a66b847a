"""The gateway counts logins, resets and anonymous writes per visitor: behind one of our own frontends (the
Navigator, GATEWAY_TRUSTED_PROXIES) the address it forwards, from anybody else the connection's own."""
from __future__ import annotations

from types import SimpleNamespace

from starlette.requests import Request

from gateway.api.auth import client_address


def _request(host: str, forwarded: str | None, trusted: list[str]) -> Request:
    app = SimpleNamespace(state=SimpleNamespace(settings=SimpleNamespace(trusted_proxies=trusted)))
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "client": (host, 5000), "headers": headers, "app": app})


def test_only_a_trusted_frontend_names_the_visitor():
    assert client_address(_request("127.0.0.1", "203.0.113.7", ["127.0.0.1"])) == "203.0.113.7"
    assert client_address(_request("127.0.0.1", "10.0.0.1, 203.0.113.7", ["127.0.0.1"])) == "203.0.113.7"
    assert client_address(_request("198.51.100.2", "203.0.113.7", ["127.0.0.1"])) == "198.51.100.2"
    assert client_address(_request("127.0.0.1", "203.0.113.7", [])) == "127.0.0.1"
    assert client_address(_request("127.0.0.1", None, ["127.0.0.1"])) == "127.0.0.1"
