"""Long runs: a request answers 202 with where to follow the run; the job works it in batches,
one process at a time, and resumes a run a dead process left without moving money twice."""
from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select

from pfdo_kit.db import make_engine, make_sessions
from services.certificates.flows.ledger import post_entry
from services.certificates.flows.periods import credit_cause
from services.certificates.jobs import runs as runs_job
from services.certificates.models import FundingPeriod, LedgerEntry, Run
from tests.integration.certificates.runs import follow_run
from tests.integration.certificates.test_periods import CHEGEM_PERIOD, PERIOD, YEAR, _funded_certificates


async def _work(svc, batch_size: int) -> bool:
    rt = svc.app.state.runtime
    return await runs_job.work_one_batch(rt.sessions, rt.outbox, rt.clock, batch_size)


async def _credits(svc) -> dict[str, int]:
    engine = make_engine(svc.database_url)
    async with make_sessions(engine)() as s:
        rows = (await s.execute(select(LedgerEntry.certificate_id, func.count()).where(
            LedgerEntry.kind == "credit").group_by(LedgerEntry.certificate_id))).all()
    await engine.dispose()
    return {str(c): n for c, n in rows}


async def test_open_answers_202_and_reports_progress_batch_by_batch(certificates_idle):
    svc = certificates_idle
    c, t = svc.client, svc.tokens
    operator = t.headers("operator", municipality="chegem")
    await c.put(f"{CHEGEM_PERIOD}", json=PERIOD, headers=operator)
    ids = await _funded_certificates(svc)

    started = await c.post(f"{CHEGEM_PERIOD}/open", headers=operator)
    assert started.status_code == 202, started.text
    run = started.json()
    assert started.headers["location"] == run["href"] == (
        f"{CHEGEM_PERIOD}/runs/{run['id']}")
    assert (run["kind"], run["status"], run["processed"], run["total"]) == ("period_open", "queued", 0, None)
    assert (await c.get(f"{CHEGEM_PERIOD}", headers=operator)).json()["status"] == "open"
    again = await c.post(f"{CHEGEM_PERIOD}/open", headers=t.headers("admin"))  # asked twice: the same run
    assert (again.status_code, again.json()["id"], again.headers["location"]) == (202, run["id"], run["href"])

    assert (await c.get(run["href"], headers=t.headers("parent"))).status_code == 403
    next_year = f"/api/v1/municipalities/chegem/periods/{YEAR + 1}/runs/{run['id']}"
    assert (await c.get(next_year, headers=operator)).status_code == 404
    other_municipality = f"/api/v1/municipalities/baksan/periods/{YEAR}/runs/{run['id']}"
    assert (await c.get(other_municipality, headers=t.headers("admin"))).status_code == 404
    assert (await c.get(f"/api/v1/certificates/close-adults/{run['id']}", headers=operator)).status_code == 404

    assert await _work(svc, batch_size=2)
    halfway = (await c.get(run["href"], headers=operator)).json()
    assert (halfway["status"], halfway["processed"], halfway["total"]) == ("running", 2, 3)
    assert halfway["result"]["credited_certificates"] == 2 and halfway["started_at"] is not None
    assert await _work(svc, batch_size=2)
    done = (await c.get(run["href"], headers=operator)).json()
    assert (done["status"], done["processed"], done["total"], done["result"]["credited_certificates"]) == (
        "done", 3, 3, 3)
    assert done["finished_at"] >= done["started_at"]
    assert not await _work(svc, batch_size=2)  # nothing left
    assert await _credits(svc) == dict.fromkeys(ids, 1)


