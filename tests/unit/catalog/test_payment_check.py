from services.catalog.domain.payment_check import Facts, verdict

OK = Facts(certificate_active=True, child_age=9, min_age=7, max_age=12, free_seats=3, enrollment_open=True,
           provider_approved=True, register="certified")


def test_paid_by_certificate_free_or_family():
    assert verdict(OK).payment == "certificate" and verdict(OK).reasons == []
    assert verdict(Facts(**{**OK.__dict__, "register": "significant"})).payment == "free"
    assert verdict(Facts(**{**OK.__dict__, "register": "family", "certificate_active": False})).payment == "family"


def test_every_reason_it_cannot_be_is_named():
    v = verdict(Facts(certificate_active=False, child_age=15, min_age=7, max_age=12, free_seats=0,
                      enrollment_open=False, provider_approved=False, register="certified"))
    assert v.payment == "impossible"
    assert v.reasons == ["provider_inactive", "enrollment_closed", "age_out_of_range", "certificate_inactive",
                         "no_seats"]
    assert all(v.reasons_ru)


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
