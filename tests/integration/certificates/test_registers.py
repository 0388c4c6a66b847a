"""The staff's ways into the certificates: children found by name, certificate number or СНИЛС
and filtered by their certificate's status; the register of certificates as a page or a whole
file (no СНИЛС in it); a period's runs. Each within the caller's municipality as before."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import text

from tests.integration.certificates.runs import finished_run
from tests.integration.certificates.test_periods import PERIOD, YEAR

# name, СНИЛС, municipality, certificate: None (not asked), "pending" or "active"
KIDS = [("Хашхожева Амина Руслановна", "112-233-445 95", "chegem", "active"),
        ("Петров Пётр Петрович", "111-111-111 45", "chegem", "pending"),
        ("Кушхова амина Алиевна", "123-456-789 64", "chegem", None),
        ("Аминова Зарина Муратовна", "200-000-042 28", "baksan", "active")]


async def _children(svc) -> dict[str, dict]:
    """Each child of KIDS by its first name word: its id and certificate."""
    c, t = svc.client, svc.tokens
    out = {}
    for i, (name, snils, municipality, certificate) in enumerate(KIDS):
        parent = t.headers("parent", subject=f"parent-{i}")
        kid = (await c.post("/api/v1/children", headers=parent, json={
            "full_name": name, "birth_date": f"{YEAR - 9}-02-01", "snils": snils, "municipality": municipality}))
        assert kid.status_code == 201, kid.text
        row = {"id": kid.json()["id"], "certificate": None}
        if certificate:
            cert = (await c.post(f"/api/v1/children/{row['id']}/certificate", headers=parent)).json()
            if certificate == "active":
                assert (await c.post(f"/api/v1/certificates/{cert['id']}/activate",
                                     headers=t.headers("admin"))).status_code == 200
            row["certificate"] = cert
        out[name.split()[0]] = row
    return out


async def test_children_are_found_by_name_number_or_snils_and_filtered_by_status(certificates):
    c, t = certificates.client, certificates.tokens
    kids = await _children(certificates)
    chegem = t.headers("operator", municipality="chegem")

    async def names(who: dict = chegem, **params) -> list[str]:
        r = await c.get("/api/v1/children", params=params, headers=who)
        assert r.status_code == 200, r.text
        return [i["full_name"] for i in r.json()["items"]]

    # Each child carries its certificate's id, number and status.
    items = {i["full_name"].split()[0]: i for i in (await c.get("/api/v1/children", headers=chegem)).json()["items"]}
    petrov = kids["Петров"]["certificate"]
    assert (items["Петров"]["certificate_id"], items["Петров"]["certificate_number"],
            items["Петров"]["certificate_status"]) == (petrov["id"], petrov["number"], "pending_verification")
    assert (items["Кушхова"]["certificate_number"], items["Кушхова"]["certificate_status"]) == (None, None)

    # A part of the name in any case; the operator still sees only its municipality.
    assert await names(q="АМИНА") == ["Хашхожева Амина Руслановна", "Кушхова амина Алиевна"]
    assert await names(t.headers("admin"), q="амин") == [k[0] for k in KIDS if "мин" in k[0].lower()]
    assert await names(q="Аминова") == []  # baksan's child
    # A whole certificate number or СНИЛС, with or without its separators.
    assert await names(q=petrov["number"]) == ["Петров Пётр Петрович"]
    assert await names(q="112-233-445 95") == await names(q="11223344595") == ["Хашхожева Амина Руслановна"]
    assert await names(q="112-233") == []  # a part of a СНИЛС finds nobody
    assert await names(q="%") == [] and await names(q="") == [k[0] for k in KIDS[:3]]
    # The certificate's status.
    assert await names(certificate_status="pending_verification") == ["Петров Пётр Петрович"]
    assert await names(certificate_status="active", q="амина") == ["Хашхожева Амина Руслановна"]
    bad = await c.get("/api/v1/children", params={"certificate_status": "lost"}, headers=chegem)
    assert bad.status_code == 422 and bad.json()["field"] == "certificate_status"
    # A parent's search stays in its own children; the region's operator still lists none.
    assert await names(t.headers("parent", subject="parent-0"), q="амина") == ["Хашхожева Амина Руслановна"]
    assert await names(t.headers("parent", subject="parent-1"), q="амина") == []
    assert (await c.get("/api/v1/children", headers=t.headers("regional_operator"))).status_code == 403


def _rubles(cell: str) -> Decimal:
    return Decimal(cell.replace(",", "."))


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))


async def test_the_register_of_certificates_is_the_municipalitys_without_snils(certificates):
    c, t = certificates.client, certificates.tokens
    kids = await _children(certificates)
    amina = kids["Хашхожева"]["certificate"]
    async with certificates.app.state.runtime.sessions() as session, session.begin():
        await session.execute(text("UPDATE certificates SET credited_kop = 1500000, held_kop = 400001, "
                                   "debited_kop = 100000, reversed_kop = 2000, kind = 'funded' WHERE id = :id"),
                              {"id": amina["id"]})
    chegem = t.headers("operator", municipality="chegem")

    def register(who: dict = chegem, **params):
        return c.get("/api/v1/reports/certificates", params=params, headers=who)

    page = (await register()).json()
    assert page["total"] == 2 and [i["number"] for i in page["items"]] == sorted(
        [amina["number"], kids["Петров"]["certificate"]["number"]])
    row = next(i for i in page["items"] if i["id"] == amina["id"])
    assert (row["child_full_name"], row["birth_date"], row["municipality"], row["status"], row["kind"]) == (
        "Хашхожева Амина Руслановна", f"{YEAR - 9}-02-01", "chegem", "active", "funded")
    assert (row["credited_kop"], row["available_kop"], row["reserved_kop"], row["debited_kop"]) == (
        15_000_00, 15_000_00 - 4_000_01 - 1_000_00 + 20_00, 4_000_01, 1_000_00)
    assert row["issued_at"] and row["closed_at"] is None and "snils" not in row
    assert [i["status"] for i in (await register(status="active")).json()["items"]] == ["active"]
    assert (await register(page=2, page_size=1)).json()["total"] == 2
    region = (await register(t.headers("regional_operator"))).json()
    assert region["total"] == 3
    # The region's operator reads numbers and money, never a child's name or birth date (minimisation).
    assert {(i["child_full_name"], i["birth_date"]) for i in region["items"]} == {(None, None)}
    assert {i["number"] for i in region["items"]} >= {amina["number"]}
    assert next(i for i in region["items"] if i["id"] == amina["id"])["credited_kop"] == 15_000_00
    assert (await register(t.headers("regional_operator"), municipality="chegem")).json()["items"][0][
        "child_full_name"] is None
    assert {i["child_full_name"] for i in (await register(t.headers("admin"))).json()["items"]} == {
        "Хашхожева Амина Руслановна", "Петров Пётр Петрович", "Аминова Зарина Муратовна"}
    assert (await register(t.headers("admin"), municipality="baksan")).json()["items"][0]["child_full_name"] \
        == "Аминова Зарина Муратовна"
    for who in (t.headers("operator", municipality="baksan"), t.headers("parent", subject="parent-0"),
                t.headers("provider")):
        assert (await register(who, municipality="chegem")).status_code == 403
    assert (await c.get("/api/v1/reports/certificates")).status_code == 401
    for params, field in (({"municipality": "atlantis"}, "municipality"), ({"status": "lost"}, "status")):
        r = await register(t.headers("admin"), **params)
        assert r.status_code == 422 and r.json()["field"] == field

    r = await register(format="csv", page_size=1)
    assert 'filename="certificates-chegem.csv"' in r.headers["content-disposition"]
    assert "11223344595" not in r.text and "445" not in r.text  # no СНИЛС, not even its tail
    rows = _csv_rows(r)
    assert rows[:2] == [["Реестр сертификатов"], ["Чегемский муниципальный район"]]
    header, lines, totals = rows[2], rows[3:-1], rows[-1]
    assert len(lines) == 2 and totals[0] == "Итого"
    line = next(x for x in lines if x[0] == amina["number"])
    assert line[1:6] == ["Хашхожева Амина Руслановна", f"{YEAR - 9}-02-01", "Чегемский муниципальный район",
                         "действует", "финансирования"]
    for column in range(header.index("Зачислено, ₽"), len(header)):
        assert _rubles(totals[column]) == sum(_rubles(x[column]) for x in lines)
    assert line[header.index("Свободно, ₽")] == "10019,99"  # a decimal comma: Russian Excel reads a number

    x = await register(t.headers("regional_operator"), format="xlsx")
    sheet = load_workbook(io.BytesIO(x.content)).active
    assert sheet["A2"].value == "Весь регион" and sheet["A3"].value == "Номер сертификата"
    data = list(sheet.iter_rows(min_row=4))
    assert len(data) == 4 and data[-1][0].value == "Итого"
    assert all(row[1].value is None and row[2].value is None for row in data[:-1])  # no name, no birth date
    money = [row[8] for row in data]  # credited
    assert all(cell.number_format == "#,##0.00" for cell in money)
    values = [Decimal(str(cell.value)) for cell in money]
    assert sorted(values[:-1]) == [Decimal("0.00"), Decimal("0.00"), Decimal("15000.00")]
    assert values[-1] == Decimal("15000.00")


async def test_a_periods_runs_newest_first_for_its_staff(certificates):
    c, t = certificates.client, certificates.tokens
    chegem = t.headers("operator", municipality="chegem")
    base = f"/api/v1/municipalities/chegem/periods/{YEAR}"
    assert (await c.put(base, headers=chegem, json=PERIOD)).status_code == 200
    opened = await finished_run(c, await c.post(f"{base}/open", headers=chegem), chegem)
    closed = await finished_run(c, await c.post(f"{base}/close", headers=chegem), chegem)

    runs = (await c.get(f"{base}/runs", headers=chegem)).json()
    assert [r["id"] for r in runs["items"]] == [closed["id"], opened["id"]] and runs["total"] == 2
    assert runs["items"][0] == (await c.get(closed["href"], headers=chegem)).json()  # the single run's fields
    assert [r["kind"] for r in (await c.get(f"{base}/runs", params={"page": 2, "page_size": 1},
                                            headers=t.headers("regional_operator"))).json()["items"]] == ["period_open"]
    for who in (t.headers("operator", municipality="baksan"), t.headers("parent", subject="p"), t.headers("provider")):
        assert (await c.get(f"{base}/runs", headers=who)).status_code == 403
    assert (await c.get(f"/api/v1/municipalities/baksan/periods/{YEAR}/runs",
                        headers=t.headers("admin"))).status_code == 404  # no such period
    unknown = await c.get(f"/api/v1/municipalities/atlantis/periods/{YEAR}/runs", headers=t.headers("admin"))
    assert unknown.status_code == 422 and unknown.json()["field"] == "municipality"