async def test_close_adults_is_one_run_per_scope(certificates_idle):
    svc = certificates_idle
    c, t = svc.client, svc.tokens
    chegem, neftekumsk = t.headers("operator", municipality="chegem"), t.headers("operator", municipality="neftekumsk")
    first = await c.post("/api/v1/certificates/close-adults", headers=chegem)
    assert first.status_code == 202 and first.json()["municipality"] == "chegem"
    assert (await c.post("/api/v1/certificates/close-adults", headers=chegem)).json()["id"] == first.json()["id"]
    everyone = (await c.post("/api/v1/certificates/close-adults", headers=t.headers("admin"))).json()
    assert everyone["id"] != first.json()["id"] and everyone["municipality"] is None
    assert (await c.get(first.headers["location"], headers=neftekumsk)).status_code == 404
    assert (await c.get(first.headers["location"], headers=t.headers("admin"))).status_code == 200
    assert (await c.post("/api/v1/certificates/close-adults", headers=t.headers("parent"))).status_code == 403
    while await _work(svc, batch_size=10):
        pass
    done = (await c.get(first.headers["location"], headers=chegem)).json()
    assert (done["status"], done["result"]["closed"], done["total"]) == ("done", 0, 0)


async def test_concurrent_workers_credit_each_certificate_once(certificates_idle):
    svc = certificates_idle
    c, t = svc.client, svc.tokens
    operator = t.headers("operator", municipality="chegem")
    await c.put(f"{CHEGEM_PERIOD}", json=PERIOD, headers=operator)
    ids = await _funded_certificates(svc)
    run = (await c.post(f"{CHEGEM_PERIOD}/open", headers=operator)).json()

    async def worker() -> None:
        while await _work(svc, batch_size=1):
            pass
    await asyncio.gather(*(worker() for _ in range(3)))
    done = (await c.get(run["href"], headers=operator)).json()
    assert (done["status"], done["processed"], done["result"]["credited_certificates"]) == ("done", 3, 3)
    assert await _credits(svc) == dict.fromkeys(ids, 1)


async def test_a_run_left_running_by_a_dead_process_is_finished_without_crediting_twice(certificates):
    svc = certificates
    c, t = svc.client, svc.tokens
    operator = t.headers("operator", municipality="chegem")
    await c.put(f"{CHEGEM_PERIOD}", json=PERIOD, headers=operator)
    ids = await _funded_certificates(svc)
    nominal = dict(zip(ids, (15_000_00, 15_000_00, 30_000_00)))
    first, second, _ = sorted(ids, key=uuid.UUID)
    # A process opened the period, credited the first certificate in a committed batch, and died
    # in its second batch: the run stays 'running' and nobody holds its lock.
    run_id = uuid.uuid4()
    engine = make_engine(svc.database_url)
    async with make_sessions(engine)() as s, s.begin():
        (await s.get(FundingPeriod, ("chegem", YEAR))).status = "open"
        await post_entry(s, uuid.UUID(first), "credit", nominal[first], credit_cause(YEAR))
        s.add(Run(id=run_id, kind="period_open", status="running", period_year=YEAR, municipality="chegem",
                  requested_by="operator",
                  requested_at=datetime.now(UTC), started_at=datetime.now(UTC), after_id=uuid.UUID(first),
                  processed=1, total=3, moved_count=1, moved_kop=nominal[first], stopped_at_budget=False, failures=0))
    async with make_sessions(engine)() as dying:  # the dead process's second batch, never committed
        await post_entry(dying, uuid.UUID(second), "credit", nominal[second], credit_cause(YEAR))
        await dying.rollback()
    await engine.dispose()

    done = await follow_run(c, f"{CHEGEM_PERIOD}/runs/{run_id}", operator)
    assert (done["status"], done["processed"], done["total"]) == ("done", 3, 3)
    assert done["result"]["credited_certificates"] == 3 and done["result"]["credited_kop"] == 60_000_00
    assert await _credits(svc) == dict.fromkeys(ids, 1)
    for i in ids:
        balance = (await c.get(f"/api/v1/certificates/{i}", headers=operator)).json()["balance"]
        assert balance["credited_kop"] == nominal[i]


