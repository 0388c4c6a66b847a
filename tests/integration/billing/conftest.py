from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

import pytest_asyncio

from services.billing.app import create_app as create_billing
from services.billing.settings import BillingSettings
from services.certificates.app import create_app as create_certificates
from services.certificates.settings import CertificatesSettings
from tests.support.service_app import RunningService, running_service, test_settings


def start_billing(url: str, amqp_url, bus_names, token_mint, **overrides) -> AbstractAsyncContextManager[RunningService]:
    settings = test_settings(BillingSettings, url, amqp_url, bus_names, token_mint,
                             **{"close_poll_interval_s": 0.2, **overrides})
    return running_service(create_billing, settings, token_mint, bus_names, "billing.#")


@pytest_asyncio.fixture(loop_scope="session")
async def billing(fresh_database, migrated_template, amqp_url, bus_names, token_mint) -> AsyncIterator[RunningService]:
    url = await fresh_database(template=await migrated_template("services.billing"))
    async with start_billing(url, amqp_url, bus_names, token_mint) as service:
        yield service


@pytest_asyncio.fixture(loop_scope="session")
async def certificates_only(fresh_database, migrated_template, amqp_url, bus_names,
                            token_mint) -> AsyncIterator[RunningService]:
    url = await fresh_database(template=await migrated_template("services.certificates"))
    settings = test_settings(CertificatesSettings, url, amqp_url, bus_names, token_mint)
    async with running_service(create_certificates, settings, token_mint, bus_names, "certificates.#") as certs:
        yield certs


@dataclass
class MoneyServices:
    certificates: RunningService
    billing: RunningService


@pytest_asyncio.fixture(loop_scope="session")
async def money(certificates_only, fresh_database, migrated_template, amqp_url, bus_names,
                token_mint) -> AsyncIterator[MoneyServices]:
    """Certificates and billing on one bus: the month's money saga with both real services."""
    url = await fresh_database(template=await migrated_template("services.billing"))
    async with start_billing(url, amqp_url, bus_names, token_mint, delivered_rule="attended_share") as bill:
        bill.app.state.certificates_client = certificates_only.client
        yield MoneyServices(certificates_only, bill)
