"""Payment agreements (соглашения) at the reservation, pure: certificate money of a payer
municipality flows to a provider only under an active agreement of theirs for the money's year,
and never past the agreement's limit. `used` is what the certificates hold (reserved, not
released) plus what they have debited for that provider, payer and year."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

AgreementRefusal = Literal["no_agreement", "agreement_limit_reached"]


@dataclass(frozen=True)
class AgreementKey:
    provider_id: uuid.UUID
    payer: str  # the certificate's municipality
    year: int   # the year of the contract's money (its period)


@dataclass(frozen=True)
class AgreementTerms:
    active: bool
    limit_kop: int | None  # None: no limit
    used_kop: int


def agreement_refusal(terms: AgreementTerms | None, amount_kop: int) -> AgreementRefusal | None:
    """Why an enrollment of `amount_kop` is not covered (no agreement, or an inactive one; or it
    would pass the limit), or None: covered."""
    if terms is None or not terms.active:
        return "no_agreement"
    if terms.limit_kop is not None and terms.used_kop + amount_kop > terms.limit_kop:
        return "agreement_limit_reached"
    return None
