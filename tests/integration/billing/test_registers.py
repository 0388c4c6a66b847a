"""A payer's registers for its staff: the contracts, a month's payments, its month closes, the
month's reconciliation as a file, and the region's rules. Each register is a page as JSON and the
whole of it as CSV (Russian Excel's) or XLSX with exact money; a municipality's operator reads its
own, the region's staff any or the whole region, everyone else is refused."""
from __future__ import annotations

import csv
import hashlib
import io
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest_asyncio
from openpyxl import load_workbook
from sqlalchemy import text

from bench.money_seed import plan, seed_contracts
from services.billing import app as billing_app
from services.billing.models import ChargeRow, ContractDocument, Invoice, MonthClose
from tests.integration.billing.conftest import start_billing

SEPTEMBER = "2026-09"
P1, P2 = uuid.uuid4(), uuid.uuid4()
SIGNED_AT = datetime(2026, 8, 25, 9, 15, tzinfo=UTC)


async def _no_month_closes(_runtime) -> None:
    return None


@pytest_asyncio.fixture(loop_scope="session")
async def billing(fresh_database, migrated_template, amqp_url, bus_names, token_mint, monkeypatch):
    """Billing without its month close driver: the seed's October close stays "charging" as seeded,
    instead of being charged under the registers' reads (it released the seeded holds 1 run in 8)."""
    monkeypatch.setattr(billing_app, "run_month_closes", _no_month_closes)
    url = await fresh_database(template=await migrated_template("services.billing"))
    async with start_billing(url, amqp_url, bus_names, token_mint) as service:
        yield service


async def _seed(bill):
    """chegem pays for A (P1), B (P2) and D (P1, an unsigned offer); baksan for C (P1). September is
    closed for both payers with an invoice per provider; chegem's October is being charged."""
    a, b, d = plan(3, [P1, P2], (SEPTEMBER, "2026-10"))
    [c] = plan(1, [P1], (SEPTEMBER, "2026-10"))
    async with bill.app.state.runtime.sessions() as session, session.begin():
        await seed_contracts(session, [a, b, d, c], signed_on=date(2026, 8, 25),
                             payers=["chegem", "chegem", "chegem", "baksan"])
        await session.execute(text(
            "UPDATE contracts SET certificate_number = '8000000012', child_full_name = 'Хашхожева Амина Руслановна', "
            "group_name = 'Группа 1', charged_kop = 40000, released_kop = 10000 WHERE id = :id"), {"id": a.contract_id})
        await session.execute(text("UPDATE contracts SET provider_name = 'Школа искусств' WHERE provider_id = :p"),
                              {"p": P2})
        await session.execute(text("UPDATE contracts SET status = 'offered', signed_on = NULL, signed_by = NULL "
                                   "WHERE id = :id"), {"id": d.contract_id})
        pdf = b"%PDF-1.4 offer"
        session.add(ContractDocument(contract_id=a.contract_id, kind="offer", template="standard/offer-v1",
                                     sha256=hashlib.sha256(pdf).hexdigest(), pdf=pdf, size=len(pdf),
                                     created_at=SIGNED_AT, actor="parent:1", signed_at=SIGNED_AT))
        session.add_all([MonthClose(month=SEPTEMBER, municipality="chegem", status="closed", rule="attended_share",
                                    requested_by="operator:chegem", closed_at=datetime(2026, 10, 5, tzinfo=UTC)),
                         MonthClose(month="2026-10", municipality="chegem", status="charging", rule="attended_share",
                                    requested_by="operator:chegem"),
                         MonthClose(month=SEPTEMBER, municipality="baksan", status="closed", rule="attended_share",
                                    requested_by="operator:baksan")])
        await session.flush()
        session.add_all(ChargeRow(month=SEPTEMBER, payer=payer, contract_id=k.contract_id,
                                  certificate_id=k.certificate_id, provider_id=k.provider_id, share_kop=500_00,
                                  planned_lessons=5, attended_lessons=4, amount_kop=kop, release_kop=500_00 - kop,
                                  final=False, debited_kop=kop, confirmed_at=datetime.now(UTC))
                        for k, payer, kop in ((a, "chegem", 400_00), (b, "chegem", 250_00), (c, "baksan", 300_00)))
        session.add_all([
            Invoice(number="СЧ-2026-09-000001", provider_id=P1, provider_name="ДЮСШ «Старт»", payer="chegem",
                    month=SEPTEMBER, charges_kop=400_00, advance_kop=100_00, carried_in_kop=0, settlement_kop=300_00),
            Invoice(number="СЧ-2026-09-000002", provider_id=P2, provider_name="Школа искусств", payer="chegem",
                    month=SEPTEMBER, charges_kop=250_00, advance_kop=300_00, carried_in_kop=-10_00,
                    settlement_kop=-60_00),
            Invoice(number="СЧ-2026-09-000003", provider_id=P1, provider_name="ДЮСШ «Старт»", payer="baksan",
                    month=SEPTEMBER, charges_kop=300_00, advance_kop=0, carried_in_kop=0, corrections_kop=20_00,
                    settlement_kop=280_00)])
    return a, b, c, d


