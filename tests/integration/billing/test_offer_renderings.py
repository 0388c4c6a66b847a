"""The unsigned offer is rendered once for a given content, on real PostgreSQL and RabbitMQ: a read
and a signature (and their retries, at the same moment) share one rendering; the pre-rendering job
renders an offered contract's offer before anyone asks and again when its parties' data changes; a
changed offer refuses the old hash; the signature holds the contract's lock only after the
rendering; the signed bytes are the bytes the family read. Renderings are counted by a spy on the
renderer, not by timing."""
from __future__ import annotations

import asyncio
import hashlib
import threading
import uuid
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select, text

from services.billing.models import ContractDocument, OfferRenderDue, OfferRendering
from tests.integration.billing.test_contracts_and_attendance import MONTHS
from tests.integration.billing.test_documents import _known_provider, _offered
from tests.support.billing_events import REQUISITES, bus_names_of, provider_event
from tests.support.service_app import publish
from tests.support.waiting import eventually


class RenderSpy:
    """Counts the renderer's PDFs by title (the title names the contract's number); `hold()` makes
    each rendering wait in its worker thread until `release()`."""

    def __init__(self, renderer) -> None:
        self.renders: Counter[str] = Counter()
        self.entered = threading.Event()
        self._go = threading.Event()
        self._go.set()
        self._real = renderer.render

    def __call__(self, markup: str, *, title: str, created_at):
        self.renders[title] += 1
        self.entered.set()
        assert self._go.wait(timeout=30), "the held rendering was never released"
        return self._real(markup, title=title, created_at=created_at)

    def of(self, number: str) -> int:
        return sum(n for title, n in self.renders.items() if title.endswith(f"№ {number}"))

    def hold(self) -> None:
        self._go.clear()

    def release(self) -> None:
        self._go.set()


@pytest.fixture
def spy(billing, monkeypatch) -> RenderSpy:
    renderer = billing.app.state.documents.pdf
    spy = RenderSpy(renderer)
    monkeypatch.setattr(renderer, "render", spy)
    yield spy
    spy.release()


async def _an_offer(svc, **kw) -> tuple[uuid.UUID, str, str, str, dict]:
    """A provider with requisites and its offered contract: (provider, contract, number, path, mother's headers)."""
    svc.app.state.clock.pin(date(2026, 9, 1))
    provider = uuid.uuid4()
    await _known_provider(svc, provider)
    contract_id = await _offered(svc, provider, months=MONTHS, **kw)
    mother = svc.tokens.headers("parent", subject="mother")
    number = (await svc.client.get(f"/api/v1/contracts/{contract_id}", headers=mother)).json()["number"]
    return provider, contract_id, number, f"/api/v1/contracts/{contract_id}", mother


async def _kept(svc, contract_id: str) -> OfferRendering | None:
    async with svc.app.state.runtime.sessions() as session:
        return await session.get(OfferRendering, uuid.UUID(contract_id))


async def _queued(svc) -> int:
    async with svc.app.state.runtime.sessions() as session:
        return len((await session.execute(select(OfferRenderDue.contract_id))).all())


async def _signed_offer(svc, contract_id: str) -> ContractDocument:
    async with svc.app.state.runtime.sessions() as session:
        return await session.scalar(select(ContractDocument).where(
            ContractDocument.contract_id == uuid.UUID(contract_id), ContractDocument.kind == "offer"))


async def test_a_read_and_the_signature_share_one_rendering(billing, spy):
    svc = billing
    provider, contract_id, number, path, mother = await _an_offer(svc)

    read = await svc.client.get(path + "/offer", headers=mother)
    again = await svc.client.get(path + "/offer", headers=mother)
    assert read.status_code == 200 and again.content == read.content
    signed = await svc.client.post(path + "/sign", headers=mother,
                                   json={"document_sha256": read.headers["x-document-sha256"]})
    assert signed.status_code == 200, signed.text
    assert spy.of(number) == 1, spy.renders  # whoever came first (the job or the read) rendered it; nobody again
    stored = await _signed_offer(svc, contract_id)
    assert stored.pdf == read.content and stored.sha256 == hashlib.sha256(read.content).hexdigest()
    assert (await svc.client.get(path + "/offer", headers=mother)).content == read.content


