from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isf.planning.choices import USER_OUTCOMES


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[(o.value, o.label) for o in USER_OUTCOMES])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RescheduleForm(forms.Form):
    due_at = forms.DateTimeField(label=_("New due date"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def clean_due_at(self):
        due_at = self.cleaned_data["due_at"]
        if due_at < timezone.now():
            raise forms.ValidationError(_("The new due date must not be in the past."), code="past")
        return due_at


class KindWeightsForm(forms.Form):
    """One weight (0-100) per kind of work; initial values are the team's current weights."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label, weight, default in rows:
            self.fields[kind] = forms.IntegerField(
                label=label, min_value=0, max_value=100, initial=weight,
                help_text=_("default %(default)s") % {"default": default})
