"""Every billing list answers the one page format: `?page=&page_size=` in, `{items, total, page,
page_size}` out, pages that together hold each row once, and a wrong status is a 422."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from bench.money_seed import plan, seed_attendance, seed_contracts
from services.billing.models import Advance, ChargeRow, Invoice, MonthClose

MONTHS = ("2026-09", "2026-10", "2026-11")
PROVIDER = uuid.uuid4()


async def _seed(bill) -> list:
    """Five signed contracts of one provider's group, each debited for three closed months, with
    the provider's invoice and advance for each month."""
    contracts = plan(5, [PROVIDER], MONTHS)
    async with bill.app.state.runtime.sessions() as session, session.begin():
        await seed_contracts(session, contracts, signed_on=date(2026, 8, 25))
        await seed_attendance(session, [(c.contract_id, c.group_id, date(2026, 9, 1), True) for c in contracts])
        session.add_all(MonthClose(month=m, municipality="chegem", status="closed", rule="attended_share",
                                   requested_by="operator:test")
                        for m in MONTHS)
        await session.flush()
        session.add_all(ChargeRow(month=m, payer="chegem", contract_id=c.contract_id, certificate_id=c.certificate_id,
                                  provider_id=PROVIDER, share_kop=500_00, planned_lessons=4, attended_lessons=4,
                                  amount_kop=500_00, release_kop=0, final=False, debited_kop=500_00,
                                  confirmed_at=datetime.now(UTC)) for m in MONTHS for c in contracts)
        session.add_all(Invoice(number=f"СЧ-{m}-000001", provider_id=PROVIDER, provider_name="ДЮСШ",
                                payer="chegem", month=m, charges_kop=2_500_00, advance_kop=1_000_00,
                                carried_in_kop=0, settlement_kop=1_500_00) for m in MONTHS)
        session.add_all(Advance(provider_id=PROVIDER, month=m, amount_kop=1_000_00, limit_kop=2_000_00,
                                requested_by="provider:test") for m in MONTHS)
    return contracts


async def _all_pages(client, path: str, headers: dict, size: int, **params) -> tuple[list[dict], int]:
    """Every item of a list read page by page; each page says its number, size and the same total."""
    items, page, total = [], 1, None
    while True:
        r = await client.get(path, params={**params, "page": page, "page_size": size}, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"items", "total", "page", "page_size"}
        assert (body["page"], body["page_size"]) == (page, size)
        assert total in (None, body["total"])
        total = body["total"]
        assert len(body["items"]) == min(size, max(0, total - (page - 1) * size))
        if not body["items"]:
            return items, total
        items += body["items"]
        page += 1


async def test_every_list_pages_through_its_rows_once_with_the_right_total(billing):
    bill, t = billing, billing.tokens
    contracts = await _seed(bill)
    admin, provider = t.headers("admin"), t.headers("provider", provider_id=PROVIDER)
    ids = {str(c.contract_id) for c in contracts}

    listed, total = await _all_pages(bill.client, "/api/v1/contracts", admin, 2)
    assert total == 5 and {c["id"] for c in listed} == ids and len(listed) == 5
    mine, total = await _all_pages(bill.client, "/api/v1/contracts", provider, 4, status="signed")
    assert total == 5 and {c["id"] for c in mine} == ids

    debits, total = await _all_pages(bill.client, "/api/v1/debits", admin, 4)
    assert total == 15 and len({d["charge_id"] for d in debits}) == 15
    assert [d["month"] for d in debits] == sorted((d["month"] for d in debits), reverse=True)
    one_family, total = await _all_pages(bill.client, "/api/v1/debits", t.headers("parent", subject="parent-1"), 2)
    assert total == 3 and {d["contract_id"] for d in one_family} == {str(contracts[0].contract_id)}

    invoices, total = await _all_pages(bill.client, "/api/v1/invoices", provider, 2)
    assert total == 3 and [i["month"] for i in invoices] == list(MONTHS)
    advances, total = await _all_pages(bill.client, "/api/v1/advances", provider, 2)
    assert total == 3 and [a["month"] for a in advances] == list(MONTHS)

    roster, total = await _all_pages(bill.client, f"/api/v1/groups/{contracts[0].group_id}/attendance", provider, 2,
                                     month="2026-09")
    assert total == 5 and {line["contract_id"] for line in roster} == ids
    assert [line["contract_number"] for line in roster] == sorted(line["contract_number"] for line in roster)
    assert all(line["attended"] == 1 for line in roster)
    family_roster, total = await _all_pages(bill.client, f"/api/v1/groups/{contracts[0].group_id}/attendance",
                                            t.headers("parent", subject="parent-2"), 20, month="2026-09")
    assert total == 1 and [line["contract_id"] for line in family_roster] == [str(contracts[1].contract_id)]
    stranger = await bill.client.get(f"/api/v1/groups/{contracts[0].group_id}/attendance", params={"month": "2026-09"},
                                     headers=t.headers("provider", provider_id=uuid.uuid4()))
    assert stranger.status_code == 404


async def test_a_wrong_status_or_page_size_is_refused_not_an_empty_list(billing):
    admin = billing.tokens.headers("admin")
    wrong = await billing.client.get("/api/v1/contracts", params={"status": "podpisan"}, headers=admin)
    assert wrong.status_code == 422 and wrong.json()["field"] == "status", wrong.text
    assert wrong.headers["content-type"].startswith("application/problem+json")
    too_big = await billing.client.get("/api/v1/debits", params={"page_size": 101}, headers=admin)
    assert too_big.status_code == 422 and too_big.json()["field"] == "page_size", too_big.text
    empty = (await billing.client.get("/api/v1/contracts", params={"status": "void"}, headers=admin)).json()
    assert empty == {"items": [], "total": 0, "page": 1, "page_size": 20}
