"""The certificates side of the enrollment saga, driven by real events on the bus."""
from __future__ import annotations

import uuid
from datetime import date

from pfdo_events import Envelope
from pfdo_events.billing import Charge, ChargesPosted, ContractTerminated
from pfdo_events.catalog import ApplicationAccepted, MonthlyShare
from pfdo_kit.clock import Clock
from tests.support.agreements import PROVIDER, signed_agreement
from tests.support.service_app import publish
from tests.support.waiting import eventually

YEAR = Clock().today().year  # the service's year (its default zone), not the machine's
PERIOD = {"starts_on": f"{YEAR}-01-01", "ends_on": f"{YEAR}-12-31", "funded_quota": 1, "budget_cap_kop": 10**10,
          "nominals": [{"min_age": 5, "max_age": 17, "amount_kop": 12_000_00}],
          "free_limits": {"significant": 1, "preprofessional": 0, "other": 0}}
CHEGEM_PERIOD = f"/api/v1/municipalities/chegem/periods/{YEAR}"


async def _active_certificate(svc, subject: str, snils: str) -> dict:
    c, t = svc.client, svc.tokens
    parent = t.headers("parent", subject=subject)
    kid = (await c.post("/api/v1/children", headers=parent, json={
        "full_name": f"Ребёнок {subject}", "birth_date": f"{YEAR - 10}-03-01", "snils": snils,
        "municipality": "chegem"})).json()["id"]
    cert = (await c.post(f"/api/v1/children/{kid}/certificate", headers=parent)).json()
    await c.post(f"/api/v1/certificates/{cert['id']}/activate", headers=t.headers("admin"))
    return {"child_id": kid, "certificate_id": cert["id"]}


def _accepted(cert: dict, monthly_kop: int, months: int = 3, register: str = "certified",
              provider: uuid.UUID = PROVIDER) -> Envelope:
    event = ApplicationAccepted(
        application_id=uuid.uuid4(), child_id=cert["child_id"], certificate_id=cert["certificate_id"],
        owner="mother", municipality="chegem", provider_id=provider, provider_name="ДЮСШ",
        program_id=uuid.uuid4(), program_title="Шахматы", group_id=uuid.uuid4(), program_register=register,
        period_year=YEAR, starts_on=date(YEAR, 9, 1), ends_on=date(YEAR, 12, 31),
        months=[MonthlyShare(month=f"{YEAR}-{m:02d}", certificate_kop=monthly_kop, copay_kop=0, planned_lessons=8)
                for m in range(9, 9 + months)],
        weekly_schedule=[{"weekday": 1, "starts_at": "15:00", "minutes": 45}],
    )
    return Envelope.wrap(event, district="test-district")


async def _results(svc, n: int) -> list[dict]:
    got: list[dict] = []

    async def arrived() -> bool:
        got.extend(e for e in await svc.events.drain(wait_s=0.2) if ".funds." in e["routing_key"])
        return len(got) >= n

    await eventually(arrived, timeout_s=20, what=f"{n} funds events")
    return got


async def _balance(svc, cert: dict) -> dict:
    r = await svc.client.get(f"/api/v1/certificates/{cert['certificate_id']}", headers=svc.tokens.headers("admin"))
    return r.json()["balance"] | {"kind": r.json()["kind"]}


