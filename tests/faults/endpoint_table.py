"""Every public endpoint of the gateway's merged OpenAPI document, classified: how the other
side's roles may meet A's object there (see world.py), how to fill its path with A's ids, and
a valid body, so that what answers is the access check and not the validation.

PUBLIC: anyone gets 2xx, and no secret of A's. SCOPED: the caller's own data (lists, the
account itself): 2xx or a refusal, and no secret of A's. REFUSED: 401/403/404 (or a listed
refusal), as problem+json, with no secret of A's and A's object unchanged. `allowed` names the
roles for which acting on A's object is legitimate (district staff, the admin): not called."""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from deploy.demo.requisites import organisation
from tests.faults.world import CHILD_A, PARENT_A_EMAIL, SNILS_A
from tests.support.people import PERIOD, TODAY

Kind = Literal["public", "scoped", "refused"]
STAFF = frozenset({"operator", "admin"})  # work each municipal operator does for its own municipality
ADMIN = frozenset({"admin"})
# The region's staff: the registry, certification and every report are theirs; a municipality's
# children, certificates, periods, agreements, contracts and month close are not.
REGION = frozenset({"admin", "regional_operator"})


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # as in the OpenAPI document; {name} is filled from the world's ids
    kind: Kind
    allowed: frozenset[str] = frozenset()
    body: Callable[[dict], object] | None = None
    query: Callable[[dict], dict] | None = None
    touches: str | None = None  # the snapshot of A's that must not change
    also_refusal: frozenset[int] = frozenset()  # a refusal status besides 401/403/404, for the reason in `why`
    why: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.path


def _reason(_: dict) -> dict:
    return {"reason": "проверка доступа"}