def _csv(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode()) and b"\r\n" in response.content
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))


def _rubles(cell: str) -> Decimal:
    return Decimal(cell.replace(",", "."))


def _sheet(response: httpx.Response):
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.content)).active


def _money(cell) -> Decimal:
    assert cell.number_format == "#,##0.00" and cell.data_type == "n", (cell.coordinate, cell.value)
    return Decimal(str(cell.value))


async def test_the_register_of_contracts_is_the_payers_and_its_files_add_up(billing):
    bill, t = billing, billing.tokens
    a, b, c, d = await _seed(bill)
    chegem, baksan = t.headers("operator", municipality="chegem"), t.headers("operator", municipality="baksan")

    def register(who: dict, **params):
        return bill.client.get("/api/v1/reports/contracts", params=params, headers=who)

    mine = (await register(chegem)).json()  # no municipality: the operator's own
    assert set(mine) == {"items", "total", "page", "page_size"} and mine["total"] == 3
    assert [i["id"] for i in mine["items"]] == [str(k.contract_id) for k in (a, b, d)]  # by number
    first = mine["items"][0]
    assert (first["child_full_name"], first["certificate_number"], first["group_name"], first["provider_name"],
            first["program_title"], first["status"], first["payer"]) == (
        "Хашхожева Амина Руслановна", "8000000012", "Группа 1", "ДЮСШ", "Футбол", "signed", "chegem")
    assert (first["reserved_kop"], first["charged_kop"], first["released_kop"]) == (500_00, 400_00, 100_00)
    assert first["signed_on"] == "2026-08-25" and datetime.fromisoformat(first["signed_at"]) == SIGNED_AT
    assert mine["items"][2]["signed_at"] is None and mine["items"][2]["child_full_name"] is None
    assert [i["id"] for i in (await register(chegem, status="offered")).json()["items"]] == [str(d.contract_id)]
    page = (await register(chegem, page=2, page_size=2)).json()
    assert (page["total"], len(page["items"]), page["items"][0]["id"]) == (3, 1, str(d.contract_id))

    # The region's staff: the whole region without municipality, or one payer's.
    region = (await register(t.headers("regional_operator"))).json()
    assert region["total"] == 4
    # The region's operator reads contracts, certificate numbers and money, never a child's name (minimisation).
    assert {i["child_full_name"] for i in region["items"]} == {None}
    assert "8000000012" in {i["certificate_number"] for i in region["items"]}
    assert "Хашхожева Амина Руслановна" in {i["child_full_name"] for i in (await register(t.headers("admin"))).json()[
        "items"]}
    only_baksan = (await register(t.headers("admin"), municipality="baksan")).json()
    assert [i["id"] for i in only_baksan["items"]] == [str(c.contract_id)]
    assert (await register(baksan, municipality="baksan")).json()["total"] == 1

    # Refused: another municipality's operator, a family, a provider, nobody; a bad filter names its field.
    for who in (baksan, t.headers("parent", subject="mother"), t.headers("provider", provider_id=P1)):
        r = await register(who, municipality="chegem")
        assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
    assert (await register(t.headers("parent", subject="mother"))).status_code == 403
    assert (await bill.client.get("/api/v1/reports/contracts")).status_code == 401
    for params, field in (({"municipality": "atlantis"}, "municipality"), ({"status": "lost"}, "status"),
                          ({"format": "pdf"}, "format")):
        r = await register(t.headers("admin"), **params)
        assert r.status_code == 422 and r.json()["field"] == field, r.text

    # The whole register as a file, whatever the page: a row per contract and the totals.
    r = await register(chegem, format="csv", page_size=1)
    assert 'filename="contracts-chegem.csv"' in r.headers["content-disposition"]
    rows = _csv(r)
    assert rows[0] == ["Реестр договоров"] and rows[1] == ["Плательщик: Чегемский муниципальный район"]
    header, lines, totals = rows[2], rows[3:-1], rows[-1]
    assert header[:4] == ["Номер договора", "Статус", "Плательщик", "ФИО ребёнка"] and len(lines) == 3
    assert lines[0][3:5] == ["Хашхожева Амина Руслановна", "8000000012"] and lines[0][1] == "подписан"
    assert lines[0][-1] == "2026-08-25 12:15"  # signed at, in the installation's time (Moscow)
    held, charged = header.index("Удерживается, ₽"), header.index("Списано, ₽")
    assert [line[held] for line in lines] == ["500,00", "1000,00", "1000,00"]  # a decimal comma for Russian Excel
    assert totals[0] == "Итого" and _rubles(totals[held]) == sum(_rubles(line[held]) for line in lines) == 2500
    assert _rubles(totals[charged]) == Decimal("400.00")

    sheet = _sheet(await register(t.headers("regional_operator"), format="xlsx", status="signed"))
    assert sheet["A3"].value == "Статус: подписан" and sheet["A4"].value == "Номер договора"
    data = list(sheet.iter_rows(min_row=5))
    assert len(data) == 4  # three signed contracts of the region and the totals
    assert {row[3].value for row in data} == {None} and "8000000012" in {row[4].value for row in data}
    assert [_money(row[10]) for row in data] == [Decimal("500.00"), Decimal("1000.00"), Decimal("1000.00"),
                                                 Decimal("2500.00")]


