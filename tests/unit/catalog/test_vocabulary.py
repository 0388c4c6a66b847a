"""The fixed sets the API declares as enums are the ones the rules and the tables use."""
import re
from typing import get_args

from services.catalog.domain.groups import group_name
from services.catalog.domain.payment_check import REASONS_RU, Payment, Reason
from services.catalog.domain.statuses import APPLICATION_MOVES, APPLICATION_STATUSES, PROGRAM_STATUSES
from services.catalog.domain.vocabulary import Direction
from services.catalog.models import Application, Program
from services.catalog.settings import CatalogSettings


def _checked(table, name: str) -> set[str]:
    [check] = [c for c in table.__table__.constraints if c.name == name]
    return set(re.findall(r"'([a-z_]+)'", str(check.sqltext)))


def test_the_declared_statuses_are_the_tables_and_the_moves():
    assert set(APPLICATION_STATUSES) == _checked(Application, "applications_status_known")
    assert APPLICATION_MOVES.statuses() == set(APPLICATION_STATUSES)
    assert set(PROGRAM_STATUSES) == _checked(Program, "programs_status_known")


def test_every_reason_has_its_russian_and_every_direction_its_normative_rate():
    assert set(REASONS_RU) == set(get_args(Reason))
    assert set(get_args(Payment)) == {"certificate", "free", "family", "impossible"}
    assert set(CatalogSettings.model_fields["normative_kop_per_hour"].default) == set(get_args(Direction))


def test_a_group_is_named_by_its_module_and_teacher():
    assert group_name("Первый год обучения", "Тхагапсоева М. А.") == "Первый год обучения, Тхагапсоева М. А."
