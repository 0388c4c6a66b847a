"""The catalog's pure rules: which register pays, the application's moves, who sees what."""
import uuid
from datetime import date
from types import SimpleNamespace

import pytest

from pfdo_kit.auth import Principal
from pfdo_kit.transitions import IllegalMove
from services.catalog.domain import access
from services.catalog.domain.registers import certified_now, first_frozen_change, is_free, modules_differ, register_for
from services.catalog.domain.statuses import APPLICATION_MOVES, HOLDING_SEAT

TODAY = date(2026, 9, 2)


def test_certified_now_needs_the_register_and_a_running_certification():
    assert certified_now(["certified"], TODAY, TODAY)
    assert not certified_now(["certified"], date(2026, 9, 1), TODAY)
    assert not certified_now(["certified"], None, TODAY)
    assert not certified_now(["significant"], date(2030, 1, 1), TODAY)


def test_the_register_that_pays():
    assert register_for(["certified", "other"], TODAY, TODAY) == "certified"
    assert register_for(["certified", "other", "significant"], date(2026, 1, 1), TODAY) == "significant"
    assert register_for([], None, TODAY) == "family"
    assert is_free("preprofessional") and not is_free("certified") and not is_free("family")


def test_moves_are_data_and_a_bad_one_is_refused():
    assert APPLICATION_MOVES.next("submitted", "accept") == "accepted"
    assert APPLICATION_MOVES.next("waitlisted", "offer") == "offered"
    assert APPLICATION_MOVES.can("offered", "cancel") and not APPLICATION_MOVES.can("enrolled", "cancel")
    with pytest.raises(IllegalMove):
        APPLICATION_MOVES.next("rejected", "confirm")
    assert APPLICATION_MOVES["terminate"].sources == HOLDING_SEAT


def _principal(role: str, **kw) -> Principal:
    return Principal(subject=kw.pop("subject", "someone"), role=role, **kw)


def test_who_sees_an_application():
    # The program is taught in chegem; the child's certificate (the payer) is neftekumsk's.
    provider_id = uuid.uuid4()
    app = SimpleNamespace(owner="parent-1", provider_id=provider_id, municipality="chegem", payer="neftekumsk")
    assert access.sees_application(_principal("parent", subject="parent-1"), app)
    assert not access.sees_application(_principal("parent", subject="parent-2"), app)
    assert access.sees_application(_principal("provider", provider_id=provider_id), app)
    assert not access.sees_application(_principal("provider", provider_id=uuid.uuid4()), app)
    assert access.sees_application(_principal("operator", municipality="neftekumsk"), app)
    assert not access.sees_application(_principal("operator", municipality="chegem"), app)
    assert not access.sees_application(_principal("operator", municipality="baksan"), app)
    assert access.sees_application(_principal("regional_operator"), app)
    assert access.sees_application(_principal("admin"), app)
    assert access.applications_scope(_principal("admin")) == {}
    assert access.applications_scope(_principal("regional_operator")) == {}
    assert access.applications_scope(_principal("operator", municipality="baksan")) == {"payer": "baksan"}
    assert access.applications_scope(_principal("parent", subject="parent-1")) == {"owner": "parent-1"}


def test_certification_is_the_region_s_and_drafts_are_read_by_their_municipality_and_the_region():
    program = SimpleNamespace(status="draft", provider_id=uuid.uuid4(), municipality="chegem")
    provider = SimpleNamespace(status="approved")
    assert access.certifies_programs(_principal("regional_operator"))
    assert access.certifies_programs(_principal("admin"))
    assert not access.certifies_programs(_principal("operator", municipality="chegem"))
    assert not access.certifies_programs(_principal("provider", provider_id=program.provider_id))
    for who, sees in ((_principal("operator", municipality="chegem"), True),
                      (_principal("operator", municipality="neftekumsk"), False),
                      (_principal("regional_operator"), True), (_principal("provider", provider_id=program.provider_id), True),
                      (_principal("parent"), False), (None, False)):
        assert access.sees_program(who, program, provider) is sees, who


def test_a_certified_programs_edit_names_the_first_certified_field_it_changes():
    current = {"title": "Шахматы", "level": "starting", "min_age": 7, "description": "старое"}
    assert first_frozen_change(current, {"description": "новое", "enrollment_limit": None, "ovz_adapted": True}) is None
    assert first_frozen_change(current, {"title": "Шахматы", "level": "basic", "min_age": 8}) == "level"
    assert first_frozen_change(current, {"min_age": 8, "title": "Го"}) == "min_age"
    module = {"title": "Первый год", "hours": 72, "price_kop": 100}
    assert not modules_differ({1: module}, [{"id": 1, **module}])
    assert modules_differ({1: module}, [{"id": 1, **module, "hours": 36}]) and modules_differ({1: module}, [module])
