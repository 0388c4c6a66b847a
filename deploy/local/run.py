"""`make run`: every service on loopback, migrated, until Ctrl-C or SIGTERM.

Zero configuration: an embedded PostgreSQL under ./var/ (unless <SERVICE>_DATABASE_URL
is set) and RabbitMQ at PFDO_AMQP_URL (default amqp://guest:guest@127.0.0.1:5672/).
"""
from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import aio_pika
import httpx

from deploy.local import databases, dev_keys
from deploy.local.services import SERVICES

AMQP_URL = os.environ.get("PFDO_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
DISTRICT = os.environ.get("PFDO_DISTRICT", "chegem")
VAR = Path(os.environ.get("PFDO_VAR_DIR", "var"))


def say(msg: str) -> None:
    print(f"[run] {msg}", flush=True)


async def broker_answers() -> bool:
    try:
        conn = await asyncio.wait_for(aio_pika.connect(AMQP_URL), 5)
        await conn.close()
        return True
    except Exception:
        return False


async def prepare_databases() -> dict[str, str]:
    urls = {s.name: databases.configured_url(s.env_prefix) for s in SERVICES}
    if all(urls.values()):
        return urls
    say(f"starting embedded PostgreSQL in {VAR / 'postgres'}")
    server = databases.embedded_server(VAR)
    admin = server.get_uri("postgres")
    for s in SERVICES:
        urls[s.name] = urls[s.name] or await databases.ensure_database(admin, s.name)
    return urls


def service_env(service, database_url: str, public_key: str) -> dict[str, str]:
    p = service.env_prefix
    env = dict(os.environ)
    env.update({
        f"{p}DATABASE_URL": database_url, f"{p}AMQP_URL": AMQP_URL, f"{p}DISTRICT": DISTRICT,
        f"{p}PORT": str(service.port), f"{p}HOST": "127.0.0.1", f"{p}JWT_PUBLIC_KEYS": json.dumps([public_key]),
    })
    return env


def wait_ready(port: int, timeout_s: float = 60) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    return False


def die_with_parent() -> None:
    """Linux: get SIGTERM when the parent (make, a terminal, a supervisor) goes away."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main() -> int:
    die_with_parent()
    VAR.mkdir(parents=True, exist_ok=True)
    if not asyncio.run(broker_answers()):
        say(f"RabbitMQ does not answer at {AMQP_URL}.")
        say("Start one: `rabbitmq-server -detached` (Debian package rabbitmq-server), or "
            "`docker run -d -p 5672:5672 rabbitmq:3.13`, or set PFDO_AMQP_URL.")
        return 1
    urls = asyncio.run(prepare_databases())
    key = dev_keys.load_or_create_key(VAR)
    pem = dev_keys.public_pem(key)

    children: list[subprocess.Popen] = []

    def stop(*_: object) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                child.kill()

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        for s in SERVICES:
            env = service_env(s, urls[s.name], pem)
            subprocess.run([sys.executable, "-m", s.package, "migrate"], env=env, check=True)
            children.append(subprocess.Popen([sys.executable, "-m", s.package, "serve"], env=env,
                                             preexec_fn=die_with_parent))
        for s in SERVICES:
            if not wait_ready(s.port):
                say(f"{s.name} did not become ready on port {s.port}")
                stop()
                return 1
            say(f"{s.name}: http://127.0.0.1:{s.port}/docs  (ready)")
        say(f"district: {DISTRICT}. A demo operator token (12 h), for the Authorization: Bearer header:")
        print(dev_keys.dev_token(key, "operator", DISTRICT), flush=True)
        say("Ctrl-C stops everything.")
        while all(c.poll() is None for c in children):
            time.sleep(0.5)
        say("a service exited; stopping the rest")
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