async def test_the_register_of_payments_is_the_months_invoices_with_totals(billing):
    bill, t = billing, billing.tokens
    await _seed(bill)
    chegem = t.headers("operator", municipality="chegem")

    def payments(who: dict, **params):
        return bill.client.get("/api/v1/reports/payments", params={"month": SEPTEMBER, **params}, headers=who)

    mine = (await payments(chegem)).json()
    assert (mine["month"], mine["municipality"]) == (SEPTEMBER, "chegem")
    assert [(i["provider_name"], i["number"], i["charges_kop"], i["advance_kop"], i["carried_in_kop"],
             i["corrections_kop"], i["settlement_kop"], i["payer_name"]) for i in mine["items"]] == [
        ("ДЮСШ «Старт»", "СЧ-2026-09-000001", 400_00, 100_00, 0, 0, 300_00, "Чегемский муниципальный район"),
        ("Школа искусств", "СЧ-2026-09-000002", 250_00, 300_00, -10_00, 0, -60_00, "Чегемский муниципальный район")]
    assert all(i["issued_at"] for i in mine["items"])
    assert mine["totals"] == {"invoices": 2, "charges_kop": 650_00, "advance_kop": 400_00, "carried_in_kop": -10_00,
                              "corrections_kop": 0, "settlement_kop": 240_00, "payable_kop": 300_00,
                              "carried_out_kop": -60_00}
    region = (await payments(t.headers("regional_operator"))).json()
    assert region["municipality"] is None and [i["payer"] for i in region["items"]] == ["baksan", "chegem", "chegem"]
    assert (region["totals"]["settlement_kop"], region["totals"]["corrections_kop"]) == (520_00, 20_00)
    assert (await payments(chegem, month="2026-10")).json()["items"] == []

    for who in (t.headers("operator", municipality="baksan"), t.headers("provider", provider_id=P1)):
        assert (await payments(who, municipality="chegem")).status_code == 403
    bad = await payments(chegem, month="2026-13")
    assert bad.status_code == 422 and bad.json()["field"] == "month"

    r = await payments(chegem, format="csv")
    assert 'filename="payments-2026-09-chegem.csv"' in r.headers["content-disposition"]
    rows = _csv(r)
    header, invoices = rows[2], rows[3:5]
    assert header[:3] == ["Плательщик", "Организатор", "Номер счёта"] and rows[5][0] == "Итого"
    for column in range(3, 8):  # charges, advance, carried in, corrections, settlement
        assert _rubles(rows[5][column]) == sum(_rubles(i[column]) for i in invoices)
    assert rows[5][7] == "240,00" and rows[6][7] == "300,00" and rows[7][7] == "-60,00"

    sheet = _sheet(await payments(t.headers("admin"), municipality="baksan", format="xlsx"))
    [invoice, totals, *_] = list(sheet.iter_rows(min_row=4))
    assert invoice[2].value == "СЧ-2026-09-000003"
    assert [_money(c) for c in invoice[3:8]] == [Decimal("300.00"), Decimal("0.00"), Decimal("0.00"),
                                                 Decimal("20.00"), Decimal("280.00")]
    assert totals[0].value == "Итого" and _money(totals[7]) == Decimal("280.00")


