"""The platform's processes as a benchmark runs them: bench ports, bus names of its own (deleted
afterwards), one signing key whose tokens the bench mints for its parents, providers and operators."""
from __future__ import annotations

import asyncio
import shutil
import subprocess
import time

import aio_pika
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from bench.databases import AMQP, BenchDatabases
from bench.servers import peak_rss_mb
from deploy.local import dev_keys
from deploy.local.processes import Platform, PlatformConfig
from deploy.region_config import region

PORTS = {"gateway": 18100, "registry": 18101, "certificates": 18102, "catalog": 18103, "billing": 18104}


def mint_token(key, role: str, subject: str, municipality: str | None = None, provider_id=None,
               hours: int = 2) -> str:
    """An access token as the gateway issues them, signed with `key` (object or PEM)."""
    now = int(time.time())
    claims = {"sub": subject, "role": role, "iss": "pfdo-gateway", "aud": "pfdo", "iat": now,
              "exp": now + hours * 3600}
    if municipality:
        claims["municipality"] = municipality
    if provider_id:
        claims["provider_id"] = str(provider_id)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "pfdo-1"})  # the gateway's default key id


# The benchmarks' installation: the demo region's municipalities.
DEMO_REGION = region("kbr")


class BenchPlatform:
    def __init__(self, dbs: BenchDatabases, workers: dict[str, int] | None = None,
                 env: dict[str, str] | None = None) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.prefix = f"bench.{dbs.uid}"
        self.platform = Platform(PlatformConfig(
            dbs.urls, AMQP, "bench", dev_keys.private_pem(self.key), dev_keys.public_pem(self.key), ports=PORTS,
            workers=workers or {},
            extra_env={"{P}BUS_EXCHANGE": f"{self.prefix}.events", "{P}BUS_QUEUE_PREFIX": self.prefix,
                       "{P}BUS_QUEUE_EXPIRES_MS": "600000", "{P}LOG_LEVEL": "WARNING",
                       "{P}MUNICIPALITIES": DEMO_REGION.service_env()["CATALOG_MUNICIPALITIES"], **(env or {})}))

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{PORTS[service]}"

    async def start(self, *services: str) -> None:
        for name in services:
            self.platform.start(name)
        if late := await asyncio.to_thread(self.platform.wait_ready, 90):
            raise RuntimeError(f"not ready: {late}")

    def peak_rss_mb(self) -> dict[str, float]:
        return {name: peak_rss_mb(p.pid) for name, p in self.platform.processes.items()}

    def token(self, role: str, subject: str, municipality: str | None = None, provider_id=None) -> str:
        return mint_token(self.key, role, subject, municipality, provider_id)

    async def stop(self) -> None:
        await asyncio.to_thread(self.platform.stop)
        await self._delete_bus_names()

    async def _delete_bus_names(self) -> None:
        """Delete the queues now: hundreds expiring together later would stall the broker."""
        if shutil.which("rabbitmqctl") is None:
            return
        listed = subprocess.run(["rabbitmqctl", "list_queues", "-q", "--no-table-headers", "name"],
                                capture_output=True, text=True)
        queues = [q for q in listed.stdout.split() if q.startswith(self.prefix)]
        connection = await aio_pika.connect(AMQP)
        async with connection:
            channel = await connection.channel()
            for queue in queues:
                await channel.queue_delete(queue)
            for exchange in (f"{self.prefix}.events", f"{self.prefix}.events.unroutable"):
                await channel.exchange_delete(exchange)
