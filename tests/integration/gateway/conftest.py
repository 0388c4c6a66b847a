from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest_asyncio
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI

from deploy.local.mail_sink import MailSink
from gateway.flows.accounts import create_account
from gateway.app import create_app as create_gateway
from gateway.settings import GatewaySettings
from gateway.upstreams import Upstreams
from services.billing.app import create_app as create_billing
from services.billing.settings import BillingSettings
from services.certificates.app import create_app as create_certificates
from services.certificates.settings import CertificatesSettings
from services.notifications.app import create_app as create_notifications
from services.notifications.settings import NotificationsSettings
from tests.support.service_app import RunningService, running_service, test_settings


NAVIGATOR = "https://navigator.test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def signing_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def slow_app(seconds: float) -> FastAPI:
    app = FastAPI()

    @app.get("/{path:path}")
    async def slow(path: str):
        await asyncio.sleep(seconds)
        return {}
    return app


@asynccontextmanager
async def on_loopback(app: FastAPI) -> AsyncIterator[str]:
    """Serve `app` over real TCP on 127.0.0.1 (timeouts only exist on a real socket)."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@dataclass
class GatewayWorld:
    gateway: RunningService
    certificates: RunningService
    billing: RunningService
    notifications: RunningService
    mail: MailSink

    async def admin_token(self) -> str:
        async with self.gateway.app.state.runtime.sessions() as session, session.begin():
            await create_account(session, self.gateway.app.state.runtime.outbox, email="admin@chegem.ru",
                                 password="admin-pass-123", role="admin", municipality=None, created_by="test")
        return await self.login("admin@chegem.ru", "admin-pass-123")

    async def login(self, email: str, password: str) -> str:
        r = await self.gateway.client.post("/api/v1/auth/token", json={"email": email, "password": password})
        assert r.status_code == 200, r.text
        return r.json()["access_token"]


@pytest_asyncio.fixture(loop_scope="session")
async def world(fresh_database, migrated_template, amqp_url, bus_names, token_mint, tmp_path: Path
                ) -> AsyncIterator[GatewayWorld]:
    """The gateway in front of real certificates, billing and notifications services (the last
    mailing a local SMTP sink); the registry does not answer (refused connection) and the
    catalog answers too slowly."""
    key = signing_key()
    from gateway.tokens import Signer
    public = Signer(key, "k", "pfdo-gateway", "pfdo", 60).public_pem
    cert_url = await fresh_database(template=await migrated_template("services.certificates"))
    bill_url = await fresh_database(template=await migrated_template("services.billing"))
    gw_url = await fresh_database(template=await migrated_template("gateway"))
    notes_url = await fresh_database(template=await migrated_template("services.notifications"))
    trusted = dict(jwt_public_keys=[public, token_mint.public_pem])
    cert_settings = test_settings(CertificatesSettings, cert_url, amqp_url, bus_names, token_mint).model_copy(
        update=trusted)
    bill_settings = test_settings(BillingSettings, bill_url, amqp_url, bus_names, token_mint).model_copy(
        update=trusted)
    mail = MailSink(tmp_path / "mail", _free_port())
    notes_settings = test_settings(
        NotificationsSettings, notes_url, amqp_url, bus_names, token_mint, smtp_port=mail.port, smtp_tls="none",
        mail_poll_interval_s=0.1, public_base_url=NAVIGATOR).model_copy(update=trusted)
    mail.start()
    try:
        async with AsyncExitStack() as stack:
            certs = await stack.enter_async_context(
                running_service(create_certificates, cert_settings, token_mint, bus_names, "certificates.#"))
            bill = await stack.enter_async_context(
                running_service(create_billing, bill_settings, token_mint, bus_names, "billing.#"))
            notes = await stack.enter_async_context(
                running_service(create_notifications, notes_settings, token_mint, bus_names, "notifications.#"))
            slow_url = await stack.enter_async_context(on_loopback(slow_app(3.0)))
            urls = {"registry": "http://127.0.0.1:9", "catalog": slow_url}
            for name, service in (("certificates", certs), ("billing", bill), ("notifications", notes)):
                urls[name] = await stack.enter_async_context(on_loopback(service.app))
            upstreams = Upstreams(urls, timeout_s=0.5, connections=10)
            gw_settings = test_settings(GatewaySettings, gw_url, amqp_url, bus_names, token_mint, signing_key_pem=key,
                                        writes_per_minute=40, max_body_bytes=10_000, password_resets_per_address=6)
            gw = await stack.enter_async_context(running_service(lambda s: create_gateway(s, upstreams), gw_settings,
                                                                 token_mint, bus_names, "gateway.#"))
            yield GatewayWorld(gw, certs, bill, notes, mail)
    finally:
        mail.stop()
