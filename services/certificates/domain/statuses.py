"""Statuses of certificates, funding periods and long runs, and the only transitions allowed
between them, as data. A transition asked from any other status is refused (409)."""
from __future__ import annotations

from dataclasses import dataclass

from pfdo_kit.transitions import Move, StatusMachine
from typing import Literal

CertificateStatus = Literal["pending_verification", "active", "suspended", "closed"]
PENDING, ACTIVE, SUSPENDED, CLOSED = "pending_verification", "active", "suspended", "closed"
CertificateKind = Literal["accounting", "funded"]
ACCOUNTING, FUNDED = "accounting", "funded"
# Why a certificate was closed: by the staff (any of these) or by the run over adults (turned_18).
CloseReason = Literal["turned_18", "moved", "duplicate"]

PeriodStatus = Literal["draft", "open", "closed"]
DRAFT, OPEN = "draft", "open"  # and CLOSED

# A long run (jobs/): asked for, being worked on by one process at a time, finished.
RunStatus = Literal["queued", "running", "done", "failed"]
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
UNFINISHED = (QUEUED, RUNNING)
RunKind = Literal["period_open", "period_close", "close_adults"]


@dataclass(frozen=True)
class Transition(Move):
    refusal: str  # the Russian title of the 409 when the status does not allow it


_NOT_NOW = "Действие недоступно для сертификата в этом состоянии"
CERTIFICATE_TRANSITIONS: StatusMachine[Transition] = StatusMachine({
    "activate": Transition(frozenset({PENDING}), ACTIVE, _NOT_NOW),
    "suspend": Transition(frozenset({ACTIVE}), SUSPENDED, _NOT_NOW),
    "reinstate": Transition(frozenset({SUSPENDED}), ACTIVE, _NOT_NOW),
    "close": Transition(frozenset({PENDING, ACTIVE, SUSPENDED}), CLOSED, "Сертификат уже закрыт"),
})

_PERIOD_NOT_NOW = "Период в этом состоянии нельзя открыть или закрыть"
# Opening or closing again is allowed: the run resumes what an earlier one left undone.
PERIOD_TRANSITIONS: StatusMachine[Transition] = StatusMachine({
    "open": Transition(frozenset({DRAFT, OPEN}), OPEN, _PERIOD_NOT_NOW),
    "close": Transition(frozenset({OPEN, CLOSED}), CLOSED, _PERIOD_NOT_NOW),
})
EDITABLE_PERIOD = DRAFT  # parameters change only before the period opens
