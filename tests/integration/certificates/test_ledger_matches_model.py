"""Production's ledger against its model: random sequences of operations through the real
flows (flows/ledger.post_entry, flows/debits.debit_batch) on real PostgreSQL, each in its own
transaction, and after every step the certificate's balances, every contract's hold and the
entries written equal what domain/ledger.py says — refusals included, repeats moving nothing.

Seeded sequences rather than hypothesis: each step is a database round trip, and a failing
seed is printed so it can be replayed exactly."""
from __future__ import annotations

import random
import uuid

import pytest
from sqlalchemy import func, select

from pfdo_events.billing import Charge
from pfdo_kit.db import make_engine, make_sessions
from services.certificates.domain.ledger import Ledger, LedgerRefused
from services.certificates.flows.debits import debit_batch
from services.certificates.flows.ledger import post_entry
from services.certificates.models import Certificate, LedgerEntry, Reservation

SEQUENCES, STEPS = 24, 40
SINGLE_KINDS = ("credit", "expire", "reserve", "release", "debit", "reversal")


@pytest.fixture
async def sessions(fresh_database, migrated_template):
    engine = make_engine(await fresh_database(template=await migrated_template("services.certificates")),
                         pool_size=4, max_overflow=0)
    yield make_sessions(engine)
    await engine.dispose()


class Sequence:
    """One certificate, a few contracts, and the causes and charges used so far (to repeat some)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.certificate = uuid.uuid4()
        self.contracts = [uuid.uuid4() for _ in range(3)]
        self.causes: dict[str, list[tuple[str, int, uuid.UUID | None]]] = {k: [] for k in SINGLE_KINDS}
        self.charges: list[Charge] = []

    def amount(self) -> int:
        return self.rng.choice([1, 50, 999, 10_000, 250_000, 1_000_000, 3_000_000])

    def entry(self) -> tuple[str, int, str, uuid.UUID | None]:
        """(kind, amount, cause, contract): mostly new causes, sometimes one posted before."""
        kind = self.rng.choice(SINGLE_KINDS)
        if self.causes[kind] and self.rng.random() < 0.15:
            cause, amount, contract = self.rng.choice(self.causes[kind])
            return kind, amount, cause, contract
        contract = self.rng.choice(self.contracts) if kind in ("reserve", "release", "debit") else None
        cause, amount = f"{kind}:{uuid.uuid4()}", self.amount()
        self.causes[kind].append((cause, amount, contract))
        return kind, amount, cause, contract

    def batch(self) -> list[Charge]:
        """1–4 charges, some for the same contract, some re-sent from an earlier batch."""
        charges = []
        for _ in range(self.rng.randint(1, 4)):
            if self.charges and self.rng.random() < 0.2:
                charges.append(self.rng.choice(self.charges))
                continue
            amount = self.amount()
            charge = Charge(charge_id=uuid.uuid4(), contract_id=self.rng.choice(self.contracts),
                            certificate_id=self.certificate, amount_kop=amount,
                            release_kop=self.rng.choice([0, 0, self.amount()]), final=self.rng.random() < 0.2)
            self.charges.append(charge)
            charges.append(charge)
        return list({c.charge_id: c for c in charges}.values())


async def _observed(sessions, certificate: uuid.UUID, contracts: list[uuid.UUID]) -> dict:
    async with sessions() as s:
        c = await s.get(Certificate, certificate)
        holds = dict((await s.execute(select(Reservation.contract_id, Reservation.held_kop)
                                      .where(Reservation.certificate_id == certificate))).all())
        entries = dict((await s.execute(select(LedgerEntry.kind, func.sum(LedgerEntry.amount_kop))
                                        .where(LedgerEntry.certificate_id == certificate)
                                        .group_by(LedgerEntry.kind))).all())
    return {"credited": c.credited_kop, "expired": c.expired_kop, "held": c.held_kop, "debited": c.debited_kop,
            "reversed": c.reversed_kop, "holds": {k: holds.get(k, 0) for k in contracts},
            "entries": {k: int(v) for k, v in entries.items() if v}}


def _expected(model: Ledger, contracts: list[uuid.UUID]) -> dict:
    b = model.balance
    sums: dict[str, int] = {}
    for (kind, _), amount in model.entries.items():
        sums[kind] = sums.get(kind, 0) + amount
    return {"credited": b.credited, "expired": b.expired, "held": b.held, "debited": b.debited,
            "reversed": b.reversed, "holds": {k: b.held_for(k) for k in contracts}, "entries": sums}


async def _post(sessions, seq: Sequence, model: Ledger) -> tuple[Ledger, str]:
    kind, amount, cause, contract = seq.entry()
    try:
        expected, duplicate = model.post(kind, amount, cause, contract)
    except LedgerRefused:
        expected, duplicate = None, False
    try:
        async with sessions() as s, s.begin():
            posted = await post_entry(s, seq.certificate, kind, amount, cause, contract_id=contract, month="2026-09")
    except LedgerRefused:
        assert expected is None, f"production refused {kind} {amount} that the model accepts"
        return model, f"{kind} {amount} refused"
    assert expected is not None, f"production accepted {kind} {amount} that the model refuses"
    assert posted.duplicate == duplicate
    return expected, f"{kind} {amount}{' (repeat)' if duplicate else ''}"


async def _charge(sessions, seq: Sequence, model: Ledger) -> tuple[Ledger, str]:
    charges = seq.batch()
    async with sessions() as s, s.begin():
        outcome = await debit_batch(s, charges, "2026-09")
    got = {r.charge_id: (r.debited_kop, r.released_kop) for r in outcome.results}
    for charge in sorted(charges, key=lambda c: c.charge_id):  # a batch settles in charge-id order
        model, debited, released = model.charge(charge.charge_id, charge.contract_id, charge.amount_kop,
                                                charge.release_kop, charge.final)
        assert got[charge.charge_id] == (debited, released), charge
    return model, f"batch of {len(charges)}"


@pytest.mark.parametrize("seed", range(SEQUENCES))
async def test_production_follows_the_model_step_by_step(sessions, seed):
    seq, model, history = Sequence(random.Random(seed)), Ledger(), []
    async with sessions() as s, s.begin():
        s.add(Certificate(id=seq.certificate, number=f"{seed:010d}", municipality="chegem", status="active",
                          kind="funded"))
    for step in range(STEPS):
        if step == 0:
            move = _post_credit
        else:
            move = _charge if seq.rng.random() < 0.25 else _post
        model, said = await move(sessions, seq, model)
        history.append(said)
        assert await _observed(sessions, seq.certificate, seq.contracts) == _expected(model, seq.contracts), (
            f"seed {seed}, after: {history}")
        assert model.balance.available >= 0 and all(v >= 0 for v in model.balance.holds.values())


async def _post_credit(sessions, seq: Sequence, model: Ledger) -> tuple[Ledger, str]:
    """Every sequence starts with money, so reservations and debits have something to move."""
    async with sessions() as s, s.begin():
        await post_entry(s, seq.certificate, "credit", 5_000_000, "period:2026:credit")
    model, _ = model.post("credit", 5_000_000, "period:2026:credit")
    return model, "credit 5000000"
