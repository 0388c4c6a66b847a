"""End to end through the gateway alone, every service its own process: a family registers,
enrolls, the child attends, the month closes, the cabinet shows the debit and the provider's
invoice lists it; the family disputes the debit, the provider gives part back, and the next
invoice corrects it with both months reconciled. Along the way, other families, providers and municipalities try to reach
what is not theirs and change nothing."""
from __future__ import annotations

import asyncio
import hashlib
import json
import re
import uuid
from datetime import timedelta

import pytest

from deploy.api_client import Api
from tests.support.pdf import pdf_text
from tests.support.people import (
    TODAY,
    approved_provider,
    certified_program,
    child_with_certificate,
    month_closed,
    offered_contract,
    opened_district,
    register,
)
from tests.support.people import status_of as _status
from tests.support.waiting import eventually

pytestmark = pytest.mark.timeout(600)


async def test_a_family_enrolls_the_child_attends_and_the_month_is_paid(platform):
    public, admin, operator, foreign_operator = await opened_district(platform)

    staff, provider = await approved_provider(public, admin, "club@pfdo-e2e.ru", 11, payers={"chegem": operator})
    provider_id = provider["id"]
    other_staff, _ = await approved_provider(public, admin, "rival@pfdo-e2e.ru", 12, payers={"chegem": operator})
    program, group = await certified_program(staff, admin, "Робототехника для начинающих", "Кучменов Р. Х.")

    parent = await register(public, "mother@pfdo-e2e.ru")
    other_parent = await register(public, "neighbour@pfdo-e2e.ru")
    child = await child_with_certificate(parent, operator, "112-233-445 95", "Амир Шогенов")
    found = await public.call("GET", "/programs", auth=False, params={"q": "роботы", "certificate": "true"})
    assert [p["id"] for p in found["items"]] == [program["id"]]
    application = await offered_contract(parent, staff, child, group)

    # Strangers reach nothing and change nothing.
    contract_path = f"/contracts/{application['id']}"
    assert await _status(other_parent, "POST", contract_path + "/sign") == 404
    assert await _status(other_parent, "GET", f"/certificates/{child['certificate_id']}") in (403, 404)
    assert await _status(other_parent, "POST", f"/applications/{application['id']}/cancel") in (403, 404)
    assert await _status(other_staff, "POST", f"/applications/{application['id']}/reject",
                         json={"reason": "не наш ученик"}) in (403, 404)
    assert await _status(foreign_operator, "POST", f"/certificates/{child['certificate_id']}/suspend") in (403, 404)
    assert await _status(other_parent, "GET", contract_path) == 404
    assert await _status(other_staff, "POST", f"/programs/{program['id']}/groups", json={
        "module_id": program["modules"][0]["id"], "venue": "чужой", "teacher": "чужой",
        "schedule": [{"weekday": 0, "starts_at": "10:00", "minutes": 45}], "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + timedelta(days=30)).isoformat(), "capacity": 5}) in (403, 404)
    assert await _status(other_staff, "POST", f"/applications/{application['id']}/accept") in (403, 404)
    assert application["id"] not in [a["id"] for a in (await other_parent.call("GET", "/applications"))["items"]]
    assert (await other_parent.call("GET", "/contracts"))["items"] == []
    assert child["id"] not in [c["id"] for c in (await foreign_operator.call("GET", "/children"))["items"]]
    assert (await parent.call("GET", contract_path))["status"] == "offered"
    assert (await parent.call("GET", f"/certificates/{child['certificate_id']}"))["status"] == "active"
    assert len((await parent.call("GET", f"/programs/{program['id']}"))["groups"]) == 1

    # The family reads the offer (a PDF with the parties, the money and the rules) and signs what it read.
    offer = await parent.http.get(contract_path + "/offer", headers={"Authorization": f"Bearer {parent.token}"})
    assert offer.status_code == 200 and offer.headers["content-type"] == "application/pdf"
    read_hash = offer.headers["x-document-sha256"]
    assert hashlib.sha256(offer.content).hexdigest() == read_hash
    text = pdf_text(offer.content)
    number = (await parent.call("GET", f"/certificates/{child['certificate_id']}"))["number"]
    for words in ("Договор-оферта", "Амир Шогенов", number, provider["inn"], "Робототехника для начинающих",
                  "в течение 30 дней"):
        assert words in text, (words, text[:2000])
    stale = await parent.http.post(contract_path + "/sign", json={"document_sha256": "0" * 64},
                                   headers={"Authorization": f"Bearer {parent.token}"})
    assert stale.status_code == 409 and stale.json()["type"].endswith("offer-changed")
    signed = await parent.call("POST", contract_path + "/sign", json={"document_sha256": read_hash})
    assert signed["status"] == "signed"
    again = await parent.http.get(contract_path + "/offer", headers={"Authorization": f"Bearer {parent.token}"})
    assert again.content == offer.content  # the signed document, byte for byte
    marks = {"lesson_date": TODAY.isoformat(), "present": [child["id"]]}
    assert await _status(other_staff, "POST", f"/groups/{group['id']}/attendance", json=marks) == 404
    await staff.call("POST", f"/groups/{group['id']}/attendance", json=marks)

    month = await month_closed(platform, operator)

    cabinet = await parent.call("GET", "/me/cabinet")
    assert all(part["status"] == "ok" for part in cabinet.values())
    [debit] = cabinet["debits"]["data"]["items"]
    [enrolled] = cabinet["applications"]["data"]["items"]
    assert enrolled["program_title"] and enrolled["provider_name"] and enrolled["schedule"], enrolled
    assert debit["month"] == month and debit["attended_lessons"] == 1 and debit["amount_kop"] > 0
    [invoice] = (await staff.call("GET", "/invoices", params={"month": month}))["items"]
    lines = (await staff.call("GET", f"/invoices/{invoice['id']}"))["lines"]
    assert [(line["contract_id"], line["charged_kop"]) for line in lines] == [(application["id"], debit["amount_kop"])]
    assert invoice["provider_id"] == provider_id and invoice["charges_kop"] == debit["amount_kop"]
    assert await _status(other_staff, "GET", f"/invoices/{invoice['id']}") == 404
    report = await operator.call("GET", "/reports/reconciliation", params={"month": month, "municipality": "chegem"})
    assert report["balanced"] and report["debited_kop"] == debit["amount_kop"]
    assert "посещено 1 из" in debit["explanation"] and debit["dispute_status"] is None

    # The family disputes the debit; the provider agrees to give part back; the operator keeps the rest.
    dispute = await parent.call("POST", "/disputes", json={
        "charge_id": debit["charge_id"], "reason": "Занятие было сокращено вдвое, просим вернуть часть"})
    assert await _status(other_parent, "GET", f"/disputes/{dispute['id']}") == 404
    part = debit["amount_kop"] // 2
    await staff.call("POST", f"/disputes/{dispute['id']}/answer", json={
        "answer": "agree_part", "reversal_kop": part, "comment": "Занятие действительно было короче"})
    decided = await operator.call("POST", f"/disputes/{dispute['id']}/decision", json={
        "reversal_kop": 0, "comment": "Остальное подтверждено журналом посещаемости"})
    assert (decided["status"], decided["reversed_kop"]) == ("resolved", part)
    balance: dict = {}

    async def given_back() -> bool:
        balance.update((await parent.call("GET", f"/certificates/{child['certificate_id']}"))["balance"])
        return balance["reversed_kop"] == part
    await eventually(given_back, timeout_s=30, what="the reversal on the certificate")
    [debit] = (await parent.call("GET", "/debits"))["items"]
    assert (debit["reversed_kop"], debit["dispute_status"]) == (part, "resolved")

    # The provider's next invoice to the payer carries the correction; both months reconcile.
    following = await month_closed(platform, operator, later=1)
    [correcting] = (await staff.call("GET", "/invoices", params={"month": following}))["items"]
    assert correcting["corrections_kop"] == part
    assert correcting["settlement_kop"] == correcting["charges_kop"] - correcting["advance_kop"] + \
        correcting["carried_in_kop"] - part
    for reconciled in (month, following):
        report = await operator.call("GET", "/reports/reconciliation",
                                     params={"month": reconciled, "municipality": "chegem"})
        assert report["balanced"] and report["corrections_pending_kop"] == 0, report
    report = await operator.call("GET", "/reports/reconciliation", params={"month": month, "municipality": "chegem"})
    assert report["debited_kop"] - report["reversed_kop"] == report["invoiced_kop"] - report["corrections_kop"]
    assert report["reversed_kop"] == part


async def test_a_service_that_is_down_is_a_502_not_a_hang(platform):
    public = Api(platform.gateway_url)
    await asyncio.to_thread(platform.stop, "catalog")
    try:
        started = asyncio.get_running_loop().time()
        assert await _status(public, "GET", "/programs", auth=False) == 502
        assert asyncio.get_running_loop().time() - started < 10
    finally:
        await asyncio.to_thread(platform.restart, "catalog", {})
    assert await _status(public, "GET", "/programs", auth=False) == 200
    assert await _status(public, "GET", f"/contracts/{uuid.uuid4()}", auth=False) == 401


async def test_the_running_api_is_the_committed_document_and_its_docs_need_no_internet(platform):
    import httpx

    from deploy.api_documents import DOCS
    committed = json.loads((DOCS / "openapi.json").read_text(encoding="utf-8"))
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        async def merged() -> bool:
            return (await c.get("/openapi.json")).json()["info"]["description"] == committed["info"]["description"]
        await eventually(merged, timeout_s=30, what="every service's document in the gateway's")
        assert (await c.get("/openapi.json")).json() == committed, "run `python -m deploy.cli api-docs`"
        assert (await c.get("/asyncapi.json")).json() == json.loads((DOCS / "asyncapi.json").read_text())
        page = (await c.get("/docs")).text
        assets = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert assets and all(a.startswith("/docs-assets/") for a in assets), assets
        for asset in assets:
            assert (await c.get(asset)).status_code == 200, asset
