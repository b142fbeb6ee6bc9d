from datetime import datetime, time, timedelta
from functools import cache, partial

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isf.calls.choices import CallOutcome, Direction
from isf.core.language import in_language
from isf.core.widgets import (
    FastCheckboxInput,
    FastDateInput,
    FastHiddenInput,
    FastRadioSelect,
    FastSelect,
    FastTextarea,
)
from isf.customers.models import ProductGroup


def group_name(group: ProductGroup) -> str:
    """The product group's name in the active language (German name when no English one is kept)."""
    return in_language(group.name, group.name_en)


def group_rows() -> list[tuple]:
    """Every product group as (id, name in the active language), by code: one query."""
    return [(pk, in_language(name, name_en)) for pk, name, name_en in
            ProductGroup.objects.order_by("code").values_list("pk", "name", "name_en")]


def group_choices(empty_label, rows=group_rows) -> list[tuple]:
    """The choices of every product group, as the field's queryset would give them (by code); no empty choice
    when ``empty_label`` is None. ``rows`` gives the groups (a cached ``group_rows`` shares one query)."""
    return [*([("", empty_label)] if empty_label is not None else []), *rows()]


class ProductGroupField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return group_name(obj)


class CallLogForm(forms.Form):
    """Log a call from the customer screen: a few clicks, all optional but outcome."""

    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices, initial=Direction.INBOUND,
                                  widget=FastRadioSelect)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *CallOutcome.choices], widget=FastSelect)
    contact = forms.TypedChoiceField(label=_("Contact"), coerce=int, required=False, empty_value=None,
                                     widget=FastSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=FastTextarea(attrs={"rows": 2}))
    cross_sell_group = ProductGroupField(label=_("Cross-sell offered"), queryset=ProductGroup.objects.all(),
                                         required=False, empty_label=_("none"), widget=FastSelect)
    cross_sell_accepted = forms.BooleanField(label=_("Customer accepted the offer"), required=False,
                                             widget=FastCheckboxInput)
    order_value = forms.DecimalField(label=_("Order value (EUR)"), required=False, min_value=0,
                                     max_value=9_999_999_999, decimal_places=2, localize=True,
                                     widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    order_groups = forms.TypedMultipleChoiceField(label=_("Product groups ordered"), coerce=int, required=False,
                                                  widget=forms.SelectMultiple(attrs={"size": 4}))
    follow_up = forms.BooleanField(label=_("Call back"), required=False, widget=FastCheckboxInput)
    follow_up_date = forms.DateField(label=_("Call back on"), required=False,
                                     widget=FastDateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    service = forms.ChoiceField(label=_("Service order for inside sales"), required=False, widget=FastSelect)
    started_at = forms.DateTimeField(widget=FastHiddenInput, required=False)
    call_id = forms.CharField(widget=FastHiddenInput, required=False, max_length=100)  # the phone system's call
    tasks = forms.TypedMultipleChoiceField(label=_("Open tasks this call took care of"), coerce=int, required=False,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, contacts=(), services=(), suggestions=(), task_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].choices = [(pk, str(pk)) for pk in task_ids]
        self.fields["contact"].choices = [("", "—"), *[(c["id"], c["name"]) for c in contacts]]
        self.fields["service"].choices = [("", "—"), *[(s["code"], s["name"]) for s in services]]
        if not services:
            del self.fields["service"]
        rows = self.group_rows = cache(group_rows)  # one query for every group list on the screen, when rendered
        if suggestions:
            # only the suggested groups can be offered; their names (in the page language) come with the
            # suggestions, so the choices need no query, in the order of the group codes like the queryset's
            field = self.fields["cross_sell_group"]
            field.queryset = ProductGroup.objects.filter(pk__in=[s["group_id"] for s in suggestions])
            field.choices = [("", field.empty_label), *[(s["group_id"], s["group"]) for s in
                                                        sorted(suggestions, key=lambda s: s["code"]) if s["code"]]]
        else:  # every group: one plain query when rendered (iterating the queryset opens a cursor per form)
            field = self.fields["cross_sell_group"]
            field.choices = cache(partial(group_choices, field.empty_label, rows))
        self.fields["order_groups"].choices = cache(partial(group_choices, None, rows))
        self.fields["follow_up_date"].initial = timezone.localdate() + timedelta(days=1)

    def clean(self):
        data = super().clean()
        if data.get("follow_up") and not data.get("follow_up_date"):
            self.add_error("follow_up_date", _("Give the date of the call back."))
        if data.get("cross_sell_accepted") and not data.get("cross_sell_group"):
            self.add_error("cross_sell_group", _("Choose the product group the customer accepted."))
        if data.get("outcome") and data.get("outcome") != CallOutcome.ORDER:
            if data.get("order_value") is not None:
                self.add_error("order_value", _("Only a call with the outcome \"Order taken\" has an order value."))
            if data.get("order_groups"):
                self.add_error("order_groups", _("Only a call with the outcome \"Order taken\" has product groups."))
        return data

    def ordered_groups(self) -> list[ProductGroup]:
        return list(ProductGroup.objects.filter(pk__in=self.cleaned_data.get("order_groups") or ()))

    def follow_up_due(self):
        if not self.cleaned_data.get("follow_up"):
            return None
        day = self.cleaned_data["follow_up_date"]
        return timezone.make_aware(datetime.combine(day, time(9, 0)))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Phone, customer number or name"), required=False)
