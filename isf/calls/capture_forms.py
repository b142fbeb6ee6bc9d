"""The customer screen's "What the customer told us" form: a need, a new potential estimate, a new or changed contact.

Every part is optional; what is filled in is recorded together by ``isf.calls.capture_views`` through
``isf.customers.services`` (need_record, potential_record, contact_capture)."""

from functools import cache, partial

from django import forms
from django.utils.translation import gettext_lazy as _

from isf.calls.forms import ProductGroupField, group_choices
from isf.customers.choices import BuyingRole, NeedTiming, PotentialSource
from isf.customers.models import ProductGroup


class CaptureForm(forms.Form):
    need_group = ProductGroupField(label=_("Product group needed"), queryset=ProductGroup.objects.order_by("code"),
                                   required=False, empty_label="—")
    need_volume = forms.DecimalField(label=_("Expected volume (EUR a year)"), required=False, decimal_places=2,
                                     max_digits=14)
    need_timing = forms.ChoiceField(label=_("Timing"), choices=NeedTiming.choices, initial=NeedTiming.YEAR,
                                    required=False)
    need_note = forms.CharField(label=_("What exactly?"), required=False, max_length=300)
    potential = forms.DecimalField(label=_("New potential estimate (EUR a year)"), required=False, decimal_places=2,
                                   max_digits=16)
    potential_source = forms.ChoiceField(label=_("Source of the estimate"), choices=PotentialSource.choices,
                                         initial=PotentialSource.CALL, required=False)
    potential_note = forms.CharField(label=_("Basis of the estimate"), required=False, max_length=300)
    contact = forms.TypedChoiceField(label=_("Contact"), coerce=int, required=False, empty_value=None)
    contact_first_name = forms.CharField(label=_("First name"), required=False, max_length=100)
    contact_last_name = forms.CharField(label=_("Last name"), required=False, max_length=100)
    contact_function = forms.CharField(label=_("Function"), required=False, max_length=100)
    contact_role = forms.ChoiceField(label=_("Buying-center role"), choices=[("", "—"), *BuyingRole.choices],
                                     required=False)
    contact_email = forms.CharField(label=_("E-mail"), required=False, max_length=254)

    CONTACT_FIELDS = ("contact", "contact_first_name", "contact_last_name", "contact_function", "contact_role",
                      "contact_email")

    def __init__(self, *args, contacts=(), group_rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = [("", _("New contact")), *[(c["id"], c["name"]) for c in contacts]]
        if group_rows is not None:  # the call log form's groups, read once for the whole screen
            field = self.fields["need_group"]
            field.choices = cache(partial(group_choices, field.empty_label, group_rows))

    def has_need(self) -> bool:
        d = self.cleaned_data
        return bool(d.get("need_group") or d.get("need_volume") is not None or d.get("need_note"))

    def has_potential(self) -> bool:
        return self.cleaned_data.get("potential") is not None

    def has_contact(self) -> bool:
        d = self.cleaned_data
        return any(d.get(f) for f in self.CONTACT_FIELDS)

    def clean(self):
        data = super().clean()
        if not self.errors and not (self.has_need() or self.has_potential() or self.has_contact()):
            raise forms.ValidationError(_("Fill in a need, a potential or a contact."))
        return data
