"""The Navigator in a real browser (Debian's Chromium through Playwright) against the whole platform as
processes: a parent registers, adds a child, the operator activates the certificate through the API, the
parent finds a program by a word form, sees how it would be paid and applies; the provider accepts through
the API; the parent reads and signs the offer and sees the reservation, then the provider's attendance marks;
a month closes; the parent sees the debit and its explanation, and disputes it. Every page is screenshotted at
phone and desktop widths (test-artifacts/navigator) and checked by axe-core: no serious or critical violation."""
from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.support.browser import Look, reload_until
from tests.support.people import (
    TODAY,
    approved_provider,
    certified_program,
    month_closed,
    opened_district,
)

pytestmark = pytest.mark.timeout(600)
PASSWORD = "navigator-2026"




async def test_a_parent_goes_from_the_catalog_to_an_explained_debit(platform, browser):
    public, admin, operator, _ = await opened_district(platform)
    staff, _provider = await approved_provider(public, admin, "nav-club@pfdo-e2e.ru", 31, payers={"chegem": operator})
    program, group = await certified_program(staff, admin, "Робототехника для начинающих", "Кучменов Р. Х.")
    await certified_program(staff, admin, "Шахматный клуб «Ладья»", "Тхагапсоев А. М.")
    look = Look()
    site = platform.navigator_url
    context = await browser.new_context(base_url=site, locale="ru-RU", viewport={"width": 375, "height": 812})
    page = await context.new_page()

    await page.goto("/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Кружки и секции для детей")
    await look.at(page, "catalog")

    # Register: the gateway's refusal is shown beside the field at fault, then the account is made.
    await page.get_by_role("link", name="Регистрация").click()
    await page.get_by_label("Электронная почта").fill("family@pfdo-e2e.ru")
    await page.get_by_label("Телефон").fill("+7 928 700-00-01")
    await page.get_by_label("Муниципалитет, где вы живёте").select_option("chegem")
    await page.get_by_label("Пароль", exact=True).fill("short")
    await page.get_by_label("Пароль ещё раз").fill("short")
    await page.get_by_role("button", name="Зарегистрироваться").click()
    await expect(page.locator("#e-password")).to_be_visible()
    await look.at(page, "register with an error")
    await page.get_by_label("Пароль", exact=True).fill(PASSWORD)
    await page.get_by_label("Пароль ещё раз").fill(PASSWORD)
    await page.get_by_role("button", name="Зарегистрироваться").click()
    await expect(page).to_have_url(re.compile(r"/cabinet$"))
    await look.at(page, "cabinet empty")

    # A child: a mistyped СНИЛС is refused beside its field; the right one gives a certificate awaiting checks.
    await page.get_by_role("link", name="Добавить ребёнка").click()
    await page.get_by_label("Фамилия, имя и отчество ребёнка").fill("Шогенов Амир Русланович")
    await page.get_by_label("Дата рождения").fill(f"{TODAY.year - 10}-02-01")
    await page.get_by_label("СНИЛС ребёнка").fill("112-233-445 96")
    await expect(page.locator("#snils-check")).to_have_text("Контрольное число не сходится: проверьте номер")
    await page.get_by_role("button", name="Добавить и получить сертификат").click()
    await expect(page.locator("#e-snils")).to_be_visible()
    await look.at(page, "add child with an error")
    await page.get_by_label("СНИЛС ребёнка").fill("112-233-445 95")
    await page.get_by_role("button", name="Добавить и получить сертификат").click()
    await expect(page.get_by_text("Ждёт проверки документов")).to_be_visible()
    await look.at(page, "certificate awaiting verification")
    certificate_id = page.url.rsplit("/", 1)[-1]
    await operator.call("POST", f"/certificates/{certificate_id}/activate")
    await reload_until(page, "Действует", "the certificate active on its page")

    # Find the program by a word form, see how it would be paid, apply.
    await page.get_by_role("link", name="Каталог").click()
    await page.get_by_label("Что ищете").fill("роботы")
    await page.get_by_role("button", name="Найти").click()
    await expect(page.get_by_role("link", name="Робототехника для начинающих")).to_be_visible()
    card = page.locator(".card").filter(has_text="Робототехника для начинающих")
    await expect(card).to_contain_text("Стоимость: от 18\u00a0000\u00a0₽ за курс")
    await expect(card).to_contain_text("Занятия: " + ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"][TODAY.weekday()])
    await look.at(page, "search by a word form")
    await page.get_by_role("link", name="Робототехника для начинающих").click()
    await reload_until(page, "По сертификату", "the certificate reaching the catalog")
    await look.at(page, "program with the payment")
    await page.get_by_role("link", name="Записаться в группу").click()
    await look.at(page, "apply")
    await page.get_by_role("button", name="Подать заявку").click()
    await expect(page.locator(".status")).to_have_text("Подана")
    await look.at(page, "application submitted")
    application_id = page.url.rsplit("/", 1)[-1]

    # The provider accepts through the API; the parent reads the offer and signs it.
    await staff.call("POST", f"/applications/{application_id}/accept")
    await page.goto(f"/cabinet/contracts/{application_id}")
    await reload_until(page, "Оферта ждёт подписи", "the contract offer")
    await expect(page.get_by_role("heading", name=re.compile("Договор-оферта об образовании"))).to_be_visible()
    await look.at(page, "contract offer")
    offer_link = await page.get_by_role("link", name=re.compile("Открыть договор-оферту")).get_attribute("href")
    pdf = await page.request.get(offer_link)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and (await pdf.body()).startswith(b"%PDF")
    read_hash = pdf.headers["x-document-sha256"]
    assert await page.locator("input[name=document_sha256]").get_attribute("value") == read_hash
    await page.get_by_role("button", name="Подписать договор").click()
    await expect(page.locator("#e-agree")).to_be_visible()
    await page.get_by_label("Я прочитал(а) договор-оферту и принимаю его условия").check()
    await page.get_by_role("button", name="Подписать договор").click()
    await expect(page.locator("strong.status")).to_have_text("Подписан")
    await look.at(page, "contract signed")
    assert (await page.request.get(offer_link)).headers["x-document-sha256"] == read_hash  # what was read is signed
    reserved = await page.locator(".balance dd").first.inner_text()
    assert reserved.strip() not in ("0 ₽", "0\u00a0₽"), reserved
    await page.goto(f"/cabinet/certificates/{certificate_id}")
    await expect(page.get_by_text("Резерв под договор").first).to_be_visible()
    await look.at(page, "certificate with the reservation")

    # A lesson attended, the month closed: the debit and its explanation, and a dispute of it.
    child_id = (await staff.call("GET", f"/applications/{application_id}"))["child_id"]
    await staff.call("POST", f"/groups/{group['id']}/attendance",
                     json={"lesson_date": TODAY.isoformat(), "present": [child_id]})
    await page.goto(f"/cabinet/contracts/{application_id}")  # the provider's marks, on the contract's page
    marks = page.get_by_role("table", name=re.compile("Отметки организатора"))
    await expect(marks.get_by_role("row").nth(1)).to_contain_text("был(а) на занятии")
    await expect(page.get_by_text(re.compile(r"отмечено 1, из них посещено 1"))).to_be_visible()
    await look.at(page, "contract attendance")
    await month_closed(platform, operator)
    await page.goto("/cabinet/debits")
    await expect(page.locator(".explanation").first).to_be_visible()
    await look.at(page, "debits explained")
    await page.get_by_role("link", name=re.compile("Оспорить списание")).click()
    await page.get_by_label("Что не так со списанием").fill("Ребёнок был на занятии только один раз, а не два.")
    await page.get_by_role("button", name="Открыть спор").click()
    await expect(page.get_by_text("Спор открыт", exact=True)).to_be_visible()
    await look.at(page, "dispute history")
    await page.get_by_role("link", name="Обзор").click()
    await look.at(page, "cabinet")
    await page.get_by_role("link", name="Уведомления").click()
    await look.at(page, "notifications")
    await page.get_by_role("link", name="Какие уведомления приходят на почту").click()
    await page.get_by_role("button", name="Сохранить").click()
    await expect(page.get_by_text("Настройки писем сохранены.")).to_be_visible()
    await look.at(page, "mail settings")
    await page.goto(f"/programs/{program['id']}")
    await expect(page.get_by_role("heading", name="Оставить отзыв")).to_be_visible()
    await page.get_by_label("Текст отзыва").fill("Ребёнку нравится: собрали первого робота.")
    await page.get_by_role("button", name="Опубликовать отзыв").click()
    await expect(page.get_by_text("Ребёнку нравится: собрали первого робота.")).to_be_visible()
    await page.get_by_role("button", name="Выйти").click()
    await expect(page.get_by_text("Вы вышли из личного кабинета.")).to_be_visible()
    await page.goto("/login")
    await look.at(page, "login")
    await context.close()
    assert not look.problems, look.problems

