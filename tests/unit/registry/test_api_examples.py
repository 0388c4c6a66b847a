"""The registry document's examples are what the registry accepts, and its enums are the domain's."""
from datetime import date
from typing import get_args

from services.registry.api.schemas import AgreementIn, ProviderIn
from services.registry.domain.changes import ChangeAction
from services.registry.domain.provider_rules import ORGANISATION_KINDS, ProviderKind, Requisites, requisites_errors
from services.registry.domain.statuses import TRANSITIONS, ProviderStatus
from tests.unit.api.documents import service_document


def example_of(model) -> dict:
    return {name: field.examples[0] for name, field in model.model_fields.items() if field.examples}


def test_the_provider_example_passes_every_requisites_check():
    body = ProviderIn.model_validate(example_of(ProviderIn))
    assert set(example_of(ProviderIn)) == set(ProviderIn.model_fields)
    errors = requisites_errors(Requisites(
        kind=body.kind, inn=body.inn, ogrn=body.ogrn, kpp=body.kpp, bank_bik=body.bank_bik,
        bank_account=body.bank_account, teaches_alone=body.teaches_alone, licence_number=body.licence_number,
        licence_date=body.licence_date), date(2026, 11, 23))
    assert errors == []
    AgreementIn.model_validate(example_of(AgreementIn))


def test_the_enums_are_the_domains():
    assert set(get_args(ProviderStatus)) == TRANSITIONS.statuses()
    assert set(get_args(ProviderKind)) == ORGANISATION_KINDS | {"individual_entrepreneur"}
    assert set(TRANSITIONS) | {"submit", "payment_agreement", "agreement", "add_venue"} == set(get_args(ChangeAction))


def test_each_decision_is_described_with_its_own_moves():
    doc = service_document("registry")
    suspend = doc["paths"]["/api/v1/providers/{provider_id}/suspend"]["post"]
    assert "из статуса `approved` (допущен) в `suspended`" in suspend["description"]
    assert "обязательна" in suspend["description"]
    approve = doc["paths"]["/api/v1/providers/{provider_id}/approve"]["post"]
    assert "Тело не обязательно" in approve["description"]
