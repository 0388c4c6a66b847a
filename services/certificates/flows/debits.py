"""Debiting a batch of charges (≤ 1 000) with a fixed number of statements, not a loop of
queries per charge: lock the certificates and reservations (in id order), settle each charge
in memory by domain/ledger.py's rule, then write every entry and every balance change at
once. The guarded UPDATEs and the CHECK constraints stay the last word: if a balance would go
wrong, nothing is written."""
from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT, TEXT, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.billing import Charge, ChargesPosted
from pfdo_events.certificates import DebitResult, FundsDebited
from pfdo_kit.outbox import Outbox
from services.certificates.domain.agreements import AgreementKey
from services.certificates.domain.ledger import LedgerRefused, charge_causes, settle_charge
from services.certificates.flows import agreements
from services.certificates.flows.balance_news import announce_balances

UUIDS, BIGINTS, TEXTS = ARRAY(UUID(as_uuid=True)), ARRAY(BIGINT), ARRAY(TEXT)

# Exact (certificate, kind, cause) probes in the ledger's unique index. Two "= ANY" lists on
# its columns instead were probed as their cross product (1 000 × 2 000) once the planner
# thought index reads cheap.
DONE_SQL = text("""
SELECT l.cause, l.kind, l.amount_kop
  FROM unnest(:certs, :kinds, :causes) AS t(certificate_id, kind, cause)
  JOIN ledger_entries l USING (certificate_id, kind, cause)
""").bindparams(bindparam("certs", type_=UUIDS), bindparam("kinds", type_=TEXTS), bindparam("causes", type_=TEXTS))

# Locks the batch's certificates and reads whose they are: each result names the family's account.
LOCK_CERTIFICATES_SQL = text("""
SELECT c.id, ch.owner FROM certificates c LEFT JOIN children ch ON ch.id = c.child_id
 WHERE c.id = ANY(:ids) ORDER BY c.id FOR UPDATE OF c
""").bindparams(bindparam("ids", type_=UUIDS))
LOCK_RESERVATIONS_SQL = text("""
SELECT contract_id, certificate_id, held_kop, provider_id, payer, period_year FROM reservations
 WHERE contract_id = ANY(:ids) ORDER BY contract_id FOR UPDATE
""").bindparams(bindparam("ids", type_=UUIDS))

INSERT_ENTRIES_SQL = text("""
INSERT INTO ledger_entries (certificate_id, kind, amount_kop, cause, contract_id, month)
SELECT c, k, a, cause, contract, :month
  FROM unnest(:certs, :kinds, :amounts, :causes, :contracts) AS t(c, k, a, cause, contract)
ON CONFLICT ON CONSTRAINT ledger_one_entry_per_cause DO NOTHING
RETURNING id
""").bindparams(bindparam("certs", type_=UUIDS), bindparam("kinds", type_=TEXTS), bindparam("amounts", type_=BIGINTS),
                bindparam("causes", type_=TEXTS), bindparam("contracts", type_=UUIDS))

MOVE_RESERVATIONS_SQL = text("""
UPDATE reservations r SET held_kop = r.held_kop - t.debit - t.release, debited_kop = r.debited_kop + t.debit
  FROM unnest(:ids, :debits, :releases) AS t(id, debit, release)
 WHERE r.contract_id = t.id AND r.held_kop >= t.debit + t.release
RETURNING r.contract_id
""").bindparams(bindparam("ids", type_=UUIDS), bindparam("debits", type_=BIGINTS),
                bindparam("releases", type_=BIGINTS))

MOVE_CERTIFICATES_SQL = text("""
UPDATE certificates c SET held_kop = c.held_kop - t.debit - t.release, debited_kop = c.debited_kop + t.debit
  FROM unnest(:ids, :debits, :releases) AS t(id, debit, release)
 WHERE c.id = t.id AND c.held_kop >= t.debit + t.release
RETURNING c.id
""").bindparams(bindparam("ids", type_=UUIDS), bindparam("debits", type_=BIGINTS),
                bindparam("releases", type_=BIGINTS))

KINDS = ("debit", "release")  # the kinds of a charge's two entries, in the order of charge_causes


@dataclass
class BatchOutcome:
    results: list[DebitResult]
    released_certificates: list[uuid.UUID]  # their balance grew: the catalog must hear of it
    # what the batch released, per agreement: no longer held, so no longer used (a debit moves
    # held money to debited, which the agreement's usage counts alike)
    released_by_agreement: dict[AgreementKey, int] = field(default_factory=dict)


