"""Turning rows into what each reader may see."""
from __future__ import annotations

from pfdo_kit.auth import Principal
from services.certificates.api.schemas import BalanceOut, CertificateOut, ChildOut
from services.certificates.domain.access import sees_full_snils
from services.certificates.domain.snils import mask
from services.certificates.models import Certificate, Child


def child_view(child: Child, principal: Principal, certificate_id=None) -> ChildOut:
    snils = child.snils if sees_full_snils(principal, child.municipality) else mask(child.snils)
    return ChildOut(id=child.id, full_name=child.full_name, birth_date=child.birth_date, snils=snils,
                    municipality=child.municipality, ovz=child.ovz, certificate_id=certificate_id)


def certificate_view(c: Certificate) -> CertificateOut:
    balance = BalanceOut(
        credited_kop=c.credited_kop, expired_kop=c.expired_kop, reserved_kop=c.held_kop, debited_kop=c.debited_kop,
        reversed_kop=c.reversed_kop,
        available_kop=c.credited_kop - c.expired_kop - c.held_kop - c.debited_kop + c.reversed_kop,
    )
    return CertificateOut(id=c.id, number=c.number, child_id=c.child_id, status=c.status, kind=c.kind,
                          municipality=c.municipality, balance=balance, created_at=c.created_at)