async def test_a_payers_month_closes_newest_first_for_its_staff(billing):
    bill, t = billing, billing.tokens
    await _seed(bill)

    def closes(who: dict, municipality: str = "chegem", **params):
        return bill.client.get(f"/api/v1/municipalities/{municipality}/months", params=params, headers=who)

    mine = (await closes(t.headers("operator", municipality="chegem"))).json()
    assert [(c["month"], c["status"]) for c in mine["items"]] == [("2026-10", "charging"), (SEPTEMBER, "closed")]
    assert mine["total"] == 2 and mine["items"][1]["closed_at"] and mine["items"][1]["requested_at"]
    single = (await bill.client.get(f"/api/v1/municipalities/chegem/months/{SEPTEMBER}",
                                    headers=t.headers("admin"))).json()
    assert mine["items"][1] == single  # the same fields as the one close
    assert [c["month"] for c in (await closes(t.headers("regional_operator"), page=2, page_size=1)).json()["items"]] \
        == [SEPTEMBER]
    assert (await closes(t.headers("admin"), "neftekumsk")).json()["items"] == []
    for who in (t.headers("operator", municipality="baksan"), t.headers("provider", provider_id=P1),
                t.headers("parent", subject="mother")):
        assert (await closes(who)).status_code == 403
    unknown = await closes(t.headers("admin"), "atlantis")
    assert unknown.status_code == 422 and unknown.json()["field"] == "municipality"


async def test_the_rules_are_the_regions_settings_for_any_signed_in_caller(billing):
    bill, t = billing, billing.tokens
    s = bill.settings
    for who in (t.headers("operator", municipality="chegem"), t.headers("regional_operator"), t.headers("admin"),
                t.headers("parent", subject="mother"), t.headers("provider", provider_id=P1)):
        r = await bill.client.get("/api/v1/rules", headers=who)
        assert r.status_code == 200, r.text
        assert r.json() == {
            "delivered_rule": s.delivered_rule, "delivered_rule_text": r.json()["delivered_rule_text"],
            "advance_percent": s.advance_percent, "dispute_window_days": s.dispute_window_days,
            "dispute_answer_days": s.dispute_answer_days, "offer_template": s.offer_template,
            "termination_template": s.termination_template, "timezone": s.timezone}
        assert "доля" in r.json()["delivered_rule_text"]
    assert (await bill.client.get("/api/v1/rules")).status_code == 401


