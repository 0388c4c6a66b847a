"""Each role lands in its own cabinet after logging in and is refused the others' (403, nothing of the page)."""
from __future__ import annotations

import pytest

from tests.unit.navigator.stand_in import StandInGateway, log_in, plug, site_with

HOMES = {"parent": "/cabinet", "provider": "/provider", "operator": "/operator", "regional_operator": "/region",
         "admin": "/admin"}


@pytest.mark.parametrize("role", list(HOMES))
def test_a_login_without_next_lands_in_the_roles_cabinet(role):
    gateway = StandInGateway()
    client, app = site_with(gateway)
    with client:
        plug(app, gateway)
        answer = log_in(client, gateway, role, municipality="chegem" if role == "operator" else None)
        assert answer.status_code == 303 and answer.headers["location"] == HOMES[role]


@pytest.mark.parametrize("role", list(HOMES))
def test_every_other_roles_cabinet_is_refused(role):
    gateway = StandInGateway()
    client, app = site_with(gateway)
    with client:
        plug(app, gateway)
        log_in(client, gateway, role)
        gateway.calls.clear()
        for other, home in HOMES.items():
            if other == role or other == "parent":
                continue
            answer = client.get(home)
            assert answer.status_code == 403, (role, home)
            assert "Раздел недоступен" in answer.text and f'href="{HOMES[role]}"' in answer.text
        assert not [c for c in gateway.calls if c[1] not in ("/auth/token", "/me")], "a refused page asked the API"


def test_staff_opening_the_family_cabinet_go_to_their_own():
    gateway = StandInGateway()
    client, app = site_with(gateway)
    with client:
        plug(app, gateway)
        log_in(client, gateway, "provider", provider_id="p1")
        answer = client.get("/cabinet")
        assert answer.status_code == 303 and answer.headers["location"] == "/provider"


def test_a_visitor_not_logged_in_is_sent_to_the_login_with_the_page_to_return_to():
    gateway = StandInGateway()
    client, app = site_with(gateway)
    with client:
        plug(app, gateway)
        for home in ("/provider", "/operator", "/region", "/admin"):
            answer = client.get(home)
            assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")
