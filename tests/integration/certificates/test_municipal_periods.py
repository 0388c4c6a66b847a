"""Funding periods per municipality: each credits, pro-rates, counts its quota and budget and
expires over its own municipality's certificates only; its own operator changes it, the region's
staff read it, another municipality's operator neither."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import update

from pfdo_kit.db import make_engine, make_sessions
from services.certificates.domain.periods import credit_cause
from services.certificates.flows.ledger import ContractTerms, post_entry
from services.certificates.models import Certificate
from tests.integration.certificates.runs import finished_run
from tests.integration.certificates.test_periods import PERIOD, YEAR
from tests.support.rows import count_rows

SNILS = ["112-233-445 95", "111-111-111 45", "123-456-789 64", "200-000-042 28"]


def periods_of(municipality: str, year: int = YEAR) -> str:
    return f"/api/v1/municipalities/{municipality}/periods/{year}"


async def funded_certificates(svc, municipalities: list[str]) -> list[str]:
    """One active certificate of financing per municipality given (children aged 9)."""
    c, t = svc.client, svc.tokens
    ids = []
    for i, municipality in enumerate(municipalities):
        parent = t.headers("parent", subject=f"parent-{municipality}-{i}")
        kid = (await c.post("/api/v1/children", headers=parent, json={
            "full_name": f"Ребёнок Номер {i}", "birth_date": f"{YEAR - 9}-02-01", "snils": SNILS[i],
            "municipality": municipality})).json()["id"]
        cert = (await c.post(f"/api/v1/children/{kid}/certificate", headers=parent)).json()["id"]
        activated = await c.post(f"/api/v1/certificates/{cert}/activate",
                                 headers=t.headers("operator", municipality=municipality))
        assert activated.status_code == 200, activated.text
        ids.append(cert)
    engine = make_engine(svc.database_url)
    async with engine.begin() as conn:
        await conn.execute(update(Certificate).where(Certificate.id.in_([uuid.UUID(i) for i in ids]))
                           .values(kind="funded"))
    await engine.dispose()
    return ids


async def _balance(svc, certificate_id: str) -> dict:
    r = await svc.client.get(f"/api/v1/certificates/{certificate_id}", headers=svc.tokens.headers("admin"))
    return r.json()["balance"]


async def test_a_period_of_one_municipality_never_credits_anothers_certificates(certificates):
    c, t = certificates.client, certificates.tokens
    chegem, baksan = t.headers("operator", municipality="chegem"), t.headers("operator", municipality="baksan")
    in_chegem, other_chegem, in_baksan = await funded_certificates(certificates, ["chegem", "chegem", "baksan"])
    # Baksan's period credits first and takes 20 000 ₽ of budget; Chegem's cap is exactly its two nominals:
    # the budgets are apart, so Baksan's credits never stop Chegem's.
    await c.put(periods_of("baksan"), headers=baksan, json={
        **PERIOD, "nominals": [{"min_age": 5, "max_age": 17, "amount_kop": 20_000_00}]})
    opened_baksan = await finished_run(c, await c.post(periods_of("baksan") + "/open", headers=baksan), baksan)
    assert (opened_baksan["municipality"], opened_baksan["total"]) == ("baksan", 1)
    assert opened_baksan["result"]["credited_kop"] == 20_000_00
    assert [(await _balance(certificates, i))["credited_kop"] for i in (in_chegem, other_chegem, in_baksan)] == [
        0, 0, 20_000_00]

    put = await c.put(periods_of("chegem"), headers=chegem, json={**PERIOD, "budget_cap_kop": 30_000_00})
    assert (put.status_code, put.json()["municipality"], put.json()["status"]) == (200, "chegem", "draft")
    assert (await c.get(periods_of("baksan"), headers=t.headers("admin"))).json()["status"] == "open"
    opened = await finished_run(c, await c.post(periods_of("chegem") + "/open", headers=chegem), chegem)
    assert (opened["status"], opened["total"], opened["processed"]) == ("done", 2, 2)
    assert opened["result"]["credited_kop"] == 30_000_00 and not opened["result"]["stopped_at_budget"]
    assert opened["href"].startswith(f"/api/v1/municipalities/chegem/periods/{YEAR}/runs/")
    assert [(await _balance(certificates, i))["credited_kop"] for i in (in_chegem, other_chegem, in_baksan)] == [
        15_000_00, 15_000_00, 20_000_00]

    # Closing Chegem's period expires Chegem's money only.
    closed = await finished_run(c, await c.post(periods_of("chegem") + "/close", headers=chegem), chegem)
    assert (closed["total"], closed["result"]["expired_kop"]) == (2, 30_000_00)
    assert (await _balance(certificates, in_baksan))["available_kop"] == 20_000_00


async def test_a_period_is_changed_by_its_own_operator_read_by_the_region_and_refused_to_others(certificates):
    c, t = certificates.client, certificates.tokens
    chegem, baksan = t.headers("operator", municipality="chegem"), t.headers("operator", municipality="baksan")
    region, parent = t.headers("regional_operator"), t.headers("parent")
    assert (await c.put(periods_of("chegem"), json=PERIOD, headers=chegem)).status_code == 200
    await funded_certificates(certificates, ["chegem"])

    for who in (baksan, region, parent, t.headers("provider", provider_id=uuid.uuid4())):
        assert (await c.put(periods_of("chegem"), json={**PERIOD, "funded_quota": 1}, headers=who)).status_code == 403
        assert (await c.post(periods_of("chegem") + "/open", headers=who)).status_code == 403
        assert (await c.post(periods_of("chegem") + "/close", headers=who)).status_code == 403
    assert await count_rows(certificates.database_url, "runs") == 0  # nothing asked, nothing changed
    mine = (await c.get(periods_of("chegem"), headers=chegem)).json()
    assert (mine["status"], mine["funded_quota"]) == ("draft", PERIOD["funded_quota"])
    assert (await c.get(periods_of("chegem"), headers=region)).json() == mine
    for who in (baksan, parent):
        assert (await c.get(periods_of("chegem"), headers=who)).status_code == 403
    assert (await c.get(periods_of("baksan"), headers=baksan)).status_code == 404  # Baksan has none yet

    unknown = await c.put(periods_of("atlantis"), json=PERIOD, headers=t.headers("admin"))
    assert (unknown.status_code, unknown.json()["field"]) == (422, "municipality")
    assert (await c.get(periods_of("atlantis"), headers=region)).status_code == 422

    run = (await c.post(periods_of("chegem") + "/open", headers=t.headers("admin"))).json()
    assert (await c.get(run["href"], headers=region)).status_code == 200
    assert (await c.get(run["href"], headers=baksan)).status_code == 404
    assert (await c.get(run["href"], headers=parent)).status_code == 403
    moved = run["href"].replace("/chegem/", "/baksan/")
    assert (await c.get(moved, headers=t.headers("admin"))).status_code == 404


async def test_the_quota_and_the_budget_count_the_municipalitys_own_certificates(certificates):
    """Baksan's funded certificates do not use up Chegem's quota of one, and an accounting
    certificate of Chegem says so."""
    c, t = certificates.client, certificates.tokens
    chegem = t.headers("operator", municipality="chegem")
    await funded_certificates(certificates, ["baksan", "baksan"])
    await c.put(periods_of("chegem"), headers=chegem, json={**PERIOD, "funded_quota": 1, "budget_cap_kop": 15_000_00})
    await finished_run(c, await c.post(periods_of("chegem") + "/open", headers=chegem), chegem)
    parent = t.headers("parent", subject="chegem-mother")
    kid = (await c.post("/api/v1/children", headers=parent, json={
        "full_name": "Ребёнок Чегемский", "birth_date": f"{YEAR - 9}-02-01", "snils": SNILS[3],
        "municipality": "chegem"})).json()["id"]
    cert = (await c.post(f"/api/v1/children/{kid}/certificate", headers=parent)).json()["id"]
    certificates.app.state.clock.pin(date(YEAR, 1, 10))
    body = (await c.post(f"/api/v1/certificates/{cert}/activate", headers=chegem)).json()
    assert (body["funding_reason"], body["expected_credit_kop"]) == ("on_first_enrollment", 15_000_00)


async def test_a_periods_close_expires_its_own_money_never_next_years_credits(certificates):
    """Next year's period opened (and credited) before this year's closed: the close expires what is
    left of this year's nominal only, and money held for contracts stays."""
    c, t = certificates.client, certificates.tokens
    chegem = t.headers("operator", municipality="chegem")
    [cert] = await funded_certificates(certificates, ["chegem"])
    await c.put(periods_of("chegem"), json=PERIOD, headers=chegem)
    await finished_run(c, await c.post(periods_of("chegem") + "/open", headers=chegem), chegem)  # 15 000 ₽
    cert_id = uuid.UUID(cert)
    engine = make_engine(certificates.database_url)
    async with make_sessions(engine)() as s, s.begin():
        # a contract of this year holds 4 000 ₽; next year's nominal (20 000 ₽) arrives, 5 000 ₽ of it held
        await post_entry(s, cert_id, "reserve", 4_000_00, "application:this-year", uuid.uuid4(),
                         terms=ContractTerms(YEAR))
        await post_entry(s, cert_id, "credit", 20_000_00, credit_cause(YEAR + 1))
        await post_entry(s, cert_id, "reserve", 5_000_00, "application:next-year", uuid.uuid4(),
                         terms=ContractTerms(YEAR + 1))
    await engine.dispose()
    assert (await _balance(certificates, cert))["available_kop"] == 26_000_00

    closed = await finished_run(c, await c.post(periods_of("chegem") + "/close", headers=chegem), chegem)
    assert (closed["result"]["expired_certificates"], closed["result"]["expired_kop"]) == (1, 11_000_00)
    after = await _balance(certificates, cert)
    assert (after["available_kop"], after["reserved_kop"], after["expired_kop"]) == (15_000_00, 9_000_00, 11_000_00)
    again = await finished_run(c, await c.post(periods_of("chegem") + "/close", headers=chegem), chegem)
    assert again["result"]["expired_kop"] == 0
    assert (await _balance(certificates, cert)) == after
