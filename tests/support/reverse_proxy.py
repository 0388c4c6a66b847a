"""A reverse proxy on loopback, as an ingress is: it forwards every request to one target from its own
address and appends the address its client connected from to X-Forwarded-For."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "host", "content-length"}


@asynccontextmanager
async def reverse_proxy(target: str, *, source_address: str = "127.0.0.1") -> AsyncIterator[str]:
    """Serve on 127.0.0.1 (a free port); connect to `target` from `source_address` (any 127.x works)."""
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(source_address, 0)))

    async def forward(request: web.Request) -> web.Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        seen = request.headers.get("X-Forwarded-For")
        headers["X-Forwarded-For"] = f"{seen}, {request.remote}" if seen else str(request.remote)
        async with session.request(request.method, target + request.rel_url.raw_path_qs, headers=headers,
                                   data=await request.read(), allow_redirects=False) as upstream:
            body = await upstream.read()
            kept = {k: v for k, v in upstream.headers.items() if k.lower() not in _HOP_BY_HOP}
            return web.Response(body=body, status=upstream.status, headers=kept)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", forward)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()
        await session.close()
