"""`make run`: the gateway and every service on loopback, migrated, with the demo region
(PFDO_REGION, default kbr: deploy/regions/kbr.yaml) loaded once, until Ctrl-C or SIGTERM.

Zero configuration: an embedded PostgreSQL under ./var/ (unless <SERVICE>_DATABASE_URL
is set), RabbitMQ at PFDO_AMQP_URL, else the machine's at amqp://guest:guest@127.0.0.1:5672/, else
(installed but not running) a private node under ./var/rabbitmq (deploy/local/broker.py), and a local
SMTP sink on 127.0.0.1:PFDO_MAIL_PORT (default 8025) keeping the notifications' mail as .eml
files under ./var/mail (unless NOTIFICATIONS_SMTP_HOST names a real mail server).
"""
from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from deploy.accounts_cli import ensure_account
from deploy.api_client import Api
from deploy.demo import region as demo
from deploy.local import broker, databases, dev_keys
from deploy.local.mail_sink import DEFAULT_PORT, MailSink
from deploy.local.processes import Platform, PlatformConfig, die_with_parent
from deploy.local.services import NAVIGATOR, SERVICES
from deploy.region_config import RegionConfig, region

CONFIGURED_AMQP_URL = os.environ.get("PFDO_AMQP_URL")
PRIVATE_BROKER_PORT = int(os.environ.get("PFDO_RABBITMQ_PORT", broker.DEFAULT_PRIVATE_PORT))
REGION = os.environ.get("PFDO_REGION", "kbr")
VAR = Path(os.environ.get("PFDO_VAR_DIR", "var"))
GATEWAY = "http://127.0.0.1:8000"
NAVIGATOR_URL = f"http://127.0.0.1:{NAVIGATOR.port}"
MAIL_PORT = int(os.environ.get("PFDO_MAIL_PORT", DEFAULT_PORT))


def say(msg: str) -> None:
    print(f"[run] {msg}", flush=True)


def prepare_broker() -> tuple[str | None, broker.PrivateBroker | None]:
    """The broker's URL (None: there is none to be had) and the private node we started, if any."""
    decision = broker.plan(CONFIGURED_AMQP_URL, broker.broker_answers, broker.installed_server(), PRIVATE_BROKER_PORT)
    if decision.action == "fail":
        say(decision.reason)
        return None, None
    if decision.action == "use":
        say(f"RabbitMQ: {decision.reason} at {decision.url}")
        return decision.url, None
    node = broker.PrivateBroker(broker.installed_server(), VAR, PRIVATE_BROKER_PORT)
    say(f"{decision.reason}: starting a private node in {VAR / 'rabbitmq'} on {decision.url} (stops with make run)")
    node.start(preexec_fn=die_with_parent)
    if not node.wait_ready():
        node.stop()
        say(f"the private RabbitMQ node did not start: see {VAR / 'rabbitmq' / 'node.log'}")
        return None, None
    return node.url, node


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


def region_config() -> RegionConfig:
    return region(REGION)


async def load_demo_once(gateway_db_url: str) -> None:
    marker = VAR / "demo-region.loaded"
    if (VAR / "demo-district.loaded").exists():
        say(f"{VAR} holds the one-district demo of an older version; remove {VAR} (`make clean`) to load "
            "the regional demo")
        return
    await ensure_account(gateway_db_url, demo.ADMIN_EMAIL, demo.PASSWORD, "admin", district=REGION)
    if not marker.exists():
        config = region_config()
        say(f"loading the demo region (once): {config.name}, "
            + " and ".join(m.name for m in config.municipalities[:2])
            + ": operators, funding periods, 10 providers, 154 programs, agreements, 3 families (about 2 minutes)…")
        started = time.monotonic()
        admin = await Api(GATEWAY).login(demo.ADMIN_EMAIL, demo.PASSWORD)
        logins = await demo.load(GATEWAY, admin, config)
        marker.write_text("\n".join([logins.admin, logins.regional_operator, *logins.operators, *logins.providers,
                                     *logins.parents]) + "\n")
        say(f"demo region loaded in {time.monotonic() - started:.0f} s; enrolled with the robotics school: "
            + "; ".join(logins.enrolled))
    logins = marker.read_text().split()
    say(f"demo logins (password {demo.PASSWORD}): "
        + ", ".join(line for line in logins if not line.startswith(("provider", "parent")))
        + ", provider1…10@…, parents: " + ", ".join(line for line in logins if line.startswith("parent")))


