"""Who pays for a contract, and which payers an advance counts: billing alone, driven by events."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import text

from bench.money_seed import plan, seed_contracts
from tests.integration.billing.test_contracts_and_attendance import MONTHS, wait_status
from tests.support.billing_events import accepted, agreement, bus_names_of, provider_event, reserved
from tests.support.service_app import publish
from tests.support.waiting import eventually


async def _contract(svc, contract_id) -> dict:
    r = await svc.client.get(f"/api/v1/contracts/{contract_id}", headers=svc.tokens.headers("admin"))
    assert r.status_code == 200, r.text
    return r.json()


async def test_the_payer_is_the_certificates_municipality_even_for_an_old_acceptance(billing):
    svc = billing
    provider, certificate = uuid.uuid4(), uuid.uuid4()
    common = dict(provider_id=provider, months=MONTHS, starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 30))
    # A child of baksan in a program taught in chegem: baksan pays.
    new = accepted(certificate_id=certificate, child_id=uuid.uuid4(), municipality="chegem", payer="baksan", **common)
    await publish(svc.settings.amqp_url, bus_names_of(svc), new, reserved(new))
    await wait_status(svc, new.payload["application_id"], "offered")
    assert (await _contract(svc, new.payload["application_id"]))["payer"] == "baksan"
    # An acceptance from before regions names no payer: the certificate's municipality as billing knows it...
    old = accepted(certificate_id=certificate, child_id=uuid.uuid4(), municipality="chegem", **common)
    # ...and for a certificate billing never saw, the program's municipality (one district: the district).
    unknown = accepted(certificate_id=uuid.uuid4(), child_id=uuid.uuid4(), municipality="neftekumsk", **common)
    await publish(svc.settings.amqp_url, bus_names_of(svc), old, reserved(old), unknown, reserved(unknown))
    for app, payer in ((old, "baksan"), (unknown, "neftekumsk")):
        await wait_status(svc, app.payload["application_id"], "offered")
        assert (await _contract(svc, app.payload["application_id"]))["payer"] == payer

    # The payer's operator sees the contract, the program's municipality's does not.
    baksan = svc.tokens.headers("operator", municipality="baksan")
    chegem = svc.tokens.headers("operator", municipality="chegem")
    path = f"/api/v1/contracts/{new.payload['application_id']}"
    assert (await svc.client.get(path, headers=baksan)).status_code == 200
    assert (await svc.client.get(path, headers=chegem)).status_code == 404


async def test_an_advance_counts_only_payers_with_an_active_agreement_for_the_year(billing):
    svc, t = billing, billing.tokens
    provider = uuid.uuid4()
    staff = t.headers("provider", provider_id=provider)
    contracts = plan(4, [provider], ("2026-09", "2026-10"))
    async with svc.app.state.runtime.sessions() as session, session.begin():
        await seed_contracts(session, contracts, signed_on=date(2026, 8, 25), planned_lessons=5,
                             payers=["chegem", "chegem", "baksan", "neftekumsk"])
    await publish(svc.settings.amqp_url, bus_names_of(svc), provider_event("approved", provider))
    svc.app.state.clock.pin(date(2026, 9, 2))

    async def answer() -> dict:
        r = await svc.client.post("/api/v1/advances", json={"month": "2026-09"}, headers=staff)
        return {"status": r.status_code, **r.json()}

    async def provider_known() -> bool:  # until then: not an active provider
        return "Ни с одним плательщиком" in (await answer())["title"]
    await eventually(provider_known, what="the provider in billing's copy")
    refused = await answer()
    assert (refused["status"], refused["type"]) == (409, "urn:pfdo:problem:no-payment-agreement")  # no agreement yet

    # chegem's for 2026; baksan's ended (the newest news wins, whatever the order it came in); neftekumsk's for 2027.
    ended = agreement(provider, "baksan", 2026, active=False)
    made = agreement(provider, "baksan", 2026)
    made = made.model_copy(update={"occurred_at": ended.occurred_at.replace(year=2025)})  # made before it ended
    await publish(svc.settings.amqp_url, bus_names_of(svc), agreement(provider, "chegem", 2026), ended, made,
                  agreement(provider, "neftekumsk", 2027))

    async def copied() -> bool:
        async with svc.app.state.runtime.sessions() as session:
            return await session.scalar(text("SELECT count(*) FROM agreements_copy")) == 3
    await eventually(copied, what="the three agreements in billing's copy")
    granted = await answer()
    assert granted["status"] == 201, granted
    # 80 % of chegem's two shares (2 × 500 ₽) only
    assert (granted["amount_kop"], granted["limit_kop"], granted["parts"]) == (
        800_00, 800_00, [{"payer": "chegem", "amount_kop": 800_00, "limit_kop": 800_00}])
