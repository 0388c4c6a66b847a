"""Following a long run (202 + Location) to its end, as a client of the API would."""
from __future__ import annotations

import httpx

from tests.support.waiting import eventually


async def finished_run(client: httpx.AsyncClient, started: httpx.Response, headers: dict,
                       timeout_s: float = 30) -> dict:
    """The run `started` answered (202), followed from its Location until done or failed."""
    assert started.status_code == 202, started.text
    assert started.json()["href"] == started.headers["location"]
    return await follow_run(client, started.headers["location"], headers, timeout_s)


async def follow_run(client: httpx.AsyncClient, location: str, headers: dict, timeout_s: float = 30) -> dict:
    run: dict = {}

    async def over() -> bool:
        r = await client.get(location, headers=headers)
        assert r.status_code == 200, r.text
        run.update(r.json())
        return run["status"] in ("done", "failed")
    await eventually(over, timeout_s=timeout_s, what=f"run {location} finished")
    return run