def start_mail_sink() -> MailSink | None:
    """None when the operator named a mail server of their own."""
    if os.environ.get("NOTIFICATIONS_SMTP_HOST"):
        say(f"notifications mail goes to {os.environ['NOTIFICATIONS_SMTP_HOST']} (NOTIFICATIONS_SMTP_*)")
        return None
    sink = MailSink(VAR / "mail", MAIL_PORT)
    sink.start()
    say(f"SMTP sink on 127.0.0.1:{MAIL_PORT}: every mail the platform sends is kept as an .eml file in "
        f"{(VAR / 'mail').resolve()}")
    return sink


def announce_accounts_once(platform: Platform) -> None:
    """Accounts made before notifications existed (an older ./var) become known to it: once."""
    marker = VAR / "accounts.announced"
    if marker.exists():
        return
    gateway = next(s for s in SERVICES if s.name == "gateway")
    subprocess.run([sys.executable, "-m", "gateway", "announce-accounts"], env=platform.config.env(gateway),
                   check=True, stdout=subprocess.DEVNULL)
    marker.touch()


def navigator_secret() -> str:
    """Kept under ./var, so a restart keeps the families' sessions."""
    path = VAR / "navigator-session.secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def main() -> int:
    print(f"Навигатор: {NAVIGATOR_URL}", flush=True)
    die_with_parent()
    VAR.mkdir(parents=True, exist_ok=True)
    amqp_url, node = prepare_broker()
    if amqp_url is None:
        return 1
    try:
        return run_platform(amqp_url)
    finally:
        if node is not None:
            node.stop()


def run_platform(amqp_url: str) -> int:
    urls = asyncio.run(prepare_databases())
    key = dev_keys.load_or_create_key(VAR)
    sink = start_mail_sink()
    platform = Platform(PlatformConfig(urls, amqp_url, REGION, dev_keys.private_pem(key), dev_keys.public_pem(key),
                                       extra_env=region_config().service_env(),
                                       mail_port=MAIL_PORT if sink else None, navigator_secret=navigator_secret()))
    signal.signal(signal.SIGTERM, lambda *_: (platform.stop(), sys.exit(0)))
    try:
        platform.migrate()
        platform.start()
        if late := platform.wait_ready():
            say(f"did not become ready: {', '.join(late)}")
            return 1
        for s in SERVICES:
            say(f"{s.name}: http://127.0.0.1:{s.port}/docs")
        announce_accounts_once(platform)
        asyncio.run(load_demo_once(urls["gateway"]))
        say(f"the platform answers at {GATEWAY} (one API: {GATEWAY}/docs). Ctrl-C stops everything.")
        say(f"Навигатор: {NAVIGATOR_URL} — пароль всех демо-входов {demo.PASSWORD}; каждый попадает в свой кабинет: "
            f"семья parent1@{demo.DOMAIN}, поставщик provider1@{demo.DOMAIN}, "
            f"оператор муниципалитета {demo.operator_email(region_config().municipalities[0].code)}, "
            f"региональный оператор {demo.REGIONAL_EMAIL}, администратор {demo.ADMIN_EMAIL}")
        while platform.all_running():
            time.sleep(0.5)
        say("a process exited; stopping the rest")
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        platform.stop()
        if sink is not None:
            sink.stop()


if __name__ == "__main__":
    sys.exit(main())
