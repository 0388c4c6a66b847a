"""The notifications' document names every kind the service makes, and only those."""
from typing import get_args

from services.notifications.api.descriptions import WHEN
from services.notifications.domain.kinds import KINDS, FeedKind, kinds_for
from tests.unit.api.documents import service_document


def test_every_kind_in_the_feed_is_described_and_is_the_enum():
    in_feed = {k.name for k in KINDS.values() if k.in_feed}
    assert set(WHEN) == in_feed == set(get_args(FeedKind))
    assert in_feed == {k.name for role in ("parent", "provider", "operator", "regional_operator") for k in kinds_for(role)}


def test_the_feed_lists_each_kind_with_whether_its_mail_can_be_switched_off():
    description = service_document("notifications")["paths"]["/api/v1/me/notifications"]["get"]["description"]
    for kind in KINDS.values():
        if not kind.in_feed:
            assert f"`{kind.name}`" not in description
            continue
        line = next(line for line in description.splitlines() if line.startswith(f"- `{kind.name}`"))
        assert line.endswith("письмо приходит всегда." if kind.essential else "письмо можно отключить.")
