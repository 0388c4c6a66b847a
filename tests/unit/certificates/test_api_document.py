"""The certificates service's OpenAPI document says what a frontend needs (issue 15), beyond the
rules every process's document meets (tests/unit/api)."""
from __future__ import annotations

from tests.unit.api.documents import service_document

REF = "#/components/schemas/"


def _doc() -> dict:
    return service_document("certificates")


def _schema(name: str) -> dict:
    return _doc()["components"]["schemas"][name]


def _op(path: str, method: str = "get") -> dict:
    return _doc()["paths"]["/api/v1" + path][method]


def _answer(op: dict, code: str = "200") -> dict:
    return op["responses"][code]["content"]["application/json"]["schema"]


def test_a_lookup_by_number_answers_the_full_certificate_or_the_providers_card_and_says_who_gets_which():
    op = _op("/certificates/by-number/{number}")
    assert _answer(op)["anyOf"] == [{"$ref": REF + "CertificateOut"}, {"$ref": REF + "CertificateCard"}]
    assert "поставщик получает карточку CertificateCard" in op["description"]
    assert "CertificateOut" in op["description"].split("CertificateCard", 1)[1]
    card = _schema("CertificateCard")["properties"]
    assert card["status"]["enum"] == ["pending_verification", "active", "suspended", "closed"]
    assert card["kind"]["enum"] == ["accounting", "funded"]


def test_children_and_the_ledger_are_named_pages_with_typed_items():
    for path, page, item in (("/children", "ChildPage", "ChildOut"),
                             ("/certificates/{certificate_id}/ledger", "LedgerPage", "LedgerEntryOut")):
        assert _answer(_op(path)) == {"$ref": REF + page}
        assert _schema(page)["properties"]["items"]["items"] == {"$ref": REF + item}
        assert {p["name"] for p in _op(path)["parameters"]} >= {"page", "page_size"}
    assert _schema("LedgerEntryOut")["properties"]["kind"]["enum"] == [
        "credit", "expire", "reserve", "release", "debit", "reversal"]


def test_one_child_is_readable_with_its_certificates_status():
    assert _answer(_op("/children/{child_id}")) == {"$ref": REF + "ChildOut"}
    status = _schema("ChildOut")["properties"]["certificate_status"]
    assert {"enum": ["pending_verification", "active", "suspended", "closed"], "type": "string"} in status["anyOf"]


def test_the_municipality_of_a_child_comes_from_the_installations_list():
    assert "GET /api/v1/municipalities" in _schema("ChildIn")["properties"]["municipality"]["description"]
    assert "municipality" in _op("/children", "post")["description"]


def test_the_rules_a_client_must_know_are_in_the_descriptions():
    add = _op("/children", "post")["description"]
    assert "на первом шаге" in add and "birth_date" in add
    assert "pending_verification" in _op("/children/{child_id}/certificate", "post")["description"]
    certificate = _schema("CertificateOut")["properties"]
    for field in ("balance", "expected_credit_kop", "funding_reason", "funding_note"):
        assert certificate[field].get("description"), field
    assert "активирует" in certificate["status"]["description"]
    for name in ("credited_kop", "expired_kop", "reserved_kop", "debited_kop", "reversed_kop", "available_kop"):
        assert _schema("BalanceOut")["properties"][name]["description"], name


def test_long_runs_answer_202_with_a_typed_run_to_poll():
    for path in ("/municipalities/{municipality}/periods/{year}/open",
                 "/municipalities/{municipality}/periods/{year}/close", "/certificates/close-adults"):
        op = _op(path, "post")
        assert set(op["responses"]) & {"200", "201"} == set()
        assert _answer(op, "202") == {"$ref": REF + "RunOut"}
        assert "Location" in op["responses"]["202"]["headers"]
        assert "202" in op["description"]
    for path in ("/municipalities/{municipality}/periods/{year}/runs/{run_id}", "/certificates/close-adults/{run_id}"):
        assert _answer(_op(path)) == {"$ref": REF + "RunOut"}
    run = _schema("RunOut")["properties"]
    assert run["status"]["enum"] == ["queued", "running", "done", "failed"]
    assert run["kind"]["enum"] == ["period_open", "period_close", "close_adults"]
    assert run["result"]["$ref"] == REF + "RunResult"


def test_the_months_ledger_report_names_every_kind():
    moved = _schema("LedgerMonthOut")["properties"]["moved_kop"]
    assert moved["$ref"] == REF + "MovedByKind"
    assert set(_schema("MovedByKind")["required"]) == {"credit", "expire", "reserve", "release", "debit", "reversal"}


def test_periods_live_under_their_municipality_and_the_ledger_report_takes_one():
    paths = _doc()["paths"]
    assert not [p for p in paths if p.startswith("/api/v1/periods")]
    put = _op("/municipalities/{municipality}/periods/{year}", "put")
    assert {p["name"] for p in put["parameters"]} == {"municipality", "year"}
    assert "403" in put["description"] and "422" in put["description"]
    report = _op("/reports/ledger")
    assert {p["name"] for p in report["parameters"]} == {"month", "municipality"}
    assert _schema("LedgerMonthOut")["properties"]["by_municipality"]["items"] == {
        "$ref": REF + "LedgerMunicipalityOut"}
    assert "municipality" in _schema("ContractDebit")["required"]
