"""Robust connections: one for publishing, one for consuming, so a consumer's flow
control never stalls the relay and the other way round."""
from __future__ import annotations

import aio_pika
from aio_pika.abc import AbstractRobustConnection


async def connect(url: str, name: str) -> AbstractRobustConnection:
    return await aio_pika.connect_robust(
        url, client_properties={"connection_name": name}, reconnect_interval=1.0
    )
