"""The Python-built widgets render exactly what Django's templates render."""

import datetime as dt

import pytest
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from isf.core.widgets import (
    FastCheckboxInput,
    FastDateInput,
    FastHiddenInput,
    FastRadioSelect,
    FastSelect,
    FastTextarea,
)

CHOICES = [("", "—"), ("a&b", 'Müller <"GmbH">'), (3, "drei"), ("x'y", "x & y")]


@pytest.mark.parametrize("fast, stock, value, attrs", [
    (FastRadioSelect(choices=CHOICES), forms.RadioSelect(choices=CHOICES), "a&b", {"id": "id_d", "required": True}),
    (FastRadioSelect(choices=CHOICES), forms.RadioSelect(choices=CHOICES), None, {"id": "id_d", "class": "x<y"}),
    (FastRadioSelect(choices=CHOICES), forms.RadioSelect(choices=CHOICES), 3, {}),
    (FastTextarea(attrs={"rows": 2}), forms.Textarea(attrs={"rows": 2}), 'Notiz <b>"fett"</b> & so', {"id": "id_n"}),
    (FastTextarea(attrs={"rows": 2}), forms.Textarea(attrs={"rows": 2}), None, {"id": "id_n", "required": True}),
    (FastCheckboxInput(), forms.CheckboxInput(), True, {"id": "id_c"}),
    (FastCheckboxInput(), forms.CheckboxInput(), False, {"id": "id_c", "disabled": True}),
    (FastCheckboxInput(), forms.CheckboxInput(), "on", {}),
    (FastDateInput(attrs={"type": "date"}, format="%Y-%m-%d"), forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
     dt.date(2026, 11, 28), {"id": "id_f"}),
    (FastDateInput(attrs={"type": "date"}, format="%Y-%m-%d"), forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
     None, {"id": "id_f", "required": False}),
    (FastHiddenInput(), forms.HiddenInput(), dt.datetime(2026, 11, 27, 9, 30, 5), {"id": "id_s"}),
    (FastHiddenInput(), forms.HiddenInput(), '"><script>', {}),
])
def test_fast_widgets_render_the_stock_markup(fast, stock, value, attrs):
    assert str(fast.render("field", value, attrs=attrs)) == str(stock.render("field", value, attrs=attrs))


def _select_with_django_helpers(widget, name, value, attrs):
    """The select as the first FastSelect built it, with Django's own escaping helpers: the reference."""
    selected = set(widget.format_value(value))
    options = format_html_join(
        "", '<option value="{}"{}>{}</option>',
        ((key, " selected" if key in selected else "", label)
         for key, label in ((("" if v is None else str(v)), label) for v, label in widget.choices)),
    )
    return format_html("<select{}>{}</select>", flatatt(widget.build_attrs(widget.attrs, {**(attrs or {}), "name": name})),
                       options)


@pytest.mark.parametrize("value", [None, "", "a&b", "3", 3, "x'y", ["a&b", 3]])
def test_fast_select_renders_what_djangos_escaping_helpers_render(value):
    attrs = {"id": "id_g", "required": True, "data-x": '<">'}
    widget = FastSelect(choices=CHOICES)
    assert str(widget.render("g", value, attrs=attrs)) == str(_select_with_django_helpers(widget, "g", value, attrs))