async def test_a_batch_that_keeps_failing_fails_its_run_with_the_error(certificates_idle, monkeypatch):
    svc = certificates_idle
    c, t = svc.client, svc.tokens

    async def broken(session, outbox, run, size, today):
        raise RuntimeError("сломано")
    monkeypatch.setitem(runs_job.WORK, "close_adults", runs_job.Work(runs_job.WORK["close_adults"].total, broken))
    started = await c.post("/api/v1/certificates/close-adults", headers=t.headers("admin"))
    for attempt in range(1, runs_job.MAX_FAILURES + 1):
        assert not await _work(svc, batch_size=10)
        run = (await c.get(started.headers["location"], headers=t.headers("admin"))).json()
        assert run["error"] == "RuntimeError: сломано"
        assert run["status"] == ("failed" if attempt == runs_job.MAX_FAILURES else "queued")
    assert run["finished_at"] is not None
    assert not await _work(svc, batch_size=10)  # a failed run is not picked again
    again = await c.post("/api/v1/certificates/close-adults", headers=t.headers("admin"))
    assert again.json()["id"] != run["id"]  # asking again starts a new run


async def test_a_certificate_closed_while_its_page_is_read_is_not_credited(certificates_idle, monkeypatch):
    """The batch reads a page of funded certificates, then locks them and keeps only those still
    active: one closed in between gets nothing, and the run still goes on past it."""
    from services.certificates.flows import periods as period_flows
    from services.certificates.models import Certificate, Child

    svc = certificates_idle
    c, t = svc.client, svc.tokens
    operator = t.headers("operator", municipality="chegem")
    await c.put(f"{CHEGEM_PERIOD}", json=PERIOD, headers=operator)
    ids = sorted(await _funded_certificates(svc), key=uuid.UUID)
    closed = await c.post(f"/api/v1/certificates/{ids[1]}/close", json={"reason": "moved"}, headers=operator)
    assert closed.status_code == 200, closed.text

    def page_read_before_the_close(municipality, after):  # the page as a batch read it before the close committed
        query = select(Certificate.id, Child.birth_date, Child.ovz).join(Child, Child.id == Certificate.child_id)
        return query if after is None else query.where(Certificate.id > after)
    monkeypatch.setattr(period_flows, "_funded_after", page_read_before_the_close)
    run = (await c.post(f"{CHEGEM_PERIOD}/open", headers=operator)).json()
    while await _work(svc, batch_size=1):
        pass
    done = (await c.get(run["href"], headers=operator)).json()
    assert (done["status"], done["processed"], done["result"]["credited_certificates"]) == ("done", 3, 2)
    assert await _credits(svc) == {ids[0]: 1, ids[2]: 1}


async def test_an_open_run_cut_short_by_the_close_says_so(certificates_idle):
    svc = certificates_idle
    c, t = svc.client, svc.tokens
    operator = t.headers("operator", municipality="chegem")
    await c.put(f"{CHEGEM_PERIOD}", json=PERIOD, headers=operator)
    await _funded_certificates(svc)
    opening = (await c.post(f"{CHEGEM_PERIOD}/open", headers=operator)).json()
    assert await _work(svc, batch_size=1)
    closing = (await c.post(f"{CHEGEM_PERIOD}/close", headers=operator)).json()
    while await _work(svc, batch_size=1):
        pass
    opened = (await c.get(opening["href"], headers=operator)).json()
    assert (opened["status"], opened["processed"], opened["result"]["credited_certificates"]) == ("failed", 1, 1)
    assert opened["error"] == "Период закрыт раньше, чем закончилось зачисление"
    closed = (await c.get(closing["href"], headers=operator)).json()
    assert (closed["status"], closed["result"]["expired_certificates"]) == ("done", 1)


def test_run_settings_refuse_an_empty_batch_and_a_zero_poll():
    import pytest
    from pydantic import ValidationError

    from services.certificates.settings import CertificatesSettings
    from tests.support.municipalities import TEST_MUNICIPALITIES
    base = {"database_url": "postgresql://x/y", "amqp_url": "amqp://x", "district": "chegem",
            "municipalities": TEST_MUNICIPALITIES}
    assert CertificatesSettings(**base).runs_batch_size > 0
    for bad in ({"runs_batch_size": 0}, {"runs_poll_interval_s": 0}):
        with pytest.raises(ValidationError):
            CertificatesSettings(**base, **bad)