async def debit_charges(session: AsyncSession, outbox: Outbox, posted: ChargesPosted) -> BatchOutcome:
    """Billing's batch of charges: debit it and answer, then tell the catalog whose balance grew
    and give back to the agreements what the batch released."""
    outcome = await debit_batch(session, posted.charges, posted.month)
    await agreements.give_back(session, outbox, outcome.released_by_agreement)
    # The answer first: billing waits for it, the catalog's balance news can follow.
    await outbox.add(session, FundsDebited(batch_id=posted.batch_id, month=posted.month, results=outcome.results))
    await announce_balances(session, outbox, outcome.released_certificates, int(posted.month[:4]))
    return outcome


async def debit_batch(s: AsyncSession, charges: list[Charge], month: str) -> BatchOutcome:
    """Each charge debits its contract's reservation, never beyond what it still holds, then
    frees the month's undelivered part (a contract's final charge: all it still holds)."""
    certs = sorted({c.certificate_id for c in charges})
    causes = {c.charge_id: charge_causes(c.charge_id) for c in charges}
    done: dict[str, int] = {cause: amount for cause, _, amount in (await s.execute(DONE_SQL, dict(
        certs=[c.certificate_id for c in charges for _ in KINDS], kinds=list(KINDS) * len(charges),
        causes=[cause for c in charges for cause in causes[c.charge_id]]))).all()}
    owners = dict((await s.execute(LOCK_CERTIFICATES_SQL, dict(ids=certs))).all())
    locked = (await s.execute(LOCK_RESERVATIONS_SQL, {"ids": sorted({c.contract_id for c in charges})})).all()
    held = {r.contract_id: (r.certificate_id, r.held_kop) for r in locked}
    agreement_of = {r.contract_id: AgreementKey(r.provider_id, r.payer, r.period_year) for r in locked
                    if r.provider_id is not None and r.payer is not None and r.period_year is not None}
    released_by_agreement: dict[AgreementKey, int] = defaultdict(int)
    left = {contract: kop for contract, (_, kop) in held.items()}

    entries: list[tuple[uuid.UUID, str, int, str, uuid.UUID]] = []
    per_contract: dict[uuid.UUID, list[int]] = defaultdict(lambda: [0, 0])
    per_certificate: dict[uuid.UUID, list[int]] = defaultdict(lambda: [0, 0])
    results = []
    for charge in sorted(charges, key=lambda c: (c.certificate_id, c.charge_id)):
        debit_cause, final_cause = causes[charge.charge_id]
        if debit_cause in done or final_cause in done:  # the same charge in a re-sent batch
            debited, released = done.get(debit_cause, 0), done.get(final_cause, 0)
        else:
            ours = charge.contract_id in held and held[charge.contract_id][0] == charge.certificate_id
            holding = left.get(charge.contract_id, 0) if ours else 0
            debited, released = settle_charge(holding, charge.amount_kop, charge.release_kop, charge.final)
            if ours:
                left[charge.contract_id] = holding - debited - released
                if released and charge.contract_id in agreement_of:
                    released_by_agreement[agreement_of[charge.contract_id]] += released
            for kind, amount, cause in (("debit", debited, debit_cause), ("release", released, final_cause)):
                if amount > 0:
                    entries.append((charge.certificate_id, kind, amount, cause, charge.contract_id))
            for totals, key in ((per_contract, charge.contract_id), (per_certificate, charge.certificate_id)):
                totals[key][0] += debited
                totals[key][1] += released
        results.append(DebitResult(charge_id=charge.charge_id, contract_id=charge.contract_id, debited_kop=debited,
                                   shortfall_kop=charge.amount_kop - debited, released_kop=released,
                                   owner=owners.get(charge.certificate_id)))
    await _write(s, entries, per_contract, per_certificate, month)
    return BatchOutcome(results, sorted(c for c, (_, r) in per_certificate.items() if r > 0),
                        dict(released_by_agreement))


async def _write(s: AsyncSession, entries, per_contract, per_certificate, month: str) -> None:
    if not entries:
        return
    written = (await s.execute(INSERT_ENTRIES_SQL, dict(
        certs=[e[0] for e in entries], kinds=[e[1] for e in entries], amounts=[e[2] for e in entries],
        causes=[e[3] for e in entries], contracts=[e[4] for e in entries], month=month))).all()
    if len(written) != len(entries):
        raise LedgerRefused("a charge of this batch was posted meanwhile")  # rolled back; the retry finds it done
    for sql, totals in ((MOVE_RESERVATIONS_SQL, per_contract), (MOVE_CERTIFICATES_SQL, per_certificate)):
        moving = {k: v for k, v in totals.items() if v[0] or v[1]}
        moved = (await s.execute(sql, dict(ids=list(moving), debits=[v[0] for v in moving.values()],
                                           releases=[v[1] for v in moving.values()]))).all()
        if len(moved) != len(moving):
            raise LedgerRefused("a balance would go below zero")  # cannot happen under the locks; never silently
