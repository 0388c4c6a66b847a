"""The whole platform as separate processes on loopback: its own databases (fresh), its own
bus names, free ports, its own signing key, and the local SMTP sink the notifications mail
to (its mail kept in a temporary directory). The end-to-end and fault tests start it."""
from __future__ import annotations

import asyncio
import importlib
import secrets
import socket
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import aio_pika
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from deploy.accounts_cli import ensure_account
from deploy.local import dev_keys
from deploy.local.mail_sink import MailSink
from deploy.local.processes import Platform, PlatformConfig
from deploy.local.services import NAVIGATOR, SERVICES
from pfdo_kit.bus.names import BusNames
from tests.support.databases import create_database, database_url, drop_database
from tests.support.municipalities import TEST_MUNICIPALITIES_JSON


def _free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """Distinct free ports: every socket stays bound until all are chosen (one at a time, the
    system may hand the same port out twice — two processes of the platform then share it)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


@dataclass
class RunningPlatform:
    platform: Platform
    gateway_url: str
    mail: MailSink
    admin_email: str = "admin@pfdo-e2e.ru"
    admin_password: str = "e2e-admin-2026"

    @property
    def navigator_url(self) -> str:
        """The families' web pages (the Navigator process)."""
        return self.service_url(NAVIGATOR.name)

    def service_url(self, name: str) -> str:
        """Where a service (or the gateway) answers directly, bypassing the gateway."""
        return f"http://127.0.0.1:{self.platform.config.ports[name]}"

    @property
    def signing_key_pem(self) -> str:
        return self.platform.config.signing_key_pem

    @cached_property
    def signing_key(self) -> rsa.RSAPrivateKey:
        """The gateway's key, loaded once: loading the PEM costs ~40 ms, far more than a signature,
        and a rush mints a token for each of its families."""
        return load_pem_private_key(self.signing_key_pem.encode(), password=None)

    def stop(self, name: str) -> None:
        self.platform.stop(name)

    def restart(self, name: str, env: dict[str, str]) -> None:
        self.platform.stop(name)
        self.platform.start(name, env)
        if late := self.platform.wait_ready(60):
            raise RuntimeError(f"{late} did not come back")


@asynccontextmanager
async def running_platform(pg_admin_url: str, amqp_url: str, migrated_template: Callable[[str], Awaitable[str]],
                           *, log_level: str = "WARNING", log_dir: Path | None = None,
                           extra_env: dict[str, str] | None = None,
                           workers: dict[str, int] | None = None) -> AsyncIterator[RunningPlatform]:
    """`log_dir`: capture each process's output in `<log_dir>/<service>.log`; `workers`: uvicorn workers
    per process by name (1 where not named)."""
    names: list[str] = []
    urls: dict[str, str] = {}
    for s in SERVICES:
        template = await migrated_template(s.package)
        names.append(await create_database(pg_admin_url, template))
        urls[s.name] = database_url(pg_admin_url, names[-1])
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    uid = uuid.uuid4().hex[:10]
    *service_ports, navigator_port, mail_port = free_ports(len(SERVICES) + 2)
    ports = {s.name: port for s, port in zip(SERVICES, service_ports)} | {NAVIGATOR.name: navigator_port}
    config = PlatformConfig(
        urls, amqp_url, "test-district", dev_keys.private_pem(key), dev_keys.public_pem(key), ports=ports,
        mail_port=mail_port, navigator_secret=secrets.token_urlsafe(32), workers=dict(workers or {}),
        extra_env={"{P}BUS_EXCHANGE": f"test.{uid}.events", "{P}BUS_QUEUE_PREFIX": f"test.{uid}",
                   # The platform deletes its queues when it stops (below); the expiry only cleans up
                   # after a run that died. Not shorter: retry and dead-letter queues have no consumer,
                   # so a short expiry dropped a long test's retries and dead letters.
                   "{P}BUS_QUEUE_EXPIRES_MS": "900000", "{P}OUTBOX_POLL_INTERVAL_S": "0.2",
                   "{P}BUS_RETRY_DELAYS_MS": "[200, 1000]", "BILLING_CLOSE_POLL_INTERVAL_S": "0.5",
                   "NOTIFICATIONS_MAIL_POLL_INTERVAL_S": "0.2",
                   "{P}LOG_LEVEL": log_level, "{P}MUNICIPALITIES": TEST_MUNICIPALITIES_JSON,
                   # The services learn the signing key only from the gateway's JWKS (a process
                   # must not fetch keys from itself: the gateway keeps its own).
                   **{f"{s.env_prefix}JWT_PUBLIC_KEYS": "[]" for s in SERVICES if s.name != "gateway"},
                   **{f"{s.env_prefix}JWT_JWKS_URL": f"http://127.0.0.1:{ports['gateway']}/.well-known/jwks.json"
                      for s in SERVICES if s.name != "gateway"},
                   **(extra_env or {})})
    platform = Platform(config, log_dir=log_dir)
    await ensure_account(urls["gateway"], RunningPlatform.admin_email, RunningPlatform.admin_password, "admin",
                         district="test-district")
    with tempfile.TemporaryDirectory(prefix="pfdo-mail-") as mail_dir:
        sink = MailSink(Path(mail_dir), config.mail_port)
        sink.start()
        platform.start()
        try:
            if late := await asyncio.to_thread(platform.wait_ready, 90):
                raise RuntimeError(f"not ready: {late}")
            yield RunningPlatform(platform, f"http://127.0.0.1:{config.ports['gateway']}", sink)
        finally:
            await asyncio.to_thread(platform.stop)
            sink.stop()
            for name in names:
                await drop_database(pg_admin_url, name)
            await delete_bus(amqp_url, f"test.{uid}", f"test.{uid}.events")


# Enough for any test's retry tiers: deleting a queue that was never declared is harmless.
MAX_RETRY_TIERS = 5


def platform_queues(prefix: str) -> list[str]:
    """Every queue the platform's processes declare under `prefix`: each consumer's queue, its
    dead-letter queue and retry queues, and the parking queue of unroutable messages."""
    names = BusNames(queue_prefix=prefix)
    queues = [names.unroutable_queue]
    for service in SERVICES:
        for spec in importlib.import_module(f"{service.package}.handlers").CONSUMERS:
            queue = names.queue(spec.service, spec.purpose)
            queues += [queue, BusNames.dead_letter_queue(queue),
                       *(BusNames.retry_queue(queue, tier) for tier in range(MAX_RETRY_TIERS))]
    return queues


async def delete_bus(amqp_url: str, prefix: str, exchange: str) -> None:
    """Quorum queues are heavy for the broker (files, processes): a platform's go when it stops
    rather than pile up until they expire (hundreds at once ran the broker out of file handles)."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        for queue in platform_queues(prefix):
            await channel.queue_delete(queue)
        names = BusNames(exchange=exchange)
        await channel.exchange_delete(names.exchange)
        await channel.exchange_delete(names.unroutable_exchange)