def _ledger(a, b, c):
    """The certificates' ledger as its report answers: B was debited 200 ₽, not the 250 ₽ invoiced."""
    by_payer = {"chegem": [(a, 400_00), (b, 200_00)], "baksan": [(c, 300_00)]}

    def answer(request: httpx.Request) -> httpx.Response:
        payer = request.url.params.get("municipality")
        contracts = by_payer.get(payer, []) if payer else by_payer["chegem"] + by_payer["baksan"]
        return httpx.Response(200, json={
            "moved_kop": {"credit": 0, "reserve": 0, "release": 0, "expire": 0},
            "debited_for_month_kop": sum(kop for _, kop in contracts), "reversed_for_month_kop": 0,
            "contracts": [{"contract_id": str(k.contract_id), "debited_kop": kop} for k, kop in contracts]})
    return httpx.AsyncClient(transport=httpx.MockTransport(answer), base_url="http://certificates")


async def test_the_reconciliation_as_a_file_has_its_totals_providers_and_differing_contracts(billing):
    bill, t = billing, billing.tokens
    a, b, c, _ = await _seed(bill)
    bill.app.state.certificates_client = _ledger(a, b, c)
    chegem = t.headers("operator", municipality="chegem")

    def reconciliation(who: dict, **params):
        return bill.client.get("/api/v1/reports/reconciliation", params={"month": SEPTEMBER, **params}, headers=who)

    as_json = (await reconciliation(chegem, municipality="chegem")).json()
    assert not as_json["balanced"] and [d["contract_number"] for d in as_json["differences"]] == ["ДС-0000002"]
    assert {p["provider_name"] for p in as_json["providers"]} == {"ДЮСШ", "Школа искусств"}

    r = await reconciliation(chegem, municipality="chegem", format="csv")
    assert 'filename="reconciliation-2026-09-chegem.csv"' in r.headers["content-disposition"]
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    rows = _csv(r)
    assert rows[:3] == [["Сверка за 2026-09"], ["Плательщик: Чегемский муниципальный район"], ["Сходится: нет"]]
    header, body = rows[3], rows[4:]
    assert [row[0] for row in body] == ["Итого", "Организатор", "Организатор", "Расходится договор"]
    debited, invoiced = header.index("Списано с сертификатов, ₽"), header.index("Списано в счетах, ₽")
    total, providers, difference = body[0], body[1:3], body[3]
    assert (total[debited], total[invoiced], total[-1]) == ("600,00", "650,00", "нет")
    for column in (debited, invoiced):
        assert sum(_rubles(p[column]) for p in providers) == _rubles(total[column])
    assert sorted((p[2], p[debited], p[invoiced], p[-1]) for p in providers) == [
        ("ДЮСШ", "400,00", "400,00", "да"), ("Школа искусств", "200,00", "250,00", "нет")]
    assert (difference[3], difference[debited], difference[invoiced]) == ("ДС-0000002", "200,00", "250,00")
    assert total[header.index("К оплате, ₽")] == "300,00" and total[header.index("Авансы, ₽")] == "0,00"

    # The region's: its totals, then each payer's, every money cell a Decimal in rubles.
    sheet = _sheet(await reconciliation(t.headers("regional_operator"), format="xlsx"))
    assert sheet["A2"].value == "Весь регион" and sheet["A4"].value == "Строка"
    rows = list(sheet.iter_rows(min_row=5))
    totals = {row[1].value: row for row in rows if row[0].value == "Итого"}
    assert list(totals) == ["Весь регион", "Чегемский муниципальный район", "Баксанский муниципальный район",
                            "Нефтекумский городской округ"]
    assert _money(totals["Весь регион"][9]) == Decimal("900.00")  # debited: 400 + 200 + 300
    assert _money(totals["Весь регион"][11]) == Decimal("950.00")  # invoiced: 400 + 250 + 300
    assert _money(totals["Баксанский муниципальный район"][12]) == Decimal("0.00")
    assert (await reconciliation(chegem, format="csv")).status_code == 403  # the region's is the region staff's
