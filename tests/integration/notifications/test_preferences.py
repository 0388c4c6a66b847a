"""A person switches off the mail of an optional kind; an essential one cannot be switched off.
The feed shows both either way."""
from __future__ import annotations

import uuid
from datetime import date

from pfdo_events.billing import ContractSigned
from pfdo_events.certificates import DebitResult, FundsDebited
from tests.integration.notifications.conftest import account, all_mail_settled, deliver
from tests.support.waiting import eventually


async def test_optional_mail_switched_off_essential_mail_still_comes(notifications, mail_sink):
    svc = notifications
    parent = account("parent", "parent@example.ru")
    await deliver(svc, parent)
    me = svc.tokens.headers("parent", subject=parent.subject)

    listed = (await svc.client.get("/api/v1/me/notification-preferences", headers=me)).json()["items"]
    by_kind = {i["kind"]: i for i in listed}
    assert by_kind["contract_signed"] == {"kind": "contract_signed", "title": "Договор подписан", "email": True,
                                          "essential": False}
    assert by_kind["funds_debited"]["essential"] is True
    assert "invoice_issued" not in by_kind and "password_reset" not in by_kind

    r = await svc.client.put("/api/v1/me/notification-preferences", headers=me,
                             json={"email": {"contract_signed": False, "application_accepted": False}})
    assert r.status_code == 200, r.text
    assert {i["kind"]: i["email"] for i in r.json()["items"]}["contract_signed"] is False
    refused = await svc.client.put("/api/v1/me/notification-preferences", headers=me,
                                   json={"email": {"funds_debited": False}})
    assert refused.status_code == 422
    assert refused.json()["field"] == "email.funds_debited"
    foreign = await svc.client.put("/api/v1/me/notification-preferences", headers=me,
                                   json={"email": {"invoice_issued": False}})
    assert foreign.status_code == 422
    back_on = await svc.client.put("/api/v1/me/notification-preferences", headers=me,
                                   json={"email": {"application_accepted": True}})
    assert {i["kind"]: i["email"] for i in back_on.json()["items"]}["application_accepted"] is True
    other = svc.tokens.headers("parent", subject=str(uuid.uuid4()))
    assert all(i["email"] for i in (await svc.client.get("/api/v1/me/notification-preferences",
                                                         headers=other)).json()["items"])

    contract = uuid.uuid4()
    await deliver(svc,
                  ContractSigned(contract_id=contract, certificate_id=uuid.uuid4(), signed_on=date(2026, 9, 1),
                                 owner=parent.subject, number="2026-1", program_title="Шахматы"),
                  FundsDebited(batch_id=uuid.uuid4(), month="2026-09", results=[DebitResult(
                      charge_id=uuid.uuid4(), contract_id=contract, debited_kop=50, shortfall_kop=0)]))
    await mail_sink.wait_for(1)
    await eventually(lambda: all_mail_settled(svc), what="mail sent")
    assert [m["Subject"] for m in mail_sink.mails] == ["Списание с сертификата: 0,50\u00a0₽"]
    feed = (await svc.client.get("/api/v1/me/notifications", headers=me)).json()
    assert [i["kind"] for i in feed["items"]] == ["funds_debited", "contract_signed"]
