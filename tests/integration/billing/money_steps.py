"""Steps of a month's money with both real services (certificates and billing on one bus): a
funded certificate, attendance marks, a payer's month close, a balance."""
from __future__ import annotations

from tests.support.waiting import eventually

PERIOD = {"starts_on": "2026-01-01", "ends_on": "2026-12-31", "funded_quota": 100, "budget_cap_kop": 10**10,
          "nominals": [{"min_age": 5, "max_age": 17, "amount_kop": 60_000_00}],
          "free_limits": {"significant": 1, "preprofessional": 0, "other": 0}}
MONTHS = {"2026-09": (300_00, 5), "2026-10": (300_00, 4), "2026-11": (300_00, 4)}


async def certificate(certs, owner: str, snils: str) -> dict:
    c, t = certs.client, certs.tokens
    kid = (await c.post("/api/v1/children", headers=t.headers("parent", subject=owner), json={
        "full_name": f"Ребёнок {owner}", "birth_date": "2016-03-01", "snils": snils, "municipality": "chegem"})).json()
    cert = (await c.post(f"/api/v1/children/{kid['id']}/certificate", headers=t.headers("parent", subject=owner))).json()
    assert (await c.post(f"/api/v1/certificates/{cert['id']}/activate", headers=t.headers("admin"))).status_code == 200
    return {"child_id": kid["id"], "certificate_id": cert["id"]}


async def balance(certs, certificate_id: str) -> dict:
    r = await certs.client.get(f"/api/v1/certificates/{certificate_id}", headers=certs.tokens.headers("admin"))
    return r.json()["balance"]


async def close_month(bill, month: str) -> dict:
    operator = bill.tokens.headers("operator", municipality="chegem")
    r = await bill.client.post(f"/api/v1/municipalities/chegem/months/{month}/close", headers=operator)
    assert r.status_code == 202, r.text
    state: dict = {}

    async def closed() -> bool:
        state.update((await bill.client.get(f"/api/v1/municipalities/chegem/months/{month}", headers=operator)).json())
        return state["status"] == "closed"
    await eventually(closed, timeout_s=60, what=f"{month} closed")
    return state


async def mark(bill, group, provider, day: str, present: list, absent: list = ()) -> None:
    r = await bill.client.post(f"/api/v1/groups/{group}/attendance", headers=bill.tokens.headers(
        "provider", provider_id=provider), json={"lesson_date": day, "present": present, "absent": list(absent)})
    assert r.status_code == 200, r.text


