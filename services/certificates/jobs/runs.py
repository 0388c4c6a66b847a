"""Working the long runs the staff asked for (jobs in every certificates process).

One batch is one transaction: it claims the oldest unfinished run with FOR UPDATE SKIP
LOCKED (so two processes never work the same run at once), works the run's next batch of
certificates through its flow, and records the progress with the batch's entries. A process
that dies mid-batch leaves nothing of that batch, and its lock goes with its connection: the
next claim resumes the run where its last committed batch ended. Causes name the period or
the certificate, so no batch moves money twice even if worked again.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pfdo_kit import context
from pfdo_kit.clock import Clock
from pfdo_kit.outbox import Outbox
from services.certificates.domain.statuses import DONE, FAILED, QUEUED, RUNNING, UNFINISHED
from services.certificates.flows.certificates import close_adults_batch, count_adults
from services.certificates.flows.periods import count_certificates, count_funded, credit_batch, expire_batch
from services.certificates.flows.runs import Batch
from services.certificates.models import Run

log = logging.getLogger(__name__)
MAX_FAILURES = 5  # a batch failing this many times in a row fails its run (a bug, not a blip)


@dataclass(frozen=True)
class Work:
    """How a kind of run counts what it has to do, and works its next batch."""

    total: Callable[[AsyncSession, Run, date], Awaitable[int]]
    batch: Callable[[AsyncSession, Outbox, Run, int, date], Awaitable[Batch]]


async def _count_funded(session: AsyncSession, run: Run, today: date) -> int:
    return await count_funded(session, run.municipality)


async def _credit(session: AsyncSession, outbox: Outbox, run: Run, size: int, today: date) -> Batch:
    return await credit_batch(session, outbox, run.municipality, run.period_year, run.after_id, size)


async def _count_certificates(session: AsyncSession, run: Run, today: date) -> int:
    return await count_certificates(session, run.municipality)


async def _expire(session: AsyncSession, outbox: Outbox, run: Run, size: int, today: date) -> Batch:
    return await expire_batch(session, outbox, run.municipality, run.period_year, run.after_id, size)


async def _count_adults(session: AsyncSession, run: Run, today: date) -> int:
    return await count_adults(session, today, run.municipality)


async def _close_adults(session: AsyncSession, outbox: Outbox, run: Run, size: int, today: date) -> Batch:
    return await close_adults_batch(session, outbox, today, run.municipality, run.after_id, size)


WORK: dict[str, Work] = {
    "period_open": Work(_count_funded, _credit),
    "period_close": Work(_count_certificates, _expire),
    "close_adults": Work(_count_adults, _close_adults),
}


async def work_runs(runtime) -> None:
    """The background job: work batches while there are runs, look again every poll interval."""
    settings = runtime.settings
    while True:
        try:
            busy = await work_one_batch(runtime.sessions, runtime.outbox, runtime.clock, settings.runs_batch_size)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("long run: a batch failed; retrying")
            busy = False
        if not busy:
            await asyncio.sleep(settings.runs_poll_interval_s)


async def work_one_batch(sessions: async_sessionmaker[AsyncSession], outbox: Outbox, clock: Clock,
                         batch_size: int) -> bool:
    """Work the next batch of the oldest unfinished run nobody is working. False: nothing to do,
    or the batch failed (then wait before trying again)."""
    async with sessions() as session, session.begin():
        run = (await session.execute(select(Run).where(Run.status.in_(UNFINISHED)).order_by(Run.requested_at)
                                     .limit(1).with_for_update(skip_locked=True))).scalar_one_or_none()
        if run is None:
            return False
        run_id = run.id
        context.correlation_id.set(run_id)  # every event of a run carries the run's id
        try:
            async with session.begin_nested():
                await _advance(session, outbox, clock, run, batch_size)
        except Exception as exc:
            log.exception("long run: batch failed", extra={"run": str(run_id)})
            await _count_failure(session, run_id, exc, clock)
            return False
    return True


async def _advance(session: AsyncSession, outbox: Outbox, clock: Clock, run: Run, batch_size: int) -> None:
    work, today = WORK[run.kind], clock.today()
    if run.status == QUEUED:
        run.status, run.started_at = RUNNING, clock.now()
        run.total = await work.total(session, run, today)
    batch = await work.batch(session, outbox, run, batch_size, today)
    run.after_id = batch.last_id
    run.processed += batch.seen
    run.moved_count += batch.moved
    run.moved_kop += batch.moved_kop
    run.stopped_at_budget = run.stopped_at_budget or batch.stopped_at_budget
    run.failures, run.error = 0, None
    if batch.interrupted:
        run.status, run.error, run.finished_at = FAILED, batch.interrupted, clock.now()
        log.warning("long run interrupted", extra={"run": str(run.id), "kind": run.kind, "why": batch.interrupted})
    elif batch.finished:
        run.status, run.finished_at = DONE, clock.now()
        log.info("long run done", extra={"run": str(run.id), "kind": run.kind, "processed": run.processed,
                                         "moved": run.moved_count, "moved_kop": run.moved_kop})
    await session.flush()


# A deadlock, a serialization failure or a lock timeout is the database asking to try again,
# not a bug in the batch: it does not count towards failing the run.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001", "55P03"})


def _retryable(exc: Exception) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if {getattr(seen, "sqlstate", None), getattr(seen, "pgcode", None)} & RETRYABLE_SQLSTATES:
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False


async def _count_failure(session: AsyncSession, run_id, exc: Exception, clock: Clock) -> None:
    if _retryable(exc):
        return
    failures = await session.scalar(update(Run).where(Run.id == run_id).values(
        failures=Run.failures + 1, error=f"{type(exc).__name__}: {exc}"[:1000]).returning(Run.failures)
        .execution_options(synchronize_session=False))
    if failures >= MAX_FAILURES:
        await session.execute(update(Run).where(Run.id == run_id).values(status=FAILED, finished_at=clock.now())
                              .execution_options(synchronize_session=False))
