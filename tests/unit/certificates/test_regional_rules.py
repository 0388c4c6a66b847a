"""The certificates' rules for a regional installation, pure: agreements at the reservation, what a
period's close expires, and who reads or changes a municipality's periods, runs and reports."""
from __future__ import annotations

import uuid

import pytest

from pfdo_kit.auth import Principal
from services.certificates.domain.access import (
    adults_scope,
    changes_periods,
    children_scope,
    ledger_report_scope,
    names_children,
    reads_periods,
    sees_certificate,
    sees_run,
)
from services.certificates.domain.agreements import AgreementTerms, agreement_refusal
from services.certificates.domain.periods import own_money_left

ADMIN = Principal(subject="a", role="admin")
REGION = Principal(subject="r", role="regional_operator")
CHEGEM = Principal(subject="c", role="operator", municipality="chegem")
BAKSAN = Principal(subject="b", role="operator", municipality="baksan")
NOWHERE = Principal(subject="n", role="operator")  # an operator's token without its municipality
PARENT = Principal(subject="p", role="parent")
PROVIDER = Principal(subject="s", role="provider", provider_id=uuid.uuid4())


@pytest.mark.parametrize(("terms", "amount", "refusal"), [
    (None, 100, "no_agreement"),
    (AgreementTerms(active=False, limit_kop=None, used_kop=0), 100, "no_agreement"),
    (AgreementTerms(active=True, limit_kop=None, used_kop=10**12), 100, None),
    (AgreementTerms(active=True, limit_kop=1_000, used_kop=900), 100, None),       # exactly the limit
    (AgreementTerms(active=True, limit_kop=1_000, used_kop=901), 100, "agreement_limit_reached"),
    (AgreementTerms(active=True, limit_kop=1_000, used_kop=1_200), 0, "agreement_limit_reached"),  # lowered below use
    (AgreementTerms(active=True, limit_kop=0, used_kop=0), 0, None),
])
def test_an_enrollment_is_covered_by_an_active_agreement_within_its_limit(terms, amount, refusal):
    assert agreement_refusal(terms, amount) == refusal


@pytest.mark.parametrize(("available", "credited", "used", "expires"), [
    (15_000, 15_000, 0, 15_000),      # nothing spent: the whole nominal
    (11_000, 15_000, 4_000, 11_000),  # a contract of the year holds 4 000
    (26_000, 15_000, 4_000, 11_000),  # next year's 20 000 (5 000 held for its contract) stays
    (3_000, 15_000, 4_000, 3_000),    # next year's contracts took this year's money: never more than is free
    (5_000, 0, 0, 0),                 # the period credited this certificate nothing
    (0, 15_000, 20_000, 0),
])
def test_a_period_expires_only_what_is_left_of_its_own_credit(available, credited, used, expires):
    assert own_money_left(available, credited, used) == expires


def test_a_municipalitys_periods_are_changed_by_its_staff_and_read_by_the_regions():
    assert [changes_periods(p, "chegem") for p in (ADMIN, CHEGEM, BAKSAN, REGION, PARENT, NOWHERE)] == [
        True, True, False, False, False, False]
    assert [reads_periods(p, "chegem") for p in (ADMIN, CHEGEM, BAKSAN, REGION, PARENT, PROVIDER)] == [
        True, True, False, True, False, False]
    assert [sees_run(p, None) for p in (ADMIN, REGION, CHEGEM)] == [True, True, False]
    assert [sees_run(p, "chegem") for p in (ADMIN, REGION, CHEGEM, BAKSAN)] == [True, True, True, False]


def test_the_ledger_report_is_a_municipalitys_for_its_staff_and_the_regions_for_region_staff():
    assert ledger_report_scope(REGION, None) == ledger_report_scope(ADMIN, None)
    assert (ledger_report_scope(REGION, None).allowed, ledger_report_scope(REGION, None).municipality) == (True, None)
    assert ledger_report_scope(REGION, "baksan").allowed
    own = ledger_report_scope(CHEGEM, None)
    assert (own.allowed, own.municipality) == (True, "chegem")
    assert ledger_report_scope(CHEGEM, "chegem").allowed and not ledger_report_scope(CHEGEM, "baksan").allowed
    for nobody in (NOWHERE, PARENT, PROVIDER):
        assert not ledger_report_scope(nobody, None).allowed and not ledger_report_scope(nobody, "chegem").allowed


def test_a_register_names_children_to_their_municipalitys_staff_never_to_the_regions_operator():
    assert [names_children(p, "chegem") for p in (ADMIN, CHEGEM, REGION, BAKSAN)] == [True, True, False, False]
    assert [names_children(p, None) for p in (ADMIN, REGION)] == [True, False]  # the whole region's register


def test_children_certificates_and_adults_runs_stay_with_their_municipality():
    assert [children_scope(p) for p in (PARENT, CHEGEM, ADMIN, REGION, NOWHERE, PROVIDER)] == [
        "own", "municipality", "everything", None, None, None]
    assert [adults_scope(p) for p in (ADMIN, CHEGEM, REGION, NOWHERE, PARENT)] == [
        (True, None), (True, "chegem"), (False, None), (False, None), (False, None)]
    assert sees_certificate(CHEGEM, "chegem", "p", "chegem") and not sees_certificate(BAKSAN, "chegem", "p", "chegem")
    assert not sees_certificate(REGION, "chegem", "p", "chegem")
