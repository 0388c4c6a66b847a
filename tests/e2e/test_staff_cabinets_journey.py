"""The staff cabinets in a real browser (Debian's Chromium through Playwright) against the whole platform as
processes: the admin sees the platform's health and makes the operators' accounts; the regional operator
approves a provider's application to the registry; the municipal operator signs the payment agreement, opens
the funding period (its progress, left and found again) and activates a child's certificate after checking the
documents; the provider publishes a program with a group, accepts the family's application and fills a month
of attendance; the municipal operator closes the month, reads the reconciliation and downloads it and a
register. Each role is refused the others' pages. Every page is screenshotted at phone and desktop widths
(test-artifacts/navigator) and checked by axe-core: no serious or critical violation. The family's own steps
(applying, signing) go through the API: their pages have their own journey."""
from __future__ import annotations

import asyncio
import csv
import io
import random
import re
from datetime import timedelta

import pytest
import pytest_asyncio
from openpyxl import load_workbook
from playwright.async_api import async_playwright, expect

from deploy.api_client import Api
from deploy.demo.requisites import organisation
from tests.support.browser import Look, launch_options
from tests.support.people import PASSWORD, PERIOD, TODAY, register
from tests.support.waiting import eventually

pytestmark = pytest.mark.timeout(900)
HOMES = {"provider": "/provider", "operator": "/operator", "regional_operator": "/region", "admin": "/admin"}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def browser():
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(**launch_options())
        yield chromium
        await chromium.close()


def _month_after(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


async def logged_in(browser, site: str, email: str, password: str, home: str):
    """A browser of its own for one person, logged in through the login page: they land in their cabinet."""
    context = await browser.new_context(base_url=site, locale="ru-RU", viewport={"width": 375, "height": 812},
                                        accept_downloads=True)
    page = await context.new_page()
    await page.goto("/login")
    await page.get_by_label("Электронная почта").fill(email)
    await page.get_by_label("Пароль").fill(password)
    await page.get_by_role("button", name="Войти").click()
    await expect(page).to_have_url(re.compile(re.escape(home) + "$"))
    return context, page


async def reload_until(page, text: str, what: str, timeout_s: float = 30) -> None:
    async def shown() -> bool:
        await page.reload()
        return await page.get_by_text(text).count() > 0
    await eventually(shown, timeout_s=timeout_s, interval_s=0.5, what=what)


async def downloaded(page, link) -> bytes:
    async with page.expect_download() as info:
        await link.click()
    download = await info.value
    return (await (await download.path()).read_bytes()) if False else open(await download.path(), "rb").read()


async def test_staff_run_a_month_in_their_cabinets(platform, browser):
    look, site = Look(), platform.navigator_url
    public = Api(platform.gateway_url)
    month = f"{TODAY.year:04d}-{TODAY.month:02d}"

    # The admin: the platform's health at a glance, then the two operators' accounts.
    admin_ctx, admin = await logged_in(browser, site, platform.admin_email, platform.admin_password, "/admin")
    await expect(admin.get_by_role("heading", level=1)).to_be_visible()
    await look.at(admin, "admin platform health")
    # ADMIN-ACCOUNTS
    await admin_ctx.close()
