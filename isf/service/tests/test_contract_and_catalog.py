"""Contract versions and acceptance by both leads, catalog edits with history, the contract PDF."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from isf.service import contracts
from isf.service.decisions import active_contract
from isf.service.errors import ContractError
from isf.service.models import ServiceCatalogEntry, ServiceContract

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def draft(people):
    entry = ServiceCatalogEntry.objects.get(code="quote_prep")
    return contracts.contract_save(
        user=people["vl"], data={"period": "2031", "valid_from": date(2031, 1, 1), "valid_to": date(2031, 12, 31),
                                 "max_discount_percent": Decimal("5"), "max_goodwill_eur": Decimal("500"),
                                 "max_payment_term_days": 14, "due_soon_fraction": Decimal("0.75")},
        lines=[{"service": entry, "target_value": Decimal("6"), "target_unit": "hours", "expected_monthly_volume": 40}])


def test_contract_is_in_force_only_when_both_leads_accepted(people):
    contract = draft(people)
    assert (contract.period, contract.version) == ("2031", 1)
    assert active_contract(date(2031, 3, 1)) is None
    contracts.contract_accept(user=people["vl"], contract=contract)
    assert active_contract(date(2031, 3, 1)) is None
    with pytest.raises(ContractError, match="^Only the sales lead and the inside-sales lead accept the contract.$"):
        contracts.contract_accept(user=people["agent"], contract=contract)
    contracts.contract_accept(user=people["idl"], contract=contract)
    assert active_contract(date(2031, 3, 1)) == contract
    assert active_contract(date(2032, 1, 1)) is None


def test_accepted_contract_is_changed_only_by_a_new_version(people):
    contract = draft(people)
    contracts.contract_accept(user=people["vl"], contract=contract)
    contracts.contract_accept(user=people["idl"], contract=contract)
    with pytest.raises(ContractError) as exc:
        contracts.contract_save(user=people["vl"], contract=contract, data={"max_discount_percent": Decimal("8")})
    assert exc.value.rule == "contract.accepted"
    contract.refresh_from_db()
    assert contract.max_discount_percent == Decimal("5")
    v2 = contracts.contract_new_version(user=people["idl"], contract=contract)
    assert (v2.version, v2.is_accepted, v2.lines.get().expected_monthly_volume) == (2, False, 40)
    contracts.contract_save(user=people["vl"], contract=v2, data={"max_discount_percent": Decimal("7")})
    assert active_contract(date(2031, 3, 1)) == contract  # v2 not yet accepted
    contracts.contract_accept(user=people["vl"], contract=v2)
    contracts.contract_accept(user=people["idl"], contract=v2)
    assert active_contract(date(2031, 3, 1)) == v2
    assert v2.history.count() >= 3


def test_one_sided_acceptance_is_reset_by_an_edit(people):
    contract = draft(people)
    contracts.contract_accept(user=people["vl"], contract=contract)
    contracts.contract_save(user=people["idl"], contract=contract, data={"notes": "Neue Fassung"})
    contract.refresh_from_db()
    assert contract.accepted_by_vl is None


def test_catalog_edit_by_lead_is_recorded_and_refused_for_agents(people, client):
    entry = ServiceCatalogEntry.objects.get(code="quote_prep")
    with pytest.raises(ContractError):
        contracts.catalog_entry_save(user=people["agent"], entry=entry, data={"effort_minutes": 5})
    contracts.catalog_entry_save(user=people["idl"], entry=entry, data={"effort_minutes": 50})
    record = entry.history.first()
    assert (record.effort_minutes, record.history_user) == (50, people["idl"])
    client.force_login(people["vl"])
    response = client.post(f"/service/catalog/{entry.code}/edit/", {
        "name_de": entry.name_de, "name_en": entry.name_en, "description_de": "", "description_en": "",
        "target_value": "6", "target_unit": "hours", "effort_minutes": "40", "sort_order": "20", "active": "on",
        "inputs_text": "products | textarea | required | Produkte | Products",
        "steps_text": "Prüfen | Check\nSenden | Send"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.target_value == Decimal("6") and entry.process_steps == [{"de": "Prüfen", "en": "Check"},
                                                                          {"de": "Senden", "en": "Send"}]
    page = client.get(f"/service/catalog/{entry.code}/")
    assert "Change history" in page.content.decode() or "Änderungsverlauf" in page.content.decode()
    client.force_login(people["agent"])
    assert client.get(f"/service/catalog/{entry.code}/edit/").status_code == 403


@pytest.mark.browser
def test_contract_pdf_is_a_real_pdf(people, contract, client):
    import shutil

    from isf.service.pdf import CHROMIUM, contract_pdf

    if not (shutil.os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("Chromium not installed")
    data = contract_pdf(contract)
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    assert len(data) > 5000
    client.force_login(people["idl"])
    response = client.get(f"/service/contracts/{contract.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")


def test_contract_pages_for_leads(people, contract, client):
    client.force_login(people["vl"])
    assert client.get("/service/contracts/").status_code == 200
    page = client.get(f"/service/contracts/{contract.pk}/")
    assert page.status_code == 200 and b'data-testid="max-discount"' in page.content
    assert client.get("/service/contracts/new/").status_code == 200
    client.force_login(people["agent"])
    assert client.get(f"/service/contracts/{contract.pk}/").status_code == 403
    assert ServiceContract.objects.count() == 1


def test_contract_lines_read_numbers_as_typed_on_a_german_page_and_refuse_the_rest(people):
    from django.utils import translation

    entry = ServiceCatalogEntry.objects.get(code="quote_prep")
    contract = draft(people)
    with translation.override("de"):
        contracts.contract_save(user=people["vl"], contract=contract, data={}, lines=[
            {"service": entry, "target_value": "1,5", "target_unit": "days", "expected_monthly_volume": "1.200"}])
        line = contract.lines.get(service=entry)
        assert (line.target_value, line.expected_monthly_volume) == (Decimal("1.5"), 1200)
        with pytest.raises(ContractError) as exc:
            contracts.contract_save(user=people["vl"], contract=contract, data={}, lines=[
                {"service": entry, "target_value": "1,5", "expected_monthly_volume": "12,5"}])
        assert exc.value.message == f"„12,5“ in „Erwartet pro Monat“ von {entry.name} ist keine gültige Zahl."
    assert exc.value.field == "lines.quote_prep"
    assert contract.lines.get(service=entry).expected_monthly_volume == 1200
