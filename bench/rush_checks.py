"""After an enrollment rush (or a fault in one): what each service's database says, and the
invariants that must hold — no seat sold twice, no negative balance, no application lost,
every signed contract backed by exactly one reservation of its money."""
from __future__ import annotations

import asyncpg

UNFINISHED = ("submitted", "accepted", "awaiting_signature")


async def catalog_figures(conn: asyncpg.Connection) -> dict:
    statuses = dict(await conn.fetch("SELECT status, count(*) FROM applications GROUP BY status"))
    oversold = await conn.fetchval("""
        SELECT count(*) FROM groups g
         WHERE g.taken > g.capacity
            OR (SELECT count(*) FROM applications a WHERE a.group_id = g.id AND a.holds_seat) > g.capacity""")
    seats_mismatch = await conn.fetchval("""
        SELECT count(*) FROM groups g
         WHERE g.taken <> (SELECT count(*) FROM applications a WHERE a.group_id = g.id AND a.holds_seat)""")
    unsent = await conn.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
    return {"applications": sum(statuses.values()), "statuses": statuses, "oversold_groups": oversold,
            "seat_count_mismatches": seats_mismatch, "unsent_outbox": unsent}


async def billing_figures(conn: asyncpg.Connection) -> dict:
    statuses = dict(await conn.fetch("SELECT status, count(*) FROM contracts GROUP BY status"))
    return {"contracts": statuses, "signed": statuses.get("signed", 0), "reserved_kop": {r["id"]: r["reserved_kop"] for r in await conn.fetch(
                "SELECT id, reserved_kop FROM contracts WHERE status = 'signed'")}}


async def certificate_figures(conn: asyncpg.Connection) -> dict:
    negative = await conn.fetchval("""SELECT count(*) FROM certificates
        WHERE credited_kop - expired_kop - held_kop - debited_kop + reversed_kop < 0 OR held_kop < 0""")
    ledger_off = await conn.fetchval("""
        SELECT count(*) FROM certificates c
          JOIN (SELECT certificate_id,
                       sum(CASE kind WHEN 'reserve' THEN amount_kop WHEN 'release' THEN -amount_kop
                                     WHEN 'debit' THEN -amount_kop ELSE 0 END) AS held,
                       sum(CASE kind WHEN 'credit' THEN amount_kop ELSE 0 END) AS credited,
                       sum(CASE kind WHEN 'debit' THEN amount_kop ELSE 0 END) AS debited,
                       sum(CASE kind WHEN 'expire' THEN amount_kop ELSE 0 END) AS expired,
                       sum(CASE kind WHEN 'reversal' THEN amount_kop ELSE 0 END) AS reversed
                  FROM ledger_entries GROUP BY certificate_id) l ON l.certificate_id = c.id
         WHERE (l.held, l.credited, l.debited, l.expired, l.reversed)
               IS DISTINCT FROM (c.held_kop, c.credited_kop, c.debited_kop, c.expired_kop, c.reversed_kop)""")
    reservations = {r["contract_id"]: r["held_kop"] for r in await conn.fetch(
        "SELECT contract_id, held_kop FROM reservations")}
    return {"negative_balances": negative, "ledgers_not_adding_up": ledger_off, "reservations": reservations}


async def invariants(catalog: asyncpg.Connection, billing: asyncpg.Connection,
                     certificates: asyncpg.Connection, accepted_requests: int, seats_per_group: int) -> dict:
    """The figures a rush is judged by; `lost` counts applications the platform answered 201 to
    that are missing or never reached an end (enrolled, waitlisted, refused)."""
    cat, bill, cert = await catalog_figures(catalog), await billing_figures(billing), await certificate_figures(certificates)
    over = await billing.fetchval("""SELECT count(*) FROM (SELECT group_id FROM contracts WHERE status = 'signed'
                                      GROUP BY group_id HAVING count(*) > $1) AS g""", seats_per_group)
    unfinished = sum(cat["statuses"].get(s, 0) for s in UNFINISHED)
    unreserved = [c for c, kop in bill["reserved_kop"].items() if cert["reservations"].get(c) != kop]
    return {
        "applications_answered_201": accepted_requests,
        "applications_in_catalog": cat["applications"],
        "statuses": cat["statuses"],
        "signed_contracts": bill["signed"],
        "oversold_seats_groups": cat["oversold_groups"] + over,
        "seat_count_mismatches": cat["seat_count_mismatches"],
        "negative_balances": cert["negative_balances"],
        "ledgers_not_adding_up": cert["ledgers_not_adding_up"],
        "signed_without_exact_reservation": len(unreserved),
        "enrolled_without_signed_contract": cat["statuses"].get("enrolled", 0) - bill["signed"],
        "lost": max(0, accepted_requests - cat["applications"]) + unfinished,
        "unsent_outbox_catalog": cat["unsent_outbox"],
    }
