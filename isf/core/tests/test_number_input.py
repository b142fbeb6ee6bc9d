"""Numbers typed into forms are read in the page's language; ambiguous or malformed ones are refused (issue 21)."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from isf.core.numbers import NumberParseError, parse_number


@pytest.mark.parametrize("lang, text, expected", [
    ("de", "300.000", Decimal("300000")), ("de", "1.234,56", Decimal("1234.56")), ("de", "12,5", Decimal("12.5")),
    ("de", "1234,56", Decimal("1234.56")), ("de", "0,125", Decimal("0.125")), ("de", "-3", Decimal("-3")),
    ("de", "1.234.567", Decimal("1234567")), ("de", "1 234,5 €", Decimal("1234.5")), ("de", "80 %", Decimal("80")),
    ("en", "300,000", Decimal("300000")), ("en", "1,234.56", Decimal("1234.56")), ("en", "12.5", Decimal("12.5")),
    ("en", ".5", Decimal("0.5")), ("en", "1,234,567.1", Decimal("1234567.1")),
])
def test_numbers_read_with_the_page_languages_separators(lang, text, expected):
    assert parse_number(text, language=lang) == expected


@pytest.mark.parametrize("lang, text, reason", [
    ("de", "1,500", "is ambiguous"), ("en", "1.500", "is ambiguous"), ("en", "300.000", "is ambiguous"),
    ("de", "1.5", "has a thousands separator in the wrong place"),
    ("en", "12,5", "has a thousands separator in the wrong place"),
    ("de", "1,2,3", "has more than one decimal separator"), ("de", "12a", "is not a number"),
    ("de", "", "is not a number"), ("de", "1e5", "is not a number"), ("de", "NaN", "is not a number"),
    ("de", "١٢", "is not a number"), ("de", "1 234.5", "mixes spaces and separators between the thousands"),
])
def test_malformed_or_ambiguous_numbers_are_refused(lang, text, reason):
    with pytest.raises(NumberParseError) as exc:
        parse_number(text, language=lang)
    assert exc.value.reason == reason


class Sample(forms.Form):
    potential = forms.DecimalField(label="Potential (EUR)", max_digits=14, decimal_places=2)
    visits = forms.IntegerField(label="Visits", required=False)
    share = forms.FloatField(label="Share", required=False)


def test_form_fields_read_german_numbers_and_render_text_inputs():
    with translation.override("de"):
        form = Sample(data={"potential": "300.000", "visits": "1.200", "share": "0,25"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data == {"potential": Decimal("300000"), "visits": 1200, "share": 0.25}
        html = str(Sample(initial={"potential": Decimal("1234.50")})["potential"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'value="1.234,50"' in html


def test_form_fields_read_english_numbers():
    with translation.override("en"):
        form = Sample(data={"potential": "1,234.56", "visits": "1,200"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["potential"] == Decimal("1234.56") and form.cleaned_data["visits"] == 1200


def test_refused_numbers_name_the_field_by_its_label():
    with translation.override("en"):
        form = Sample(data={"potential": "300.000", "visits": "1,5", "share": "abc"})
        assert not form.is_valid()
        assert form.errors["potential"] == [
            "“300.000” in “Potential (EUR)” is ambiguous: write 1,500 for one thousand five hundred and 1,234.56 "
            "for a number with decimals."]
        assert form.errors["visits"] == ["Enter “Visits” as a number such as 1,234.56; “1,5” is not one."]
    with translation.override("de"):
        form = Sample(data={"potential": "12,5", "visits": "2,5"})
        assert not form.is_valid()
        assert form.errors["visits"] == ["„Visits“ nimmt nur ganze Zahlen; „2,5“ ist keine."]


def test_the_browsers_number_input_is_read_as_the_browser_sends_it():
    class Admin(forms.Form):
        amount = forms.DecimalField(widget=forms.NumberInput)

    with translation.override("de"):
        form = Admin(data={"amount": "1234.5"})
        assert form.is_valid() and form.cleaned_data["amount"] == Decimal("1234.5")


def test_template_filters_show_figures_with_separators_in_the_page_language():
    from datetime import date

    from django.template import Context, Template

    template = Template("{{ n|number }} {{ f|number }} {{ s|number }} {{ a|amount:2 }} {{ d|weekday_date }} "
                        "{{ d|iso_week }}")
    values = Context({"n": 6411, "f": 2.4, "s": "SA-000031", "a": Decimal("21692.7"), "d": date(2026, 12, 7)})
    with translation.override("de"):
        assert template.render(values) == "6.411 2,4 SA-000031 21.692,70 € Mo 07.12.2026 KW 50/2026"
    with translation.override("en"):
        assert template.render(values) == "6,411 2.4 SA-000031 21,692.70 € Mon 7 Dec 2026 week 50/2026"


def test_typed_text_is_escaped_and_marked_as_not_to_translate():
    from django.template import Context, Template

    html = Template("{{ note|typed }}|{{ empty|typed }}").render(Context({"note": "<b>Rückruf</b> 2026-12-08",
                                                                          "empty": ""}))
    assert html == '<span translate="no">&lt;b&gt;Rückruf&lt;/b&gt; 2026-12-08</span>|'


def test_stored_history_lines_show_iso_dates_in_the_page_language():
    from django.template import Context, Template

    template = Template("{{ note|local_dates }}")
    note = Context({"note": "2026-12-07 14:00 → 2026-12-08 09:00: Kunde krank"})
    with translation.override("de"):
        assert template.render(note) == "07.12.2026 14:00 → 08.12.2026 09:00: Kunde krank"
    with translation.override("en"):
        assert template.render(note) == "7 Dec 2026, 14:00 → 8 Dec 2026, 09:00: Kunde krank"
