"""FastSelect renders what Django's Select renders: same attributes, options, escaping and selection."""

import pytest
from django import forms
from django.test.html import parse_html

from isf.core.widgets import FastSelect

CHOICES = [("", "—"), ("x", "X <script>alert(1)</script>"), ("y", "Ärger & Co"), (3, "Drei")]


def pair(**field_kwargs):
    class Stock(forms.Form):
        f = forms.ChoiceField(choices=CHOICES, **field_kwargs)

    class Fast(forms.Form):
        f = forms.ChoiceField(choices=CHOICES, widget=FastSelect, **field_kwargs)

    return Stock, Fast


@pytest.mark.parametrize("data, initial", [(None, None), ({"f": "y"}, None), ({"f": "3"}, None), (None, {"f": "x"}),
                                           ({"f": "nope"}, None)])
@pytest.mark.parametrize("required", [True, False])
def test_markup_equals_the_stock_widget(data, initial, required):
    stock, fast = pair(required=required)
    a, b = stock(data=data, initial=initial), fast(data=data, initial=initial)
    assert parse_html(str(a["f"])) == parse_html(str(b["f"]))
    assert "<script>" not in str(b["f"]) and "&lt;script&gt;" in str(b["f"])


@pytest.mark.django_db
def test_model_choices_select_the_instance():
    from isf.customers.models import ProductGroup

    g1 = ProductGroup.objects.create(code="BEF", name="Befestigung")
    g2 = ProductGroup.objects.create(code="WZ", name="Werkzeug")

    class Fast(forms.Form):
        g = forms.ModelChoiceField(queryset=ProductGroup.objects.order_by("pk"), widget=FastSelect, empty_label="keine")

    html = str(Fast(initial={"g": g2.pk})["g"])
    assert f'<option value="{g2.pk}" selected>Werkzeug</option>' in html
    assert f'<option value="{g1.pk}">Befestigung</option>' in html and '<option value="">keine</option>' in html
