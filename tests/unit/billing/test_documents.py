"""The contract documents without a database: the released templates are exactly as released,
the offer's and the notice's words (money, dates, weekdays, the rule, the dispute window), «не
указано» for what old data lacks, and billing refusing to start without its font or a template."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest

from pfdo_kit.document_templates import MANIFEST, TemplateProblem, TemplateShelf, file_sha256
from services.billing.domain.documents import (
    NOT_GIVEN,
    MonthSettlement,
    Parent,
    RegionTerms,
    ascii_filename,
    offer_context,
    termination_context,
)
from services.billing.flows.documents import ContractDocuments, DocumentsUnavailable
from services.billing.settings import SHIPPED_DOCUMENTS, BillingSettings
from tests.support.municipalities import TEST_MUNICIPALITIES
from tests.support.pdf import pdf_text

TERMS = RegionTerms("attended_share", 30, {"chegem": "Чегемский муниципальный район"})
REQUISITES = {"full_name": "Муниципальное бюджетное учреждение дополнительного образования «ДЮСШ Старт»",
              "kind": "municipal", "inn": "0712345678", "ogrn": "1020700000001", "kpp": "071201001",
              "licence_number": "Л035-01234-07/00123456", "licence_date": "2020-02-03",
              "legal_address": "КБР, г. Чегем, ул. Баксанская, 1", "bank_bik": "048327001",
              "bank_account": "03234643836450000400"}


@dataclass
class Month:
    month: str
    certificate_kop: int
    copay_kop: int
    planned_lessons: int


@dataclass
class Contract:
    number: str = "ДС-2026-000123"
    payer: str = "chegem"
    municipality: str = "chegem"
    program_title: str = "Шахматы для начинающих"
    program_register: str = "certified"
    provider_name: str = "ДЮСШ «Старт»"
    starts_on: date = date(2026, 9, 1)
    ends_on: date = date(2027, 5, 31)
    weekly_schedule: list = field(default_factory=lambda: [{"weekday": 3, "starts_at": "16:00", "minutes": 40},
                                                           {"weekday": 1, "starts_at": "15:00", "minutes": 45}])
    certificate_number: str | None = "0700000123"
    child_full_name: str | None = "Иванов Тимур Асланович"
    child_birth_date: date | None = date(2015, 3, 1)
    group_name: str | None = "Дебюты, Кумыков А. Б."
    venue: str | None = "г. Чегем, ул. Ленина, 5"
    terminated_on: date | None = None
    terminated_by: str | None = None
    end_reason: str | None = None


NINE_MONTHS = [Month(f"{2026 + (m > 12)}-{(m - 1) % 12 + 1:02d}", 123_456, 50_000 if m == 9 else 0, 8)
               for m in range(9, 18)]


def test_every_template_file_is_released_and_unchanged():
    """A released template is never edited: a changed text is a new version file in the manifest."""
    shelf = TemplateShelf(SHIPPED_DOCUMENTS)
    released = json.loads((SHIPPED_DOCUMENTS / MANIFEST).read_text(encoding="utf-8"))["released"]
    files = {str(p.relative_to(SHIPPED_DOCUMENTS)).removesuffix(".md.j2") for p in SHIPPED_DOCUMENTS.glob("*/*.md.j2")}
    assert files == set(released), "every template file is released in versions.json, and only those"
    for name, sha256 in released.items():
        assert file_sha256(shelf.path(name)) == sha256, f"{name} was edited after its release: add a new version"
        shelf.check(name)
    assert {name.split("/")[0] for name in released} >= {"standard", "kbr", "stavropol"}


def test_an_edited_or_unknown_template_is_refused(tmp_path):
    (tmp_path / "standard").mkdir()
    (tmp_path / "standard" / "offer-v1.md.j2").write_text("# Оферта\n", encoding="utf-8")
    (tmp_path / MANIFEST).write_text(json.dumps({"released": {"standard/offer-v1": "0" * 64}}), encoding="utf-8")
    shelf = TemplateShelf(tmp_path)
    with pytest.raises(TemplateProblem, match="edited after its release"):
        shelf.check("standard/offer-v1")
    with pytest.raises(TemplateProblem, match="not released"):
        shelf.check("standard/offer-v2")
    with pytest.raises(TemplateProblem, match="not <set>/<name>-v<N>"):
        shelf.check("../offer")


def test_the_offer_names_the_parties_each_month_and_the_rules():
    context = offer_context(Contract(), NINE_MONTHS, date(2026, 8, 28), REQUISITES,
                            Parent("Иванова Мадина Руслановна", "mother@example.ru"), TERMS)
    provider = context["provider"]
    assert (provider["inn"], provider["ogrn_label"], provider["kind"]) == (
        "0712345678", "ОГРН", "муниципальная организация")
    assert provider["licence"] == "№ Л035-01234-07/00123456 от 3\u00a0февраля 2020\u00a0г."
    assert context["offered_on"] == "28\u00a0августа 2026\u00a0г." and context["payer"] == "Чегемский муниципальный район"
    assert context["child"] == {"full_name": "Иванов Тимур Асланович", "birth_date": "1\u00a0марта 2015\u00a0г."}
    assert context["program"]["schedule"] == ["вторник, 15:00, 45 мин", "четверг, 16:00, 40 мин"]
    assert [m["name"] for m in context["months"]][:2] == ["сентябрь 2026\u00a0г.", "октябрь 2026\u00a0г."]
    assert len(context["months"]) == 9 and context["months"][0]["certificate"] == "1\u00a0234,56\u00a0₽"
    assert context["months"][0]["total"] == "1\u00a0734,56\u00a0₽"
    assert context["totals"]["certificate"] == "11\u00a0111,04\u00a0₽" and context["totals"]["has_copay"]
    assert context["dispute_window"] == "30\u00a0дней" and "пропорциональная посещённым" in context["rule"]
    full_month = offer_context(Contract(), NINE_MONTHS, date(2026, 8, 28), {**REQUISITES, "kind":
                               "individual_entrepreneur"}, None, RegionTerms("full_month", 21, {}))
    assert full_month["provider"]["ogrn_label"] == "ОГРНИП" and "вся доля" in full_month["rule"]
    assert full_month["dispute_window"] == "21\u00a0день" and full_month["payer"] == "chegem"


def test_old_data_reads_not_given_instead_of_failing():
    old = Contract(certificate_number=None, child_full_name=None, child_birth_date=None, group_name=None, venue=None,
                   weekly_schedule=[])
    context = offer_context(old, NINE_MONTHS[:1], date(2026, 8, 28), None, None, TERMS)
    assert context["provider"]["full_name"] == "ДЮСШ «Старт»"  # the name billing always had
    assert {context["provider"][k] for k in ("inn", "ogrn", "kpp", "licence", "legal_address", "bank_bik")} == {
        NOT_GIVEN}
    assert context["parent"] == {"full_name": NOT_GIVEN, "email": NOT_GIVEN}
    assert context["certificate_number"] == NOT_GIVEN and context["program"]["schedule"] == [NOT_GIVEN]


def test_the_notice_says_which_months_are_paid_and_what_goes_back():
    ended = Contract(terminated_on=date(2026, 10, 15), terminated_by="parent", end_reason="Переезд")
    months = [MonthSettlement("2026-09", 100_000, 8, 75_000), MonthSettlement("2026-10", 100_000, 9, None),
              MonthSettlement("2026-11", 100_000, 8, None), MonthSettlement("2026-12", 90_000, 7, None)]
    context = termination_context(ended, months, date(2026, 9, 1), datetime(2026, 10, 14, 12, tzinfo=UTC), TERMS)
    assert context["terminated_on"] == "15\u00a0октября 2026\u00a0г." and context["ended_by"] == "заказчик (семья)"
    assert [(m["name"], m["state"]) for m in context["paid"]] == [
        ("сентябрь 2026\u00a0г.", "списано 750,00\u00a0₽"),
        ("октябрь 2026\u00a0г.", "будет списано за занятия, оказанные по дату расторжения")]
    assert [m["name"] for m in context["returned"]] == ["ноябрь 2026\u00a0г.", "декабрь 2026\u00a0г."]
    assert context["returned_total"] == "1\u00a0900,00\u00a0₽" and context["reason"] == "Переезд"


def test_the_file_name_is_ascii():
    assert ascii_filename("offer", "ДС-2026-000123") == "offer-DS-2026-000123.pdf"


def _settings(**overrides) -> BillingSettings:
    return BillingSettings(database_url="postgresql://x/y", amqp_url="amqp://x", district="kbr",
                           municipalities=TEST_MUNICIPALITIES, **overrides)


def test_a_regional_offer_renders_with_every_party_and_the_dispute_window():
    docs = ContractDocuments.from_settings(_settings(offer_template="kbr/offer-v1", dispute_window_days=45))
    context = offer_context(Contract(), NINE_MONTHS, date(2026, 8, 28), REQUISITES,
                            Parent("Иванова Мадина Руслановна", "mother@example.ru"), docs.terms)
    pdf = docs.render("kbr/offer-v1", context, "Договор-оферта", datetime(2026, 8, 28, tzinfo=UTC)).pdf
    text = pdf_text(pdf)
    for words in ("Кабардино-Балкарской Республике", "0712345678", "Иванов Тимур Асланович", "0700000123",
                  "Иванова Мадина Руслановна", "1 234,56 ₽", "в течение 45 дней", "вторник, 15:00, 45 мин"):
        assert words in text, words


def test_billing_does_not_start_without_its_font_or_a_released_template(tmp_path, caplog):
    with pytest.raises(DocumentsUnavailable, match="DejaVuSans.ttf.*fonts-dejavu-core.*BILLING_DOCUMENT_FONT_DIR"):
        ContractDocuments.from_settings(_settings(document_font_dir=tmp_path))
    assert "billing cannot make contract documents" in caplog.text
    with pytest.raises(DocumentsUnavailable, match="kbr/offer-v9 is not released"):
        ContractDocuments.from_settings(_settings(offer_template="kbr/offer-v9"))
    from services.billing.app import create_app
    with pytest.raises(DocumentsUnavailable):
        create_app(_settings(document_font_dir=tmp_path / "nowhere", log_json=False))
