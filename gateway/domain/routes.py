"""Which service answers a path under /api/v1 (the public API is one tree; each branch has an owner)."""
from __future__ import annotations

import re

ROUTES: list[tuple[re.Pattern[str], str]] = [(re.compile(p), service) for p, service in (
    (r"^/providers(/|$)", "registry"),
    (r"^/children(/|$)", "certificates"),
    (r"^/certificates(/|$)", "certificates"),
    (r"^/municipalities/[^/]+/periods(/|$)", "certificates"),
    (r"^/municipalities/[^/]+/months(/|$)", "billing"),
    (r"^/reports/ledger$", "certificates"),
    (r"^/reports/certificates$", "certificates"),
    (r"^/programs(/|$)", "catalog"),
    (r"^/applications(/|$)", "catalog"),
    (r"^/groups/[^/]+/cost$", "catalog"),
    (r"^/groups/[^/]+$", "catalog"),
    (r"^/groups/[^/]+/(close|open)-enrollment$", "catalog"),
    (r"^/groups/[^/]+/attendance$", "billing"),
    (r"^/contracts(/|$)", "billing"),
    (r"^/billing/", "billing"),
    (r"^/advances(/|$)", "billing"),
    (r"^/invoices(/|$)", "billing"),
    (r"^/reports/reconciliation$", "billing"),
    (r"^/reports/(contracts|payments)$", "billing"),
    (r"^/rules$", "billing"),
    (r"^/debits$", "billing"),
    (r"^/disputes(/|$)", "billing"),
    (r"^/me/notifications(/|$)", "notifications"),
    (r"^/me/notification-preferences$", "notifications"),
)]

SERVICES = ("registry", "certificates", "catalog", "billing", "notifications")


def upstream_for(path: str) -> str | None:
    """`path` is what follows /api/v1, decoded; None: no service owns it (404). A `.` or `..`
    segment (even percent-encoded) would climb out of the owner's branch upstream: nobody owns it."""
    if any(segment in (".", "..") for segment in path.split("/")):
        return None
    for pattern, service in ROUTES:
        if pattern.search(path):
            return service
    return None
