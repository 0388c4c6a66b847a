"""Who receives what, which mails may be switched off, when reminders are due, how a failed
mail waits, and how a delivery may move."""
import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest

from services.notifications.domain.delivery_rules import backoff_s, next_free_slot
from services.notifications.domain.kinds import KINDS, goes_by_mail, kinds_for, preference_errors
from services.notifications.domain.recipients import Contact, district_operators, provider_staff
from services.notifications.domain.reminders import (
    contract_reminder_due,
    decision_reminder_due,
    digest_due,
    hours_left,
    offer_reminder_due,
)
from pfdo_kit.transitions import IllegalMove
from services.notifications.domain.statuses import PENDING, SENDING, SENT, TRANSITIONS

PROVIDER = uuid.uuid4()
NOW = datetime(2026, 9, 5, 12, 0, tzinfo=UTC)


def test_essential_kinds_are_the_ones_people_must_act_on_or_that_move_money():
    essential = {k.name for k in KINDS.values() if k.essential}
    assert essential == {"seat_offered", "offer_expiring", "funds_reserved", "contract_offered", "contract_unsigned",
                         "funds_debited", "decision_due", "invoice_issued", "advance_granted", "password_reset",
                         # a dispute moves a family's money back or waits for someone's answer by a day
                         "dispute_opened", "dispute_answered", "dispute_decided", "dispute_escalated"}


def test_switched_off_mail_stays_off_only_for_optional_kinds():
    off = {"contract_signed", "funds_debited"}
    assert not goes_by_mail(KINDS["contract_signed"], off)
    assert goes_by_mail(KINDS["funds_debited"], off)
    assert goes_by_mail(KINDS["application_accepted"], off)


def test_preferences_list_the_role_kinds_and_refuse_essential_or_foreign_ones():
    assert {k.audience for k in kinds_for("parent")} == {"parent"}
    assert "password_reset" not in {k.name for k in kinds_for("parent")}
    assert kinds_for("admin") == []
    assert preference_errors("parent", {"contract_signed": False, "application_accepted": True}) == []
    errors = preference_errors("parent", {"funds_debited": False, "invoice_issued": False, "nonsense": True})
    assert [e["field"] for e in errors] == ["email.funds_debited", "email.invoice_issued", "email.nonsense"]
    assert preference_errors("parent", {"funds_debited": True}) == []


def test_provider_notices_go_to_its_active_staff_and_digests_to_the_district_operators():
    contacts = [
        Contact("staff-1", "a@x.ru", "provider", "chegem", PROVIDER, True),
        Contact("staff-2", "b@x.ru", "provider", "chegem", PROVIDER, False),
        Contact("staff-3", "c@x.ru", "provider", "chegem", uuid.uuid4(), True),
        Contact("op-1", "d@x.ru", "operator", "chegem", None, True),
        Contact("op-2", "e@x.ru", "operator", "neftekumsk", None, True),
        Contact("parent", "f@x.ru", "parent", "chegem", None, True),
    ]
    assert provider_staff(contacts, PROVIDER) == ["staff-1"]
    assert district_operators(contacts, "chegem") == ["op-1"]


def test_offer_reminder_within_the_last_hours_before_it_lapses():
    until = NOW + timedelta(hours=12)
    assert offer_reminder_due(NOW, until, 12)
    assert not offer_reminder_due(NOW - timedelta(minutes=1), until, 12)
    assert not offer_reminder_due(until, until, 12)
    assert hours_left(NOW + timedelta(minutes=30), until) == 11


def test_contract_reminder_after_days_unsigned():
    assert contract_reminder_due(NOW, NOW - timedelta(days=3), 3)
    assert not contract_reminder_due(NOW, NOW - timedelta(days=3) + timedelta(seconds=1), 3)


def test_decision_reminder_the_day_before_the_deadline_or_on_it():
    deadline = date(2026, 9, 10)
    assert [decision_reminder_due(deadline + timedelta(days=d), deadline) for d in (-2, -1, 0, 1)] == [
        False, True, True, False]


def test_digest_once_a_day_from_its_hour():
    at = time(9, 0)
    assert not digest_due(datetime(2026, 9, 5, 8, 59), at, None)
    assert digest_due(datetime(2026, 9, 5, 9, 0), at, None)
    assert digest_due(datetime(2026, 9, 5, 15, 0), at, date(2026, 9, 4))
    assert not digest_due(datetime(2026, 9, 5, 15, 0), at, date(2026, 9, 5))


def test_backoff_doubles_up_to_its_ceiling():
    assert [backoff_s(n, 30, 3600) for n in (1, 2, 3, 4, 8, 100)] == [30, 60, 120, 240, 3600, 3600]


def test_rate_limit_lets_a_mail_go_when_the_oldest_counted_one_leaves_the_window():
    window = timedelta(hours=1)
    sent = [NOW - timedelta(minutes=m) for m in (50, 30, 10)]
    assert next_free_slot(sent[:2], 3, window) is None
    assert next_free_slot(sent, 3, window) == NOW + timedelta(minutes=10)
    assert next_free_slot(sent, 2, window) == NOW + timedelta(minutes=30)


def test_delivery_moves():
    assert TRANSITIONS.next(PENDING, "claim") == SENDING
    assert TRANSITIONS.next(SENDING, "claim") == SENDING  # a sender that died: claimed again past the lease
    assert TRANSITIONS.next(SENDING, "sent") == SENT
    assert TRANSITIONS.next(SENDING, "failed") == PENDING
    assert TRANSITIONS.next(PENDING, "postpone") == PENDING
    for current, action in ((SENT, "claim"), (PENDING, "sent"), (SENT, "failed"), (SENDING, "postpone")):
        with pytest.raises(IllegalMove):
            TRANSITIONS.next(current, action)
