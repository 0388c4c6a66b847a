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
from openpyxl import load_workbook
from playwright.async_api import expect

from deploy.api_client import Api
from deploy.demo.requisites import organisation
from tests.support.browser import Look, reload_until
from tests.support.people import PASSWORD, PERIOD, TODAY, month_after, register
from tests.support.waiting import eventually

pytestmark = pytest.mark.timeout(900)
HOMES = {"provider": "/provider", "operator": "/operator", "regional_operator": "/region", "admin": "/admin"}



async def logged_in(browser, site: str, email: str, password: str, home: str):
    """A browser of its own for one person, logged in through the login page: they land in their cabinet."""
    context = await browser.new_context(base_url=site, locale="ru-RU", viewport={"width": 375, "height": 812},
                                        accept_downloads=True)
    page = await context.new_page()
    await page.goto("/login")
    await page.get_by_label("Электронная почта").fill(email)
    await page.get_by_label("Пароль", exact=True).fill(password)
    await page.get_by_role("button", name="Войти").click()
    await expect(page).to_have_url(re.compile(re.escape(home) + "$"))
    return context, page



async def downloaded(page, link) -> bytes:
    async with page.expect_download() as info:
        await link.click()
    download = await info.value
    with open(await download.path(), "rb") as saved:
        return saved.read()


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode()), "CSV for Russian Excel starts with a BOM"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


async def section(page, name: str) -> None:
    await page.get_by_role("navigation", name="Разделы кабинета").get_by_role("link", name=name, exact=True).click()


async def refused_elsewhere(page, own: str) -> None:
    """Every other staff cabinet answers 403 and shows nothing of itself."""
    for home in HOMES.values():
        if home == own:
            continue
        answer = await page.goto(home)
        assert answer.status == 403, (own, home, answer.status)
        await expect(page.get_by_role("heading", level=1)).to_have_text("Раздел недоступен")
    await page.goto(own)