async def test_reserve_debit_release_each_once_even_when_delivered_twice(certificates):
    svc = certificates
    await svc.client.put(f"{CHEGEM_PERIOD}", json=PERIOD, headers=svc.tokens.headers("admin"))
    await svc.client.post(f"{CHEGEM_PERIOD}/open", headers=svc.tokens.headers("admin"))
    await signed_agreement(svc)
    cert = await _active_certificate(svc, "mother-1", "112-233-445 95")

    # Funded in late November at the earliest, a child gets at least 1/12 of 12 000 ₽: 1 000 ₽.
    accepted = _accepted(cert, monthly_kop=300_00)
    await publish(svc.settings.amqp_url, _names(svc), accepted, accepted)  # the same event twice
    [reserved] = await _results(svc, 1)
    assert reserved["routing_key"] == "certificates.funds.reserved.v1", reserved["payload"]
    assert reserved["payload"]["amount_kop"] == 900_00 and reserved["causation_id"] == str(accepted.id)
    assert reserved["payload"]["owner"] == "mother"  # the account that applied, whom notifications tells
    number = (await svc.client.get(f"/api/v1/certificates/{cert['certificate_id']}",
                                   headers=svc.tokens.headers("admin"))).json()["number"]
    assert (reserved["payload"]["certificate_number"], reserved["payload"]["child_full_name"],
            reserved["payload"]["child_birth_date"]) == (number, "Ребёнок mother-1", f"{YEAR - 10}-03-01")  # the offer's
    balance = await _balance(svc, cert)
    assert balance["kind"] == "funded" and balance["reserved_kop"] == 900_00
    assert balance["credited_kop"] > 0  # the late-start share of the nominal

    contract = accepted.payload["application_id"]
    charges = Envelope.wrap(ChargesPosted(batch_id=uuid.uuid4(), month=f"{YEAR}-09", charges=[
        Charge(charge_id=uuid.UUID(int=1), contract_id=contract, certificate_id=cert["certificate_id"], amount_kop=300_00),
        Charge(charge_id=uuid.UUID(int=2), contract_id=contract, certificate_id=cert["certificate_id"], amount_kop=5_000_00),
    ]), district="test-district")
    await publish(svc.settings.amqp_url, _names(svc), charges, charges)
    [debited] = await _results(svc, 1)
    # Charges apply in charge-id order: the second asks 5 000 ₽ and gets the 600 ₽ still held.
    assert [(r["debited_kop"], r["shortfall_kop"]) for r in debited["payload"]["results"]] == [
        (300_00, 0), (600_00, 4_400_00)]
    assert {r["owner"] for r in debited["payload"]["results"]} == {"mother-1"}  # the child's parent

    terminated = Envelope.wrap(ContractTerminated(contract_id=contract, certificate_id=cert["certificate_id"],
                                                  terminated_on=date(YEAR, 10, 1), by="parent"),
                               district="test-district")
    await publish(svc.settings.amqp_url, _names(svc), terminated, terminated)
    [released] = await _results(svc, 1)
    assert released["payload"]["amount_kop"] == 0  # everything held was debited already
    ledger = (await svc.client.get(f"/api/v1/certificates/{cert['certificate_id']}/ledger",
                                   headers=svc.tokens.headers("admin"))).json()["items"]
    assert [e["kind"] for e in ledger] == ["credit", "reserve", "debit", "debit"]
    final = await _balance(svc, cert)
    assert (final["reserved_kop"], final["debited_kop"]) == (0, 900_00)
    # no second result for any duplicate
    assert [e for e in await svc.events.drain(wait_s=0.5) if ".funds." in e["routing_key"]] == []


async def test_refusals_name_their_reason(certificates):
    svc = certificates
    await svc.client.put(f"{CHEGEM_PERIOD}", json=PERIOD, headers=svc.tokens.headers("admin"))
    await svc.client.post(f"{CHEGEM_PERIOD}/open", headers=svc.tokens.headers("admin"))
    await signed_agreement(svc)
    first = await _active_certificate(svc, "mother-1", "112-233-445 95")
    second = await _active_certificate(svc, "father-2", "111-111-111 45")

    too_much = _accepted(first, monthly_kop=100_000_00)       # funds first (quota 1), then cannot pay
    quota = _accepted(second, monthly_kop=1_000_00)            # quota of funded certificates used up
    free_ok = _accepted(second, 0, register="significant")
    free_over = _accepted(second, 0, register="significant")   # limit 1 per register
    await publish(svc.settings.amqp_url, _names(svc), too_much)
    await _results(svc, 1)
    for envelope in (quota, free_ok, free_over):
        await publish(svc.settings.amqp_url, _names(svc), envelope)
    results = await _results(svc, 3)
    by_app = {e["payload"]["application_id"]: e for e in results}
    assert by_app[quota.payload["application_id"]]["payload"]["reason"] == "quota_exhausted"
    assert {e["payload"]["owner"] for e in results} == {"mother"}
    assert by_app[free_ok.payload["application_id"]]["routing_key"] == "certificates.funds.reserved.v1"
    assert by_app[free_over.payload["application_id"]]["payload"]["reason"] == "free_limit_reached"
    assert (await _balance(svc, first))["reserved_kop"] == 0
    assert (await _balance(svc, second))["kind"] == "accounting"


def _names(svc):
    from pfdo_kit.bus.names import BusNames

    s = svc.settings
    return BusNames(s.bus_exchange, s.bus_queue_prefix, s.bus_queue_expires_ms)


