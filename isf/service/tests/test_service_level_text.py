"""Service levels read as a sentence in the page language, with the right plural (issue 21)."""

import pytest
from django.utils import translation

from isf.service.choices import service_level_text


@pytest.mark.parametrize("lang, value, unit, expected", [
    ("de", 4, "hours", "4 Geschäftsstunden"), ("de", 1, "hours", "1 Geschäftsstunde"),
    ("de", 1, "days", "1 Geschäftstag"), ("de", "2.5", "days", "2,5 Geschäftstage"),
    ("en", 1, "days", "1 business day"), ("en", 3, "days", "3 business days"), ("en", "1.50", "hours", "1.5 business hours"),
])
def test_service_level_names_its_unit_with_the_number(lang, value, unit, expected):
    with translation.override(lang):
        assert service_level_text(value, unit) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("lang, expected", [
    ("de", [("Produkte / Mengen", "Dübel"), ("Angebot benötigt bis", "27.12.2026"), ("Rabatt (%)", "2,5")]),
    ("en", [("Products / quantities", "Dübel"), ("Quote needed by", "27 Dec 2026"), ("Discount (%)", "2.5")]),
])
def test_an_orders_inputs_show_dates_and_numbers_in_the_page_language(lang, expected):
    from isf.service.models import ServiceCatalogEntry

    entry = ServiceCatalogEntry.objects.get(code="quote_prep")
    with translation.override(lang):
        shown = entry.inputs_shown({"products": "Dübel", "deadline": "2026-12-27", "discount_percent": "2.5"})
    assert shown == expected
