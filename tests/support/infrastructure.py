"""Where the tests' PostgreSQL and RabbitMQ (and Redis, the gateway's shared throttle store) come from.

1. TEST_DATABASE_URL / TEST_AMQP_URL when set;
2. else containers through testcontainers when a Docker engine answers;
3. else the local servers on 127.0.0.1 (this machine and CI run them).
Whatever is chosen must answer, or the run fails: it never skips. Redis: TEST_REDIS_URL, else the
local server on 127.0.0.1:6379 (.ci/run starts it).
"""
from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from dataclasses import dataclass, field

import aio_pika
import asyncpg

LOCAL_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_AMQP = "amqp://guest:guest@127.0.0.1:5672/"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


@dataclass
class Infrastructure:
    pg_url: str
    amqp_url: str
    source: str
    _containers: list = field(default_factory=list)
    rabbit_container: object | None = None
    redis_url: str = field(default_factory=lambda: os.environ.get("TEST_REDIS_URL") or LOCAL_REDIS)

    def stop(self) -> None:
        for c in self._containers:
            c.stop()

    def close_all_broker_connections(self) -> None:
        """Make the broker drop every client connection, as a restart or a network cut would."""
        cmd = ["rabbitmqctl", "close_all_connections", "test: connection drop"]
        if self.rabbit_container is not None:
            code, out = self.rabbit_container.exec(cmd)
            assert code == 0, out
            return
        if shutil.which("rabbitmqctl") is None:
            raise RuntimeError("rabbitmqctl is needed to drop broker connections in this test")
        subprocess.run(cmd, check=True, capture_output=True, timeout=60)


def _docker_answers() -> bool:
    if shutil.which("docker") is None and not os.environ.get("DOCKER_HOST"):
        return False
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


def start() -> Infrastructure:
    pg, amqp = os.environ.get("TEST_DATABASE_URL"), os.environ.get("TEST_AMQP_URL")
    if pg and amqp:
        return Infrastructure(pg, amqp, "environment")
    if _docker_answers():
        from testcontainers.postgres import PostgresContainer
        from testcontainers.rabbitmq import RabbitMqContainer

        containers = []
        rabbit = None
        if not pg:
            pgc = PostgresContainer("postgres:15", driver=None).start()
            containers.append(pgc)
            pg = pgc.get_connection_url()
        if not amqp:
            rabbit = RabbitMqContainer("rabbitmq:3.13").start()
            containers.append(rabbit)
            params = rabbit.get_connection_params()
            amqp = f"amqp://guest:guest@{params.host}:{params.port}/"
        return Infrastructure(pg, amqp, "testcontainers", containers, rabbit)
    return Infrastructure(pg or LOCAL_PG, amqp or LOCAL_AMQP, "local servers")


async def check(infra: Infrastructure) -> None:
    """Fail loudly, naming what is missing and how to start it."""
    try:
        conn = await asyncio.wait_for(asyncpg.connect(infra.pg_url), 10)
        await conn.close()
    except Exception as exc:
        raise RuntimeError(
            f"PostgreSQL is not reachable at {infra.pg_url} ({infra.source}): {exc!r}. "
            "Set TEST_DATABASE_URL, run a Docker engine, or start the local server."
        ) from exc
    try:
        conn = await asyncio.wait_for(aio_pika.connect(infra.amqp_url), 10)
        await conn.close()
    except Exception as exc:
        raise RuntimeError(
            f"RabbitMQ is not reachable at {infra.amqp_url} ({infra.source}): {exc!r}. "
            "Set TEST_AMQP_URL, run a Docker engine, or start the local server."
        ) from exc
    import redis.asyncio

    client = redis.asyncio.Redis.from_url(infra.redis_url, socket_connect_timeout=5)
    try:
        await client.ping()
    except Exception as exc:
        raise RuntimeError(f"Redis is not reachable at {infra.redis_url}: {exc!r}. Set TEST_REDIS_URL or start "
                           "the local server (redis-server --daemonize yes).") from exc
    finally:
        await client.aclose()
