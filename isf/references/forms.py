from django import forms
from django.utils.translation import gettext_lazy as _

from isf.calls.forms import group_choices
from isf.core.widgets import FastDateInput
from isf.customers.choices import Industry


def _date_field(label, required=False):
    return forms.DateField(label=label, required=required,
                           widget=FastDateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class AccountField(forms.CharField):
    """The customer by his customer number (the view looks it up among the accounts the user may see)."""

    def __init__(self, **kwargs):
        super().__init__(label=_("Customer number"), max_length=30, **kwargs)


class ReferenceCaseForm(forms.Form):
    customer = AccountField()
    title = forms.CharField(label=_("Title"), max_length=200)
    product_groups = forms.TypedMultipleChoiceField(label=_("Product groups"), coerce=int,
                                                    choices=lambda: group_choices(None),
                                                    widget=forms.SelectMultiple(attrs={"size": 6}))
    industry = forms.ChoiceField(label=_("Industry (empty: the customer's)"), required=False,
                                 choices=[("", "—"), *Industry.choices])
    challenge = forms.CharField(label=_("Starting point"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 4}))
    approved_on = _date_field(_("Approved by the customer on"))
    approved_by = forms.CharField(label=_("Approved by (name, function)"), required=False, max_length=200)


class PressFindingForm(forms.Form):
    customer = AccountField()
    published_on = _date_field(_("Published on"), required=True)
    publication = forms.CharField(label=_("Publication"), max_length=200)
    headline = forms.CharField(label=_("Headline"), max_length=300)
    url = forms.CharField(label=_("Link"), required=False, max_length=500)
    note = forms.CharField(label=_("What it means for us"), required=False, max_length=500)
