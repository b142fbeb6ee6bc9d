"""The call-log form's Python-built widgets render exactly what Django's templates (and FastSelect) render."""

import datetime as dt

import pytest
from django import forms

from isf.calls.widgets import (
    CallSelect,
    FastCheckboxInput,
    FastDateInput,
    FastHiddenInput,
    FastRadioSelect,
    FastTextarea,
)
from isf.core.widgets import FastSelect

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


@pytest.mark.parametrize("value", [None, "", "a&b", "3", 3, "x'y", ["a&b", 3]])
def test_call_select_renders_the_fast_select_markup(value):
    attrs = {"id": "id_g", "required": True, "data-x": '<">'}
    assert str(CallSelect(choices=CHOICES).render("g", value, attrs=attrs)) == str(
        FastSelect(choices=CHOICES).render("g", value, attrs=attrs))