def _group(ids: dict) -> dict:
    return {"module_id": ids["module_id"], "venue": "чужой кабинет", "teacher": "Чужой учитель",
            "schedule": [{"weekday": 0, "starts_at": "10:00", "minutes": 45}], "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY + timedelta(days=30)).isoformat(), "capacity": 5}


def _child_a(_: dict) -> dict:
    return {"full_name": CHILD_A, "birth_date": f"{TODAY.year - 10}-02-01", "snils": SNILS_A,
            "municipality": "chegem"}


E = Endpoint
ENDPOINTS: list[Endpoint] = [
    # The gateway's own.
    E("GET", "/health/live", "public"),
    E("GET", "/health/ready", "public"),
    E("GET", "/health/status", "public"),
    E("GET", "/.well-known/jwks.json", "public"),
    E("GET", "/asyncapi.json", "public"),
    E("POST", "/api/v1/auth/register", "refused", touches="account", also_refusal=frozenset({409}),
      body=lambda _: {"email": PARENT_A_EMAIL, "phone": "+7 928 000-00-00", "password": "chuzhoy-parol-1",
                      "municipality": "chegem"},
      why="409: the e-mail is taken; nothing else is said and the account stays the same"),
    E("POST", "/api/v1/auth/token", "refused", touches="account", also_refusal=frozenset({429}),
      body=lambda _: {"email": PARENT_A_EMAIL, "password": "ugadyvayu-parol-1"},
      why="429: after five wrong passwords for one account the login throttle answers instead"),
    E("GET", "/api/v1/me", "scoped"),
    E("GET", "/api/v1/me/cabinet", "scoped"),
    E("GET", "/api/v1/municipalities", "public"),
    E("POST", "/api/v1/accounts", "refused", ADMIN, touches="account",
      body=lambda _: {"email": PARENT_A_EMAIL, "password": "chuzhoy-parol-1", "role": "operator",
                      "municipality": "chegem"}),
    E("GET", "/api/v1/accounts", "refused", ADMIN),
    E("POST", "/api/v1/accounts/{account_id}/block", "refused", ADMIN, touches="account"),
    E("POST", "/api/v1/accounts/{account_id}/unblock", "refused", ADMIN, touches="account"),
    E("GET", "/api/v1/admin/platform", "refused", REGION),
    E("POST", "/api/v1/auth/logout", "public", touches="account", body=lambda _: {"refresh_token": "chuzhoy-token"},
      why="204 whatever the token: only the token's holder can end its session"),
    E("POST", "/api/v1/auth/password-reset", "public", touches="account", body=lambda _: {"email": PARENT_A_EMAIL},
      why="202 whatever the address: the link goes only to A's mailbox, the answer says nothing"),
    E("POST", "/api/v1/auth/password-reset/confirm", "refused", touches="account", also_refusal=frozenset({422}),
      body=lambda _: {"token": "poddelnaya-ssylka", "new_password": "chuzhoy-parol-1"},
      why="422: no such link; nothing of A's is said or changed"),
    # Notifications: each person's own feed and preferences.
    E("GET", "/api/v1/me/notifications", "scoped"),
    E("POST", "/api/v1/me/notifications/{notification_id}/read", "refused", touches="notice"),
    E("POST", "/api/v1/me/notifications/read-all", "scoped", touches="notice"),
    E("GET", "/api/v1/me/notification-preferences", "scoped"),
    E("PUT", "/api/v1/me/notification-preferences", "scoped", touches="preferences", body=lambda _: {"email": {}}),
    # Registry.
    E("POST", "/api/v1/providers", "refused", frozenset({"provider", "operator", "regional_operator", "admin"}),
      body=lambda _: organisation(random.Random(99), short_name="Новая заявка"),
      why="provider staff and district staff submit new applications: their own, no foreign object"),
    E("GET", "/api/v1/providers", "public", REGION, query=lambda ids: {"q": ids["inn"]}),
    E("GET", "/api/v1/providers/{provider_id}", "public", REGION),
    E("GET", "/api/v1/providers/{provider_id}/history", "refused", REGION, touches="provider_history"),
    *(E("POST", f"/api/v1/providers/{{provider_id}}/{action}", "refused", REGION, body=_reason, touches="provider")
      for action in ("approve", "reject", "suspend", "reinstate", "exclude")),
    E("PUT", "/api/v1/providers/{provider_id}/agreements/{municipality}/{year}", "refused", ADMIN,
      touches="agreements", body=lambda _: {"number": "ЧУЖОЙ-1", "signed_on": TODAY.isoformat(), "limit_kop": 0},
      why="the payer's (chegem's) agreement: only its operator and the admin make or change it"),
    E("GET", "/api/v1/providers/{provider_id}/agreements", "scoped", REGION,
      why="a municipal operator lists its own municipality's agreements with the provider (none here); the "
          "provider itself and the region's staff all of them; others 403"),
    E("POST", "/api/v1/providers/{provider_id}/venues", "refused", REGION, touches="provider",
      why="the region keeps the providers' registry, venues included",
      body=lambda _: {"title": "Чужой корпус", "address": "г. Чегем, ул. Чужая, 1"}),
    # Certificates.
    E("POST", "/api/v1/children", "refused", touches="child", body=_child_a, also_refusal=frozenset({409}),
      why="409: the same child twice, revealing nothing of the other family"),
    E("GET", "/api/v1/children", "scoped", ADMIN),
    E("GET", "/api/v1/children/{child_id}", "refused", ADMIN),
    E("POST", "/api/v1/children/{child_id}/certificate", "refused", ADMIN, touches="certificate"),
    E("GET", "/api/v1/certificates/by-number/{number}", "refused", frozenset({"provider", "admin"}),
      why="a provider learns a certificate's status card from the number a family gives it (by design)"),
    E("GET", "/api/v1/certificates/{certificate_id}", "refused", ADMIN),
    E("GET", "/api/v1/certificates/{certificate_id}/ledger", "refused", ADMIN),
    *(E("POST", f"/api/v1/certificates/{{certificate_id}}/{action}", "refused", ADMIN, touches="certificate")
      for action in ("activate", "suspend", "reinstate")),
    E("POST", "/api/v1/certificates/close-adults", "refused", STAFF,
      why="each operator closes adults' certificates of their own municipality; admin: all"),
    E("GET", "/api/v1/certificates/close-adults/{run_id}", "refused", REGION,
      why="a close run's progress, for its municipality's staff and the region's"),
    E("POST", "/api/v1/certificates/{certificate_id}/close", "refused", ADMIN, touches="certificate",
      body=lambda _: {"reason": "moved"}),
    E("PUT", "/api/v1/municipalities/{municipality}/periods/{year}", "refused", ADMIN, touches="period",
      body=lambda _: PERIOD, why="a municipality's funding period, set by its own operator"),
    E("GET", "/api/v1/municipalities/{municipality}/periods/{year}", "refused", REGION,
      why="a municipality's period, read by its operator and the region's staff"),
    E("POST", "/api/v1/municipalities/{municipality}/periods/{year}/open", "refused", ADMIN, touches="period"),
    E("POST", "/api/v1/municipalities/{municipality}/periods/{year}/close", "refused", ADMIN, touches="period"),
    E("GET", "/api/v1/municipalities/{municipality}/periods/{year}/runs/{run_id}", "refused", REGION,
      why="the progress of a municipality's period runs, for its staff and the region's"),
    E("GET", "/api/v1/municipalities/{municipality}/periods/{year}/runs", "refused", REGION,
      why="the list of a municipality's period runs, for its staff and the region's"),
    E("GET", "/api/v1/reports/certificates", "refused", REGION,
      query=lambda ids: {"municipality": ids["municipality"], "format": "csv"},
      why="a municipality's register of certificates: its operator and the region's staff"),
    E("GET", "/api/v1/reports/ledger", "refused", REGION,
      query=lambda ids: {"month": ids["month"], "municipality": ids["municipality"]},
      why="a municipality's report of the month: its operator and the region's staff"),
    # Catalog.
    E("GET", "/api/v1/programs", "public", query=lambda _: {"q": "робототехника"}),
    E("GET", "/api/v1/programs/suggest", "public", query=lambda _: {"q": "робо"}),
    E("POST", "/api/v1/programs", "refused", frozenset({"provider"}),
      body=lambda _: {"title": "Новая программа", "description": "Описание новой программы",
                      "direction": "technical", "level": "starting", "form": "in_person", "min_age": 7,
                      "max_age": 14, "modules": [{"title": "Год", "hours": 10, "price_kop": 100}]},
      why="a provider publishes programs of its own"),
    E("GET", "/api/v1/programs/mine", "scoped", why="a provider's own programs; 403 for every other role"),
    E("GET", "/api/v1/programs/{program_id}", "public", REGION),
    E("POST", "/api/v1/programs/{program_id}/publish", "refused", touches="program"),
    E("PATCH", "/api/v1/programs/{program_id}", "refused", touches="program",
      body=lambda _: {"title": "Чужое название программы"}),
    E("POST", "/api/v1/programs/{program_id}/unpublish", "refused", touches="program"),
    E("POST", "/api/v1/programs/{program_id}/certify", "refused", REGION, touches="program",
      body=lambda _: {"score": 10, "valid_until": (TODAY + timedelta(days=30)).isoformat()}),
    E("POST", "/api/v1/programs/{program_id}/groups", "refused", touches="program", body=_group),
    E("POST", "/api/v1/applications", "refused", touches="application", also_refusal=frozenset({422}),
      body=lambda ids: {"group_id": ids["group_id"], "certificate_id": ids["certificate_id"]},
      why="422: the certificate in the body is not among the caller's children's (the field is named, "
          "nothing of the other family is said)"),
    E("GET", "/api/v1/applications", "scoped", REGION),
    E("GET", "/api/v1/applications/{application_id}", "refused", REGION,
      why="the region's staff read every application (enrollment across the region), change none"),
    *(E("POST", f"/api/v1/applications/{{application_id}}/{action}", "refused", touches="application",
        body=_reason if action == "reject" else None) for action in ("accept", "reject", "cancel", "confirm")),
    E("POST", "/api/v1/programs/{program_id}/reviews", "refused", touches="reviews",
      body=lambda ids: {"child_id": ids["child_id"], "rating": 1, "text": "Чужой отзыв"}),
    E("GET", "/api/v1/programs/{program_id}/reviews", "public"),
    E("GET", "/api/v1/groups/mine", "scoped", why="a provider's own groups; 403 for every other role"),
    E("GET", "/api/v1/groups/{group_id}", "public", REGION, why="a published program's group, like the program"),
    E("GET", "/api/v1/groups/{group_id}/cost", "refused", query=lambda ids: {"child_id": ids["child_id"]}),
    E("POST", "/api/v1/groups/{group_id}/close-enrollment", "refused", touches="program"),
    E("POST", "/api/v1/groups/{group_id}/open-enrollment", "refused", touches="program"),
    # Billing.
    E("GET", "/api/v1/contracts", "scoped", ADMIN, query=lambda ids: {"child_id": ids["child_id"]}),
    E("GET", "/api/v1/contracts/{contract_id}", "refused", ADMIN),
    # The contract's documents: read by whoever reads the contract.
    E("GET", "/api/v1/contracts/{contract_id}/offer", "refused", ADMIN),
    E("GET", "/api/v1/contracts/{contract_id}/termination-notice", "refused", ADMIN),
    E("GET", "/api/v1/contracts/{contract_id}/documents", "refused", ADMIN),
    E("POST", "/api/v1/contracts/{contract_id}/sign", "refused", touches="contract"),
    E("POST", "/api/v1/contracts/{contract_id}/terminate", "refused", touches="contract",
      body=lambda _: {"terminated_on": (TODAY + timedelta(days=40)).isoformat(), "reason": "проверка доступа"}),
    E("POST", "/api/v1/groups/{group_id}/attendance", "refused", touches="attendance",
      body=lambda ids: {"lesson_date": TODAY.isoformat(), "absent": [ids["child_id"]]}),
    E("GET", "/api/v1/groups/{group_id}/attendance", "refused", ADMIN, query=lambda ids: {"month": ids["month"]}),
    E("POST", "/api/v1/municipalities/{municipality}/months/{month}/close", "refused", ADMIN, touches="month",
      why="a payer's month is closed by its own operator (A's municipality's) or the admin"),
    E("GET", "/api/v1/municipalities/{municipality}/months/{month}", "refused", REGION,
      why="a payer's month close is read by its operator and the region's staff"),
    E("POST", "/api/v1/advances", "refused", frozenset({"provider"}), body=lambda ids: {"month": ids["month"]},
      why="a provider asks an advance for itself"),
    E("GET", "/api/v1/advances", "scoped", REGION),
    E("GET", "/api/v1/invoices", "scoped", REGION, query=lambda ids: {"provider_id": ids["provider_id"]}),
    E("GET", "/api/v1/invoices/{invoice_id}", "refused", REGION),
    E("GET", "/api/v1/reports/reconciliation", "refused", REGION,
      query=lambda ids: {"month": ids["month"], "municipality": ids["municipality"]},
      why="A's payer's reconciliation: its operator and the region's staff"),
    E("GET", "/api/v1/municipalities/{municipality}/months", "refused", REGION,
      why="a payer's month closes are read by its operator and the region's staff"),
    E("GET", "/api/v1/reports/contracts", "refused", REGION,
      query=lambda ids: {"municipality": ids["municipality"], "format": "csv"},
      why="A's payer's register of contracts: its operator and the region's staff"),
    E("GET", "/api/v1/reports/payments", "refused", REGION,
      query=lambda ids: {"month": ids["month"], "municipality": ids["municipality"]},
      why="A's payer's register of payments: its operator and the region's staff"),
    E("GET", "/api/v1/rules", "scoped", why="the region's rules, the same for every signed-in caller; 401 without"),
    E("GET", "/api/v1/debits", "scoped", ADMIN, query=lambda ids: {"child_id": ids["child_id"]}),
    E("POST", "/api/v1/disputes", "refused", touches="dispute",
      body=lambda ids: {"charge_id": ids["charge_id"], "reason": "чужое списание оспаривается"}),
    E("GET", "/api/v1/disputes", "scoped", ADMIN),
    E("GET", "/api/v1/disputes/{dispute_id}", "refused", ADMIN),
    E("POST", "/api/v1/disputes/{dispute_id}/answer", "refused", touches="dispute",
      body=lambda _: {"answer": "agree_full"}),
    E("POST", "/api/v1/disputes/{dispute_id}/decision", "refused", ADMIN, touches="dispute",
      body=lambda _: {"reversal_kop": 0, "comment": "проверка доступа"},
      why="what stays open is decided by A's payer's operator or the admin"),
    E("POST", "/api/v1/disputes/{dispute_id}/withdraw", "refused", touches="dispute", body=lambda _: {}),
]