async def test_reads_and_signatures_at_the_same_moment_render_once(billing, spy):
    svc = billing
    provider, contract_id, number, path, mother = await _an_offer(svc)
    retried = {**mother, "Idempotency-Key": str(uuid.uuid4())}  # a client retrying while the first still runs

    spy.hold()  # every rendering waits: whoever asks meanwhile must join it, not start another
    answers = [asyncio.create_task(call) for call in (
        svc.client.get(path + "/offer", headers=mother), svc.client.post(path + "/sign", headers=retried),
        svc.client.post(path + "/sign", headers=retried), svc.client.get(path + "/offer", headers=mother))]
    await asyncio.to_thread(spy.entered.wait, 30)
    await asyncio.sleep(0.5)  # the others arrive and wait too
    spy.release()
    first_read, signed, signed_again, second_read = await asyncio.gather(*answers)

    assert [a.status_code for a in (first_read, signed, signed_again, second_read)] == [200] * 4
    assert signed.json()["status"] == signed_again.json()["status"] == "signed"
    assert spy.of(number) == 1, spy.renders
    assert first_read.content == second_read.content == (await _signed_offer(svc, contract_id)).pdf


async def test_the_signature_takes_the_contract_s_lock_only_after_the_rendering(billing, spy):
    svc = billing
    spy.hold()  # from the offer on: the job's rendering or the signature's waits
    provider, contract_id, number, path, mother = await _an_offer(svc)
    signing = asyncio.create_task(svc.client.post(path + "/sign", headers=mother))
    await asyncio.to_thread(spy.entered.wait, 30)
    await asyncio.sleep(0.3)
    # The offer is being rendered (for the signature, or by the job it joined): the row is not locked.
    async with svc.app.state.runtime.sessions() as session, session.begin():
        locked = await session.execute(text("SELECT id FROM contracts WHERE id = :id FOR UPDATE NOWAIT"),
                                       {"id": uuid.UUID(contract_id)})
        assert locked.first() is not None
    assert not signing.done()
    spy.release()
    assert (await signing).status_code == 200


async def test_the_job_renders_offers_ahead_and_again_when_they_change(billing, spy):
    svc, t = billing, billing.tokens
    provider, contract_id, number, path, mother = await _an_offer(svc)
    unsigned_id = await _offered(svc, provider, months=MONTHS, owner="father")

    async def rendered_ahead() -> bool:
        return await _kept(svc, contract_id) is not None and await _kept(svc, unsigned_id) is not None
    await eventually(rendered_ahead, timeout_s=20, what="the offers rendered by the job")
    assert spy.of(number) == 1
    first = await _kept(svc, contract_id)
    read = await svc.client.get(path + "/offer", headers=mother)
    assert read.content == first.pdf and read.headers["x-document-sha256"] == first.sha256
    assert spy.of(number) == 1  # the read found it ready

    # The registry corrects the provider's bank account: the job renders the offer as it now reads.
    await publish(svc.settings.amqp_url, bus_names_of(svc), provider_event(
        "approved", provider, requisites=REQUISITES.model_copy(update={"bank_account": "03234643836450000999"})))

    async def rendered_again() -> bool:
        kept = await _kept(svc, contract_id)
        return kept is not None and kept.fingerprint != first.fingerprint
    await eventually(rendered_again, timeout_s=20, what="the changed offer rendered by the job")
    assert spy.of(number) == 2
    now = await svc.client.get(path + "/offer", headers=mother)
    assert now.headers["x-document-sha256"] != read.headers["x-document-sha256"] and spy.of(number) == 2

    stale = await svc.client.post(path + "/sign", headers=mother,
                                  json={"document_sha256": read.headers["x-document-sha256"]})
    assert stale.status_code == 409 and stale.json()["type"].endswith("offer-changed"), stale.text
    assert await _signed_offer(svc, contract_id) is None
    fresh = await svc.client.post(path + "/sign", headers=mother,
                                  json={"document_sha256": now.headers["x-document-sha256"]})
    assert fresh.status_code == 200 and (await _signed_offer(svc, contract_id)).pdf == now.content
    assert spy.of(number) == 2

    # A signed contract's and a void offer's renderings are dropped once the queue is idle.
    ended = await svc.client.post(f"/api/v1/contracts/{unsigned_id}/terminate",
                                  headers=t.headers("provider", provider_id=provider),
                                  json={"terminated_on": "2026-09-15", "reason": "Группа расформирована"})
    assert ended.status_code == 200, ended.text

    async def dropped() -> bool:
        return await _kept(svc, contract_id) is None and await _kept(svc, unsigned_id) is None
    await eventually(dropped, timeout_s=20, what="renderings no longer needed dropped")
    assert await _queued(svc) == 0
