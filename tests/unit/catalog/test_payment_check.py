from services.catalog.domain.payment_check import Facts, verdict

OK = Facts(certificate_active=True, child_age=9, min_age=7, max_age=12, free_seats=3, enrollment_open=True,
           provider_approved=True, register="certified")


def test_paid_by_certificate_free_or_family():
    assert verdict(OK).payment == "certificate" and verdict(OK).reasons == []
    assert verdict(Facts(**{**OK.__dict__, "register": "significant"})).payment == "free"
    assert verdict(Facts(**{**OK.__dict__, "register": "family"})).payment == "family"


def test_an_inactive_certificate_blocks_even_a_family_paid_program():
    # Every enrollment goes through the certificate: the certificates service refuses an inactive one.
    v = verdict(Facts(**{**OK.__dict__, "register": "family", "certificate_active": False}))
    assert (v.payment, v.reasons, v.blocking) == ("impossible", ["certificate_inactive"], ["certificate_inactive"])


def test_every_reason_it_cannot_be_is_named():
    v = verdict(Facts(certificate_active=False, child_age=15, min_age=7, max_age=12, free_seats=0,
                      enrollment_open=False, provider_approved=False, register="certified"))
    assert v.payment == "impossible"
    assert v.reasons == ["provider_inactive", "enrollment_closed", "age_out_of_range", "certificate_inactive",
                         "no_seats"]
    assert all(v.reasons_ru)
    assert v.blocking == v.reasons[:-1]  # a full group alone blocks nothing


def test_a_full_group_still_takes_the_application_on_the_waitlist():
    v = verdict(Facts(**{**OK.__dict__, "free_seats": 0}))
    assert (v.payment, v.reasons) == ("certificate", ["no_seats"])


def test_an_exhausted_certificate_or_used_up_free_places_block_and_say_so():
    short = verdict(Facts(**{**OK.__dict__, "certificate_share_kop": 9_000_00, "available_kop": 8_999_99}))
    assert (short.payment, short.reasons) == ("impossible", ["certificate_exhausted"])
    unknown = verdict(Facts(**{**OK.__dict__, "certificate_share_kop": 9_000_00, "available_kop": None}))
    assert unknown.payment == "certificate"
    free = Facts(**{**OK.__dict__, "register": "significant", "free_left": 1})
    assert (verdict(free).payment, verdict(free).free_left) == ("free", 1)
    used_up = verdict(Facts(**{**free.__dict__, "free_left": 0}))
    assert (used_up.payment, used_up.reasons) == ("impossible", ["free_limit_reached"])


def test_the_check_reads_the_catalog_s_rows_as_an_acceptance_today_would_reserve():
    from datetime import date
    from types import SimpleNamespace

    from services.catalog.domain.payment_check import AgreementFacts, check, money_year
    from services.catalog.domain.payment_plan import Pricing

    today = date(2026, 11, 10)
    cert = SimpleNamespace(status="active", birth_date=date(2016, 5, 1), kind="funded", available_kop=5_000_00,
                           free_left={"significant": 1})
    program = SimpleNamespace(registers=["certified"], certified_until=date(2027, 1, 1), direction="technical",
                              min_age=7, max_age=12)
    provider = SimpleNamespace(status="approved")
    module = SimpleNamespace(price_kop=12_000_00, hours=48)
    # Started in September, ends in February, on Mondays: of this year only November (from the 10th:
    # 3 of its 5 Mondays) and December are still to pay.
    group = SimpleNamespace(starts_on=date(2026, 9, 1), ends_on=date(2027, 2, 28), capacity=10, taken=10,
                            enrollment_open=True, schedule=[{"weekday": 0, "starts_at": "15:00", "minutes": 45}])
    pricing, agreement = Pricing({"technical": 1_000_00}, 1000), AgreementFacts(active=True, limit_kop=None)
    assert money_year(today, group) == 2026
    found = check(cert, program, provider, module, group, today, pricing, agreement)
    assert found.register == "certified" and [m for m, _, _ in found.shares][:2] == ["2026-09", "2026-10"]
    assert found.facts.certificate_share_kop == 3_200_00  # 3/5 × 2 000 ₽ + 2 000 ₽, not the year's 8 000 ₽
    assert (found.verdict.payment, found.verdict.reasons) == ("certificate", ["no_seats"])
    poorer = check(SimpleNamespace(**{**cert.__dict__, "available_kop": 3_199_99}), program, provider, module, group,
                   today, pricing, agreement)
    assert poorer.verdict.blocking == ["certificate_exhausted"]
    accounting = check(SimpleNamespace(**{**cert.__dict__, "kind": "accounting", "available_kop": 0}), program,
                       provider, module, group, today, pricing, agreement)
    assert accounting.verdict.payment == "certificate"  # funded on its first certified enrollment
    # The agreement with the certificate's municipality: none, ended, or its limit short of what this reserves.
    for facts, reason in ((None, "no_agreement"), (AgreementFacts(active=False, limit_kop=None), "no_agreement"),
                          (AgreementFacts(active=True, limit_kop=10_000_00, used_kop=6_800_01),
                           "agreement_limit_reached")):
        refused = check(cert, program, provider, module, group, today, pricing, facts)
        assert (refused.verdict.payment, refused.verdict.blocking) == ("impossible", [reason])
    exactly = AgreementFacts(active=True, limit_kop=10_000_00, used_kop=6_800_00)  # 3 200 ₽ left: just enough
    assert check(cert, program, provider, module, group, today, pricing, exactly).verdict.payment == "certificate"


def test_a_certificate_awaiting_activation_is_a_note_not_a_refusal():
    # The catalog's copy may be behind the activation: certificates decides at reservation.
    v = verdict(Facts(**{**OK.__dict__, "certificate_active": False, "certificate_pending": True}))
    assert (v.payment, v.reasons, v.blocking) == ("certificate", ["certificate_awaiting_activation"], [])
    assert v.reasons_ru[0].startswith("Сертификат ожидает активации")


def test_without_an_agreement_with_the_payer_the_certificate_does_not_pay_and_says_why():
    no = verdict(Facts(**{**OK.__dict__, "agreement_active": False}))
    assert (no.payment, no.reasons, no.blocking) == ("impossible", ["no_agreement"], ["no_agreement"])
    assert "соглашения" in no.reasons_ru[0] and "муниципалитетом сертификата" in no.reasons_ru[0]
    full = verdict(Facts(**{**OK.__dict__, "certificate_share_kop": 5_000_00, "agreement_left_kop": 4_999_99}))
    assert (full.payment, full.reasons) == ("impossible", ["agreement_limit_reached"])
    assert "Лимит соглашения" in full.reasons_ru[0]
    enough = verdict(Facts(**{**OK.__dict__, "certificate_share_kop": 5_000_00, "agreement_left_kop": 5_000_00}))
    assert enough.payment == "certificate"
    # Money that is not the certificate's needs no agreement: a free budget program, a family-paid one.
    for register in ("significant", "family"):
        assert not verdict(Facts(**{**OK.__dict__, "register": register, "agreement_active": False})).blocking
    # A full group with an agreement still waitlists; without one, it is refused for the agreement.
    assert verdict(Facts(**{**OK.__dict__, "free_seats": 0})).reasons == ["no_seats"]
    both = verdict(Facts(**{**OK.__dict__, "free_seats": 0, "agreement_active": False}))
    assert (both.reasons, both.blocking) == (["no_agreement", "no_seats"], ["no_agreement"])