async def test_a_provider_sees_a_certificate_only_after_the_child_applied_to_it(certificates):
    from pfdo_events.catalog import ApplicationSubmitted

    svc = certificates
    cert = await _active_certificate(svc, "mother-1", "112-233-445 95")
    provider, other = uuid.uuid4(), uuid.uuid4()
    path = f"/api/v1/certificates/{cert['certificate_id']}"
    assert (await svc.client.get(path, headers=svc.tokens.headers("provider", provider_id=provider))).status_code == 404
    submitted = Envelope.wrap(ApplicationSubmitted(
        application_id=uuid.uuid4(), child_id=cert["child_id"], certificate_id=cert["certificate_id"],
        provider_id=provider, group_id=uuid.uuid4()), district="test-district")
    await publish(svc.settings.amqp_url, _names(svc), submitted)

    async def visible() -> bool:
        r = await svc.client.get(path, headers=svc.tokens.headers("provider", provider_id=provider))
        return r.status_code == 200

    await eventually(visible, what="the provider's access after the application")
    assert (await svc.client.get(path, headers=svc.tokens.headers("provider", provider_id=other))).status_code == 404
    assert (await svc.client.get(path + "/ledger",
                                 headers=svc.tokens.headers("provider", provider_id=provider))).status_code == 404


async def test_concurrent_first_enrollments_never_pass_the_funded_quota(certificates):
    from services.certificates.domain.snils import checksum

    svc = certificates
    await svc.client.put(f"{CHEGEM_PERIOD}", headers=svc.tokens.headers("admin"),
                         json={**PERIOD, "funded_quota": 4})
    await svc.client.post(f"{CHEGEM_PERIOD}/open", headers=svc.tokens.headers("admin"))
    await signed_agreement(svc)
    certs = []
    for i in range(12):
        nine = f"{200_000_000 + i * 7_919:09d}"
        certs.append(await _active_certificate(svc, f"parent-{i}", f"{nine}{checksum(nine):02d}"))
    await publish(svc.settings.amqp_url, _names(svc), *(_accepted(c, monthly_kop=100_00) for c in certs))
    results = await _results(svc, 12)
    outcomes = sorted(e["payload"].get("reason", "reserved") for e in results)
    assert outcomes == ["quota_exhausted"] * 8 + ["reserved"] * 4
    kinds = [(await _balance(svc, c))["kind"] for c in certs]
    assert kinds.count("funded") == 4


async def test_a_termination_keeps_what_billing_asks_and_a_final_charge_frees_the_rest_once(certificates):
    svc = certificates
    await svc.client.put(f"{CHEGEM_PERIOD}", json=PERIOD, headers=svc.tokens.headers("admin"))
    await svc.client.post(f"{CHEGEM_PERIOD}/open", headers=svc.tokens.headers("admin"))
    await signed_agreement(svc)
    cert = await _active_certificate(svc, "mother-1", "112-233-445 95")
    accepted = _accepted(cert, monthly_kop=300_00)
    await publish(svc.settings.amqp_url, _names(svc), accepted)
    await _results(svc, 1)
    contract, certificate = accepted.payload["application_id"], cert["certificate_id"]

    terminated = Envelope.wrap(ContractTerminated(contract_id=contract, certificate_id=certificate,
                                                  terminated_on=date(YEAR, 10, 15), by="parent", keep_kop=600_00),
                               district="test-district")
    await publish(svc.settings.amqp_url, _names(svc), terminated)
    [released] = await _results(svc, 1)
    assert released["payload"]["amount_kop"] == 300_00  # November goes back, September and October stay

    september = Charge(charge_id=uuid.uuid4(), contract_id=contract, certificate_id=certificate, amount_kop=180_00,
                       release_kop=120_00)
    october = Charge(charge_id=uuid.uuid4(), contract_id=contract, certificate_id=certificate, amount_kop=100_00,
                     final=True)
    for month, charge in ((f"{YEAR}-09", september), (f"{YEAR}-10", october)):
        batch = Envelope.wrap(ChargesPosted(batch_id=uuid.uuid4(), month=month, charges=[charge]),
                              district="test-district")
        await publish(svc.settings.amqp_url, _names(svc), batch, batch)
        [debited] = await _results(svc, 1)
        result = debited["payload"]["results"][0]
        assert (result["debited_kop"], result["released_kop"]) == (
            (180_00, 120_00) if charge is september else (100_00, 200_00))
    balance = await _balance(svc, cert)
    assert (balance["reserved_kop"], balance["debited_kop"]) == (0, 280_00)
    # The same charge again in a new batch (a billing that re-sent it) finds its entries: nothing moves.
    resent = Envelope.wrap(ChargesPosted(batch_id=uuid.uuid4(), month=f"{YEAR}-09", charges=[september]),
                           district="test-district")
    await publish(svc.settings.amqp_url, _names(svc), resent)
    [again] = await _results(svc, 1)
    assert (again["payload"]["results"][0]["debited_kop"], again["payload"]["results"][0]["released_kop"]) == (
        180_00, 120_00)
    assert await _balance(svc, cert) == balance
    assert [e for e in await svc.events.drain(wait_s=0.5) if ".funds." in e["routing_key"]] == []
