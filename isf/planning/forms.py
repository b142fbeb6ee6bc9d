from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isf.planning.choices import USER_OUTCOMES, TaskOutcome, user_outcomes


def _product_groups():
    from isf.calls.forms import group_choices

    return group_choices(None)


class CompleteForm(forms.Form):
    """Complete a task; with the outcome "sale" on a call, the order's value and product groups too (they go to a
    call log with the outcome "order taken", isf.calls.services.task_complete_with_order)."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=[(o.value, o.label) for o in USER_OUTCOMES])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    order_value = forms.DecimalField(label=_("Order value (EUR)"), required=False, min_value=0,
                                     max_value=9_999_999_999, decimal_places=2, localize=True,
                                     widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    order_groups = forms.TypedMultipleChoiceField(label=_("Product groups ordered"), coerce=int, required=False,
                                                  choices=_product_groups,
                                                  widget=forms.SelectMultiple(attrs={"size": 4}))

    def __init__(self, *args, kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(o.value, o.label) for o in user_outcomes(kind)]

    def clean(self):
        data = super().clean()
        if data.get("outcome") and data["outcome"] != TaskOutcome.SALE:
            if data.get("order_value") is not None:
                self.add_error("order_value", _("Only the outcome \"Sale\" has an order value."))
            if data.get("order_groups"):
                self.add_error("order_groups", _("Only the outcome \"Sale\" has product groups."))
        return data


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
