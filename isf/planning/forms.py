from django import forms
from django.utils.translation import gettext_lazy as _


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("reached", _("Reached")),
            ("not_reached", _("Not reached")),
            ("done", _("Done")),
            ("appointment", _("Appointment set")),
            ("quote", _("Quote requested")),
            ("sale", _("Sale")),
            ("not_interested", _("Not interested")),
        ],
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RescheduleForm(forms.Form):
    due_at = forms.DateTimeField(label=_("New due date"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    reason = forms.CharField(label=_("Reason"), max_length=200)