async def test_staff_run_a_month_in_their_cabinets(platform, browser):
    look, site = Look(), platform.navigator_url
    public = Api(platform.gateway_url)
    first = TODAY.replace(day=1)
    last = month_after(first) - timedelta(days=1)
    month = f"{first.year:04d}-{first.month:02d}"
    # The month runs from its first day: the catalog (a contract starts the day it is accepted) and billing
    # (signing, marks) stand on the 1st, so the provider has a whole month of lessons to mark.
    await asyncio.to_thread(platform.restart, "catalog", {"CATALOG_CLOCK_DATE": first.isoformat()})
    await asyncio.to_thread(platform.restart, "billing", {"BILLING_CLOCK_DATE": first.isoformat()})

    # The admin: the platform's health at a glance, then the two operators' accounts.
    admin_ctx, admin = await logged_in(browser, site, platform.admin_email, platform.admin_password, "/admin")
    await expect(admin.get_by_role("heading", level=1)).to_have_text("Состояние платформы")
    await expect(admin.get_by_role("row", name=re.compile("billing"))).to_contain_text("✓ Готов")
    await look.at(admin, "admin platform health")
    for email, role, municipality in (("region@pfdo-e2e.ru", "regional_operator", None),
                                      ("op-chegem@pfdo-e2e.ru", "operator", "chegem")):
        await admin.goto("/admin/accounts")
        await admin.get_by_role("link", name="Создать учётную запись").click()
        await admin.get_by_label("Электронная почта").fill(email)
        await admin.get_by_label("Пароль", exact=True).fill(PASSWORD)
        await admin.get_by_label("ФИО").fill("Оператор " + email.split("@")[0])
        await admin.get_by_label("Роль", exact=True).select_option(role)
        if municipality:
            await admin.get_by_label(re.compile("^Муниципалитет")).select_option(municipality)
        await admin.get_by_role("button", name="Создать учётную запись").click()
        await expect(admin.get_by_role("rowheader", name=email)).to_be_visible()
    await look.at(admin, "admin accounts")
    await refused_elsewhere(admin, "/admin")

    # The provider applies to the registry through the API; the regional operator admits it in the cabinet.
    staff = await register(public, "club@pfdo-e2e.ru", role="provider")
    provider = await staff.call("POST", "/providers", json=organisation(random.Random(41)))
    region_ctx, region = await logged_in(browser, site, "region@pfdo-e2e.ru", PASSWORD, "/region")
    await look.at(region, "region overview")
    await section(region, "Реестр поставщиков")
    await region.get_by_role("link", name=provider["short_name"]).first.click()
    await look.at(region, "region provider application")
    await region.get_by_role("button", name="Допустить в реестр").click()
    await expect(region.locator(".flash")).to_have_text("Поставщик допущен в реестр.")
    await look.at(region, "region provider approved")

    # The municipal operator: the payment agreement, then the funding period opened with its progress.
    op_ctx, op = await logged_in(browser, site, "op-chegem@pfdo-e2e.ru", PASSWORD, "/operator")
    await look.at(op, "operator overview")
    await section(op, "Поставщики")
    await look.at(op, "operator providers")
    await op.get_by_role("link", name=provider["short_name"]).first.click()
    await op.get_by_label("Год соглашения").fill(str(TODAY.year))
    await op.get_by_label("Номер соглашения").fill("ОП-41")
    await op.get_by_label("Дата заключения").fill(f"{TODAY.year}-01-10")
    await op.get_by_label("Соглашение действует").check()
    await op.get_by_role("button", name="Сохранить соглашение").click()
    await expect(op.get_by_role("rowheader", name=str(TODAY.year))).to_be_visible()
    await look.at(op, "operator provider with agreement")
    operator_api = await public.login("op-chegem@pfdo-e2e.ru", PASSWORD)
    await operator_api.call("PUT", f"/municipalities/chegem/periods/{TODAY.year}", json=PERIOD)
    await section(op, "Период финансирования")
    await look.at(op, "operator period")
    await op.get_by_role("button", name="Открыть период").click()
    await expect(op).to_have_url(re.compile(r"/operator/period/\d+/runs/"))
    run_url = op.url
    await look.at(op, "operator period run")
    await section(op, "Обзор")  # left; found again in the period's list of runs
    await section(op, "Период финансирования")
    await op.locator(f'a[href="{run_url.removeprefix(site)}"]').first.click()
    await reload_until(op, "завершено", "the period's opening done")
    await refused_elsewhere(op, "/operator")

    # The provider: a program with a group, published; the region certifies it.
    prov_ctx, prov = await logged_in(browser, site, "club@pfdo-e2e.ru", PASSWORD, "/provider")
    await expect(prov.get_by_text("В реестре").first).to_be_visible()
    await look.at(prov, "provider organisation")
    await section(prov, "Программы")
    await prov.get_by_role("link", name="Новая программа").click()
    await prov.get_by_label("Название", exact=True).fill("Юные конструкторы")
    await prov.get_by_label("Описание").fill("Собираем и программируем роботов из конструктора.")
    await prov.get_by_label("Направленность").select_option("technical")
    await prov.get_by_label("Уровень").select_option("starting")
    await prov.get_by_label("Форма обучения").select_option("in_person")
    await prov.get_by_label("Возраст от, лет").fill("7")
    await prov.get_by_label("Возраст до, лет").fill("14")
    await prov.locator('[name="modules.0.title"]').fill("Первый год")
    await prov.locator('[name="modules.0.hours"]').fill("16")
    await prov.locator('[name="modules.0.price_kop"]').fill("2 000")
    await look.at(prov, "provider new program")
    await prov.get_by_role("button", name="Создать программу").click()
    await expect(prov).to_have_url(re.compile(r"/provider/programs/[0-9a-f-]{36}$"))
    program_id = prov.url.rsplit("/", 1)[-1]
    await prov.get_by_role("link", name="Добавить группу").click()
    await prov.get_by_label("Педагог").fill("Кучменов Руслан Хасанович")
    weekdays = [(first + timedelta(days=n)).weekday() for n in range(0, 7, 2)]  # four days a week
    for row, weekday in enumerate(weekdays):
        await prov.locator(f'[name="schedule.{row}.weekday"]').select_option(str(weekday))
        await prov.locator(f'[name="schedule.{row}.starts_at"]').fill("15:00")
        await prov.locator(f'[name="schedule.{row}.minutes"]').fill("45")
    await prov.get_by_label("Начало занятий").fill(first.isoformat())
    await prov.get_by_label("Окончание занятий").fill(last.isoformat())
    await prov.get_by_label("Мест в группе").fill("10")
    await look.at(prov, "provider new group")
    await prov.get_by_role("button", name="Добавить группу").click()
    await expect(prov).to_have_url(re.compile(r"/provider/programs/[0-9a-f-]{36}(#groups)?$"))
    await prov.get_by_role("button", name="Опубликовать").click()
    await expect(prov.get_by_text("Опубликована").first).to_be_visible()
    await look.at(prov, "provider program published")
    await section(region, "Сертификация программ")
    await region.get_by_label("Номер программы").fill(program_id)
    await region.get_by_role("button", name="Открыть программу").click()
    await region.get_by_label("Балл сертификации").fill("90")
    await region.get_by_label("Сертифицирована по").fill(f"{TODAY.year + 1}-06-30")
    await look.at(region, "region program certification")
    await region.get_by_role("button", name="Сертифицировать").click()
    await expect(region.locator(".flash")).to_be_visible()
    await refused_elsewhere(region, "/region")
    group_id = (await staff.call("GET", f"/programs/{program_id}"))["groups"][0]["id"]

    # A family adds a child through the API; the operator checks the documents and activates the certificate.
    parent = await register(public, "family@pfdo-e2e.ru")
    child = await parent.call("POST", "/children", json={
        "full_name": "Шогенов Амир Русланович", "birth_date": f"{TODAY.year - 10}-02-01",
        "snils": "112-233-445 95", "municipality": "chegem"})
    certificate = await parent.call("POST", f"/children/{child['id']}/certificate")
    await section(op, "Сертификаты")
    await look.at(op, "operator certificates awaiting")
    await op.get_by_role("link", name=re.compile("Шогенов Амир")).first.click()
    await op.get_by_role("button", name="Документы проверены — активировать").click()
    await expect(op.locator("#e-documents, .error").first).to_be_visible()  # nothing ticked: refused here
    for document in ("Паспорт родителя", "Свидетельство о рождении ребёнка", "СНИЛС ребёнка"):
        await op.get_by_label(document, exact=True).check()
    await op.get_by_role("button", name="Документы проверены — активировать").click()
    await expect(op.get_by_text("Действует").first).to_be_visible()
    await look.at(op, "operator certificate activated")

    # The family applies through the API; the provider accepts it in the inbox; the family signs.
    async def payable() -> bool:
        cost = await parent.call("GET", f"/groups/{group_id}/cost", params={"child_id": child["id"]})
        return cost["payment"] == "certificate"
    await eventually(payable, timeout_s=30, what="the certificate and the agreement reaching the catalog")
    application = await parent.call("POST", "/applications", json={"group_id": group_id,
                                                                   "certificate_id": certificate["id"]})
    prov_api = await public.login("club@pfdo-e2e.ru", PASSWORD)
    await section(prov, "Заявки")
    await expect(prov.get_by_text("Юные конструкторы").first).to_be_visible()
    await look.at(prov, "provider applications inbox")
    await prov.get_by_role("button", name=re.compile("^Принять")).first.click()
    await expect(prov.locator(".flash")).to_be_visible()

    async def offered() -> bool:
        return (await parent.call("GET", f"/contracts/{application['id']}"))["status"] == "offered"
    try:
        await eventually(offered, timeout_s=30, what="the contract offer")
    except AssertionError:
        found = await parent.call("GET", f"/applications/{application['id']}")
        raise AssertionError(f"no offer: the application {found['status']} {found.get('reason')}") from None
    await parent.call("POST", f"/contracts/{application['id']}/sign")

    # A month of lessons: billing's day is the month's last; the provider marks every lesson in the journal.
    await asyncio.to_thread(platform.restart, "billing", {"BILLING_CLOCK_DATE": last.isoformat()})
    # The journal's days after today are read only: the Navigator's day is the month's last too.
    await asyncio.to_thread(platform.restart, "navigator", {"NAVIGATOR_CLOCK_DATE": last.isoformat()})
    await section(prov, "Посещаемость")
    await prov.get_by_label("Месяц").fill(month)
    await prov.get_by_role("button", name="Открыть журнал").click()
    boxes = prov.locator('.journal-form input[type=checkbox][name^="m."]')
    lessons = await boxes.count()
    assert lessons >= 8, f"a month of four lessons a week has more than {lessons}"
    for n in range(lessons):
        await boxes.nth(n).check()
    await look.at(prov, "provider attendance journal")
    await prov.get_by_role("button", name="Сохранить журнал").click()
    await expect(prov.locator(".flash")).to_have_text(f"Журнал сохранён: отмечено занятий — {lessons}.")
    roster = await prov_api.call("GET", f"/groups/{group_id}/attendance", params={"month": month})
    assert roster["items"][0]["attended"] == lessons and roster["items"][0]["child_full_name"] == child["full_name"]
    await look.at(prov, "provider attendance saved")
    await refused_elsewhere(prov, "/provider")

    # The month closes from the operator's cabinet, with its progress; the reconciliation balances; files.
    await asyncio.to_thread(platform.restart, "billing",
                            {"BILLING_CLOCK_DATE": month_after(first).replace(day=2).isoformat()})
    await section(op, "Закрытие месяца")
    await op.get_by_label("Месяц").fill(month)
    await op.get_by_role("button", name="Закрыть месяц").click()
    await expect(op).to_have_url(re.compile(f"/operator/months/{month}$"))
    await look.at(op, "operator month closing")
    await reload_until(op, "Закрыт, счета выставлены", "the month closed", timeout_s=60)
    await look.at(op, "operator month closed")
    await section(op, "Сверка и реестры")
    await op.get_by_label("Месяц").fill(month)
    await op.get_by_role("button", name="Показать").click()
    await expect(op.get_by_text("Сходится", exact=False).first).to_be_visible()
    await look.at(op, "operator reconciliation and registers")
    reconciliation = csv_rows(await downloaded(op, op.get_by_role("link", name=re.compile("^CSV.*[Сс]верка")).first))
    assert any("Итого" in row for row in reconciliation), reconciliation[:3]
    workbook = load_workbook(io.BytesIO(await downloaded(
        op, op.get_by_role("link", name=re.compile("^XLSX.*[Сс]верка")).first)))
    assert workbook.active.max_row >= 2
    contracts = csv_rows(await downloaded(op, op.get_by_role("link", name=re.compile("^CSV.*[Дд]оговор")).first))
    assert any(child["full_name"] in row for row in contracts), contracts[:3]

    # The provider's invoice for the month, as a file.
    await section(prov, "Счета и авансы")
    await look.at(prov, "provider invoices")
    invoice = csv_rows(await downloaded(prov, prov.get_by_role("link", name=re.compile("^CSV")).first))
    assert any("Юные конструкторы" in cell for row in invoice for cell in row), invoice[:4]

    for context in (admin_ctx, region_ctx, op_ctx, prov_ctx):
        await context.close()
    assert not look.problems, look.problems
