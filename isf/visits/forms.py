"""The phone form of a visit report: flat fields, parsed into a VisitReportInput."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isf.customers.choices import BuyingRole
from isf.visits.choices import ChangeKind, ContactChangeKind

COMPETITOR_ROWS = 3


class VisitReportForm(forms.Form):
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=40)
    account = forms.IntegerField(widget=forms.HiddenInput, required=False)
    task = forms.IntegerField(widget=forms.HiddenInput, required=False)
    visit_date = forms.DateField(label=_("Visit date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    visit_type = forms.ChoiceField(label=_("Visit type"), required=False)
    contacts = forms.TypedMultipleChoiceField(label=_("Contacts met"), coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    new_contact_first = forms.CharField(label=_("First name"), required=False, max_length=100)
    new_contact_last = forms.CharField(label=_("Last name"), required=False, max_length=100)
    new_contact_function = forms.CharField(label=_("Function"), required=False, max_length=100)
    new_contact_role = forms.ChoiceField(label=_("Buying-center role"), required=False,
                                         choices=[("", "—"), *BuyingRole.choices])
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    needs = forms.CharField(label=_("Needs"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    potential_estimate = forms.DecimalField(label=_("Estimated annual potential (EUR)"), required=False,
                                            max_digits=14, decimal_places=2)
    change_kind = forms.ChoiceField(label=_("What changed"), required=False, choices=[("", "—"), *ChangeKind.choices])
    change_description = forms.CharField(label=_("Description"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 2}))
    contact_change_contact = forms.TypedChoiceField(label=_("Contact"), coerce=int, required=False, empty_value=None)
    contact_change_kind = forms.ChoiceField(label=_("Change"), required=False,
                                            choices=[("", "—"), *ContactChangeKind.choices])
    contact_change_date = forms.DateField(label=_("Effective date"), required=False,
                                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    agreements = forms.CharField(label=_("Agreements"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_steps = forms.CharField(label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    follow_up = forms.ChoiceField(label=_("Order from inside sales"), required=False)
    follow_up_note = forms.CharField(label=_("Note for inside sales"), required=False, max_length=500)

    def __init__(self, *args, contacts=(), visit_types=(), follow_ups=(), **kwargs):
        super().__init__(*args, **kwargs)
        contact_choices = [(c.pk, f"{c} · {c.function}" if c.function else str(c)) for c in contacts]
        self.fields["contacts"].choices = contact_choices
        self.fields["contact_change_contact"].choices = [("", "—"), *contact_choices]
        self.fields["visit_type"].choices = [(t.code, t.name) for t in visit_types]
        self.fields["follow_up"].choices = [("", _("no follow-up")), *follow_ups]
        for i in range(1, COMPETITOR_ROWS + 1):
            self.fields[f"competitor_{i}"] = forms.CharField(label=_("Competitor"), required=False, max_length=100)
            self.fields[f"competitor_share_{i}"] = forms.IntegerField(
                label=_("Share (%)"), required=False, min_value=0, max_value=100)
        self.fields["visit_date"].initial = timezone.localdate()
        default = next((t.code for t in visit_types if t.is_default), None)
        if default:
            self.fields["visit_type"].initial = default

    def competitor_rows(self):
        return [(self[f"competitor_{i}"], self[f"competitor_share_{i}"]) for i in range(1, COMPETITOR_ROWS + 1)]
