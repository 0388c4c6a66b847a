"""Every operator endpoint is scoped: a municipal operator of one municipality gets 403 or 404 on
everything of another and changes nothing; the region's staff read reports, not children; the
ledger report is a municipality's or the region's, exact to the kopeck."""
from __future__ import annotations

import uuid

from pfdo_kit.clock import Clock
from pfdo_kit.db import make_engine, make_sessions
from services.certificates.flows.ledger import post_entry
from tests.integration.certificates.test_municipal_periods import funded_certificates
from tests.support.rows import count_rows

TODAY = Clock().today()
MONTH = f"{TODAY.year:04d}-{TODAY.month:02d}"


async def test_an_operator_of_another_municipality_and_the_regional_operator_touch_no_child_or_certificate(
        certificates):
    c, t = certificates.client, certificates.tokens
    mother, chegem = t.headers("parent", subject="mother-1"), t.headers("operator", municipality="chegem")
    kid = (await c.post("/api/v1/children", headers=mother, json={
        "full_name": "Хашхожева Амина Руслановна", "birth_date": f"{TODAY.year - 9}-03-15",
        "snils": "112-233-445 95", "municipality": "chegem"})).json()
    cert = (await c.post(f"/api/v1/children/{kid['id']}/certificate", headers=mother)).json()
    assert (await c.post(f"/api/v1/certificates/{cert['id']}/activate", headers=chegem)).status_code == 200
    before = (await c.get(f"/api/v1/certificates/{cert['id']}", headers=chegem)).json()
    entries = await count_rows(certificates.database_url, "ledger_entries")

    baksan, region = t.headers("operator", municipality="baksan"), t.headers("regional_operator")
    assert (await c.get("/api/v1/children", headers=baksan)).json()["items"] == []
    assert (await c.get("/api/v1/children", headers=region)).status_code == 403
    for who in (baksan, region):
        assert (await c.get(f"/api/v1/children/{kid['id']}", headers=who)).status_code == 404
        assert (await c.post(f"/api/v1/children/{kid['id']}/certificate", headers=who)).status_code == 404
        assert (await c.get(f"/api/v1/certificates/{cert['id']}", headers=who)).status_code == 404
        assert (await c.get(f"/api/v1/certificates/{cert['id']}/ledger", headers=who)).status_code == 404
        for action, body in (("suspend", None), ("reinstate", None), ("activate", None),
                             ("close", {"reason": "moved"})):
            answer = await c.post(f"/api/v1/certificates/{cert['id']}/{action}", headers=who, json=body)
            assert answer.status_code == 404, (action, answer.text)
    assert (await c.get(f"/api/v1/certificates/by-number/{cert['number']}", headers=baksan)).status_code == 404
    assert (await c.get(f"/api/v1/certificates/by-number/{cert['number']}", headers=region)).status_code == 403
    assert (await c.post("/api/v1/certificates/close-adults", headers=region)).status_code == 403
    theirs = await c.post("/api/v1/certificates/close-adults", headers=baksan)
    assert (theirs.status_code, theirs.json()["municipality"]) == (202, "baksan")  # its own, never chegem's
    assert (await c.get(theirs.headers["location"], headers=region)).status_code == 200
    assert (await c.get(theirs.headers["location"], headers=chegem)).status_code == 404

    assert (await c.get(f"/api/v1/certificates/{cert['id']}", headers=chegem)).json() == before
    assert await count_rows(certificates.database_url, "ledger_entries") == entries


async def _month_of_money(svc) -> dict[str, dict]:
    """Chegem's two certificates and Baksan's one: credited, a contract each reserved and debited this month."""
    ids = await funded_certificates(svc, ["chegem", "chegem", "baksan"])
    moves = {}
    engine = make_engine(svc.database_url)
    async with make_sessions(engine)() as s, s.begin():
        for n, cert in enumerate(ids, start=1):
            cert_id, contract = uuid.UUID(cert), uuid.uuid4()
            await post_entry(s, cert_id, "credit", 10_000_00 * n, f"seed:{n}")
            await post_entry(s, cert_id, "reserve", 3_000_00 * n, f"application:{contract}", contract)
            await post_entry(s, cert_id, "debit", 1_000_01 * n, f"charge:{contract}", contract, month=MONTH)
            moves[str(contract)] = {"n": n, "municipality": "baksan" if n == 3 else "chegem"}
    await engine.dispose()
    return moves


async def test_the_ledger_report_is_a_municipalitys_or_the_regions_and_they_add_up(certificates):
    c, t = certificates.client, certificates.tokens
    contracts = await _month_of_money(certificates)
    chegem = t.headers("operator", municipality="chegem")

    own = (await c.get("/api/v1/reports/ledger", params={"month": MONTH, "municipality": "chegem"},
                       headers=chegem)).json()
    assert own["municipality"] == "chegem"
    assert own["moved_kop"] == {"credit": 30_000_00, "reserve": 9_000_00, "debit": 3_000_03, "expire": 0,
                                "release": 0, "reversal": 0}
    assert own["debited_for_month_kop"] == 3_000_03
    assert sorted((x["municipality"], x["debited_kop"]) for x in own["contracts"]) == [
        ("chegem", 1_000_01), ("chegem", 2_000_02)]
    assert [m["municipality"] for m in own["by_municipality"]] == ["chegem"]
    assert (await c.get("/api/v1/reports/ledger", params={"month": MONTH}, headers=chegem)).json() == own

    for reader in (t.headers("regional_operator"), t.headers("admin")):
        region = (await c.get("/api/v1/reports/ledger", params={"month": MONTH}, headers=reader)).json()
        assert region["municipality"] is None
        assert [m["municipality"] for m in region["by_municipality"]] == ["chegem", "baksan", "neftekumsk"]
        parts = {m["municipality"]: m for m in region["by_municipality"]}
        assert parts["chegem"]["moved_kop"] == own["moved_kop"]
        assert parts["baksan"]["debited_for_month_kop"] == 3_000_03
        assert parts["neftekumsk"]["debited_for_month_kop"] == 0
        assert region["debited_for_month_kop"] == 6_000_06 == sum(m["debited_for_month_kop"] for m in parts.values())
        for kind, kop in region["moved_kop"].items():
            assert kop == sum(m["moved_kop"][kind] for m in parts.values()), kind
        assert {x["contract_id"]: x["municipality"] for x in region["contracts"]} == {
            k: v["municipality"] for k, v in contracts.items()}
        baksan = (await c.get("/api/v1/reports/ledger", params={"month": MONTH, "municipality": "baksan"},
                              headers=reader)).json()
        assert baksan["by_municipality"] == [parts["baksan"]]

    for refused in (t.headers("operator", municipality="baksan"), t.headers("parent"),
                    t.headers("provider", provider_id=uuid.uuid4())):
        r = await c.get("/api/v1/reports/ledger", params={"month": MONTH, "municipality": "chegem"}, headers=refused)
        assert r.status_code == 403
    assert (await c.get("/api/v1/reports/ledger", params={"month": MONTH}, headers=t.headers("parent"))).status_code \
        == 403
    unknown = await c.get("/api/v1/reports/ledger", params={"month": MONTH, "municipality": "atlantis"},
                          headers=t.headers("admin"))
    assert (unknown.status_code, unknown.json()["field"]) == (422, "municipality")
