"""A region with two municipalities, end to end through the gateway: one provider teaches a child of
each, each payer's operator runs its own period and closes its own month, the provider gets one
invoice per payer, and each payer's reconciliation and the region's are exact. A municipal operator
reaches nothing of the other municipality; the regional operator reads every report and changes no
municipality's money."""
from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from deploy.api_client import Api
from tests.support.people import (
    PERIOD,
    TODAY,
    approved_provider,
    certified_program,
    child_with_certificate,
    offered_contract,
    register,
    staff_account,
)
from tests.support.people import status_of as _status
from tests.support.waiting import eventually

pytestmark = pytest.mark.timeout(600)
YEAR = TODAY.year


async def _opened(operator: Api, municipality: str) -> None:
    await operator.call("PUT", f"/municipalities/{municipality}/periods/{YEAR}", json=PERIOD)
    opened = await operator.run("POST", f"/municipalities/{municipality}/periods/{YEAR}/open", poll_s=0.1)
    assert opened["status"] == "done", opened


async def test_two_payers_one_provider_one_month(platform):
    public = Api(platform.gateway_url)
    admin = await public.login(platform.admin_email, platform.admin_password)
    region = await staff_account(admin, public, "region@pfdo-e2e.ru", "regional_operator", None)
    chegem = await staff_account(admin, public, "op-chegem@pfdo-e2e.ru", "operator", "chegem")
    baksan = await staff_account(admin, public, "op-baksan@pfdo-e2e.ru", "operator", "baksan")

    assert await _status(baksan, "PUT", f"/municipalities/chegem/periods/{YEAR}", json=PERIOD) in (403, 404)
    assert await _status(region, "PUT", f"/municipalities/chegem/periods/{YEAR}", json=PERIOD) in (403, 404)
    await _opened(chegem, "chegem")
    assert await _status(baksan, "GET", f"/municipalities/chegem/periods/{YEAR}") in (403, 404)
    await _opened(baksan, "baksan")

    staff, provider = await approved_provider(public, region, "club@pfdo-e2e.ru", 21,
                                              payers={"chegem": chegem, "baksan": baksan})
    _, group = await certified_program(staff, region, "Робототехника для двух районов", "Кучменов Р. Х.")

    mother = await register(public, "mother@pfdo-e2e.ru", municipality="chegem")
    father = await register(public, "father@pfdo-e2e.ru", municipality="baksan")
    assert await _status(father, "POST", "/children", json={
        "full_name": "Тимур Кардангушев", "birth_date": f"{YEAR - 9}-03-01", "snils": "112-233-445 95",
        "municipality": "atlantis"}) == 422
    amir = await child_with_certificate(mother, chegem, "112-233-445 95", "Амир Шогенов", municipality="chegem")
    alim = await child_with_certificate(father, baksan, "126-775-983 08", "Алим Бербеков", municipality="baksan")

    # The other municipality's operator reaches nothing of this child, and the region changes nothing.
    assert await _status(baksan, "GET", f"/children/{amir['id']}") == 404
    assert await _status(baksan, "POST", f"/certificates/{amir['certificate_id']}/suspend",
                         json={"reason": "проверка"}) in (403, 404)
    assert await _status(region, "POST", f"/certificates/{amir['certificate_id']}/suspend",
                         json={"reason": "проверка"}) in (403, 404)
    assert amir["id"] not in [c["id"] for c in (await baksan.call("GET", "/children"))["items"]]

    contracts = [await offered_contract(mother, staff, amir, group), await offered_contract(father, staff, alim, group)]
    await mother.call("POST", f"/contracts/{contracts[0]['id']}/sign")
    await father.call("POST", f"/contracts/{contracts[1]['id']}/sign")
    assert {c["payer"] for c in (await staff.call("GET", "/contracts"))["items"]} == {"chegem", "baksan"}
    assert [c["payer"] for c in (await baksan.call("GET", "/contracts"))["items"]] == ["baksan"]
    await staff.call("POST", f"/groups/{group['id']}/attendance",
                     json={"lesson_date": TODAY.isoformat(), "present": [amir["id"], alim["id"]]})

    month = f"{YEAR:04d}-{TODAY.month:02d}"
    next_month = (TODAY.replace(day=28) + timedelta(days=4)).replace(day=2)
    await asyncio.to_thread(platform.restart, "billing", {"BILLING_CLOCK_DATE": next_month.isoformat()})
    assert await _status(baksan, "POST", f"/municipalities/chegem/months/{month}/close") in (403, 404)
    assert await _status(region, "POST", f"/municipalities/chegem/months/{month}/close") in (403, 404)
    for operator, municipality in ((chegem, "chegem"), (baksan, "baksan")):
        await operator.call("POST", f"/municipalities/{municipality}/months/{month}/close")

        async def closed(operator=operator, municipality=municipality) -> bool:
            answer = await operator.call("GET", f"/municipalities/{municipality}/months/{month}")
            return answer["status"] == "closed"
        await eventually(closed, timeout_s=60, what=f"{municipality}'s month closed")

    invoices = {i["payer"]: i for i in (await staff.call("GET", "/invoices", params={"month": month}))["items"]}
    assert set(invoices) == {"chegem", "baksan"}
    debits = {}
    for parent, child, payer in ((mother, amir, "chegem"), (father, alim, "baksan")):
        [debit] = (await parent.call("GET", "/debits"))["items"]
        debits[payer] = debit["amount_kop"]
        assert debit["amount_kop"] > 0 and invoices[payer]["charges_kop"] == debit["amount_kop"]
        assert invoices[payer]["provider_id"] == provider["id"]
    assert [i["payer"] for i in (await chegem.call("GET", "/invoices", params={"month": month}))["items"]] == [
        "chegem"]

    for operator, payer in ((chegem, "chegem"), (baksan, "baksan")):
        report = await operator.call("GET", "/reports/reconciliation", params={"month": month, "municipality": payer})
        assert report["balanced"] and report["debited_kop"] == report["invoiced_kop"] == debits[payer], report
    assert await _status(baksan, "GET", "/reports/reconciliation", params={"month": month,
                                                                          "municipality": "chegem"}) in (403, 404)
    whole = await region.call("GET", "/reports/reconciliation", params={"month": month})
    assert whole["balanced"] and whole["debited_kop"] == whole["invoiced_kop"] == sum(debits.values()), whole
    assert {p["municipality"]: p["debited_kop"] for p in whole["payers"] if p["debited_kop"]} == debits
