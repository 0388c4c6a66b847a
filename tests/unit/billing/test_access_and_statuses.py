"""Who sees and does what in billing, and the moves a contract may make."""
import re
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import CheckConstraint

from pfdo_kit.auth import Principal
from pfdo_kit.transitions import IllegalMove
from services.billing.domain.access import (
    contract_scope,
    may_close_month,
    may_sign,
    may_terminate,
    money_scope,
    names_children,
    report_payer,
    sees_contract,
    sees_month,
    sees_region,
)
from services.billing.domain.statuses import (
    CONTRACT_TRANSITIONS,
    ENDED,
    MONTH_CLOSE_STEPS,
    RUNNING,
)
from services.billing.models import Contract, MonthClose

PROVIDER = uuid.UUID(int=1)


@dataclass
class Facts:
    owner: str = "mother"
    provider_id: uuid.UUID = PROVIDER
    payer: str = "chegem"  # the certificate's municipality: the program may be taught in another


def who(role: str, **kw) -> Principal:
    return Principal(subject=kw.pop("subject", "someone"), role=role, **kw)


def test_a_contract_is_seen_by_its_family_provider_and_payer_staff_only():
    seen = [who("parent", subject="mother"), who("provider", provider_id=PROVIDER), who("admin"),
            who("operator", municipality="chegem")]
    unseen = [who("parent", subject="father"), who("provider", provider_id=uuid.UUID(int=2)),
              who("operator", municipality="baksan"), who("regional_operator")]
    assert all(sees_contract(p, Facts()) for p in seen) and not any(sees_contract(p, Facts()) for p in unseen)
    assert [contract_scope(p) for p in seen] == [{"owner": "mother"}, {"provider_id": PROVIDER}, {},
                                                 {"payer": "chegem"}]
    assert contract_scope(who("regional_operator")) is None  # a child's contract is not the region's


def test_a_register_names_children_to_the_payers_staff_never_to_the_regions_operator():
    chegem, region, admin = who("operator", municipality="chegem"), who("regional_operator"), who("admin")
    assert [names_children(p, "chegem") for p in (chegem, admin, region, who("operator", municipality="baksan"))] \
        == [True, True, False, False]
    assert [names_children(p, None) for p in (admin, region)] == [True, False]


def test_a_payers_month_is_closed_by_its_staff_and_read_by_the_regions():
    chegem, baksan = who("operator", municipality="chegem"), who("operator", municipality="baksan")
    region, admin = who("regional_operator"), who("admin")
    assert may_close_month(chegem, "chegem") and may_close_month(admin, "chegem")
    assert not may_close_month(baksan, "chegem") and not may_close_month(region, "chegem")
    assert sees_month(region, "chegem") and sees_month(chegem, "chegem") and not sees_month(baksan, "chegem")
    assert sees_region(region) and sees_region(admin) and not sees_region(chegem)
    assert [money_scope(p) for p in (chegem, region, admin)] == [{"payer": "chegem"}, {}, {}]


def test_only_the_applicant_signs_and_an_admin_does_not_terminate():
    assert may_sign(who("parent", subject="mother"), Facts()) and not may_sign(who("admin"), Facts())
    assert may_terminate(who("operator", municipality="chegem"), Facts()) and not may_terminate(who("admin"), Facts())


def test_contract_transitions():
    moves = CONTRACT_TRANSITIONS
    assert moves.next("draft", "offer") == "offered" and moves.next("offered", "sign") == "signed"
    assert moves.can("offered", "void") and not moves.can("signed", "void") and not moves.can("void", "sign")
    with pytest.raises(IllegalMove):
        moves.next("terminated", "terminate")
    targets = {t.target for t in CONTRACT_TRANSITIONS.values()}
    assert set(ENDED) <= targets and set(RUNNING) | set(ENDED) == targets | {"draft"}


@pytest.mark.parametrize("table, statuses", [(Contract.__table__, {*RUNNING, *ENDED}),
                                             (MonthClose.__table__, set(MONTH_CLOSE_STEPS))])
def test_the_database_accepts_exactly_the_statuses_of_the_rules(table, statuses):
    [check] = [c for c in table.constraints if isinstance(c, CheckConstraint) and "status IN" in str(c.sqltext)]
    assert set(re.findall(r"'(\w+)'", str(check.sqltext))) == statuses


def test_a_register_is_the_operators_own_payers_or_for_the_region_staff_any_or_the_regions():
    chegem = Principal(subject="o", role="operator", municipality="chegem")
    assert report_payer(chegem, None) == (True, "chegem") and report_payer(chegem, "chegem") == (True, "chegem")
    assert report_payer(chegem, "baksan")[0] is False
    assert report_payer(Principal(subject="o", role="operator"), None)[0] is False  # a token naming no municipality
    for role in ("regional_operator", "admin"):
        assert report_payer(Principal(subject="r", role=role), None) == (True, None)
        assert report_payer(Principal(subject="r", role=role), "baksan") == (True, "baksan")
    for role in ("parent", "provider"):
        assert report_payer(Principal(subject="x", role=role), None)[0] is False
        assert report_payer(Principal(subject="x", role=role), "chegem")[0] is False
