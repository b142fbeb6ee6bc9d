from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from isf.segmentation.choices import RuleCustomerType
from isf.segmentation.models import Segment
from isf.segmentation.rules import BEHAVIOUR_FIELDS, RuleSpec, rule_errors


class SegmentForm(forms.ModelForm):
    class Meta:
        model = Segment
        fields = ["code", "name_de", "name_en", "precedence", "care_budget", "team", "criteria", "particularities"]
        widgets = {"criteria": forms.Textarea(attrs={"rows": 3}), "particularities": forms.Textarea(attrs={"rows": 3})}

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean_care_budget(self):
        budget = self.cleaned_data.get("care_budget")
        if budget is not None and budget < 0:
            raise forms.ValidationError(_("The care budget per account and year must not be negative."),
                                        code="negative_budget")
        return budget


def _money_field(label):
    return forms.DecimalField(label=label, required=False, min_value=0, max_digits=14, decimal_places=2)


def _figure_field(label, digits, places):
    return forms.DecimalField(label=label, required=False, max_digits=digits, decimal_places=places)


class RuleForm(forms.Form):
    revenue_min = _money_field(_("revenue 12 months from (EUR)"))
    revenue_max = _money_field(_("revenue 12 months below (EUR)"))
    potential_min = _money_field(_("potential from (EUR)"))
    potential_max = _money_field(_("potential below (EUR)"))
    customer_type = forms.ChoiceField(label=_("customer type"), choices=RuleCustomerType.choices,
                                      initial=RuleCustomerType.ANY)
    # buying behaviour: the bounds are checked by rules.rule_errors (negative, above 100 %, from ≥ below)
    orders_min = _figure_field(_("orders a year from"), 7, 1)
    orders_max = _figure_field(_("orders a year below"), 7, 1)
    order_value_min = _figure_field(_("average order value from (EUR)"), 14, 2)
    order_value_max = _figure_field(_("average order value below (EUR)"), 14, 2)
    trend_min = _figure_field(_("revenue trend from (%)"), 7, 1)
    trend_max = _figure_field(_("revenue trend below (%)"), 7, 1)
    phone_share_min = _figure_field(_("orders by phone from (%)"), 4, 1)
    phone_share_max = _figure_field(_("orders by phone below (%)"), 4, 1)

    BASE_FIELDS = ("revenue_min", "revenue_max", "potential_min", "potential_max", "customer_type")

    def base_fields_bound(self):
        return [self[f] for f in self.BASE_FIELDS]

    def behaviour_fields_bound(self):
        return [self[f] for f in BEHAVIOUR_FIELDS]

    def clean(self):
        data = super().clean()
        spec = RuleSpec("", 0, **{f: data.get(f) for f in ("revenue_min", "revenue_max", "potential_min",
                                                           "potential_max", *BEHAVIOUR_FIELDS)},
                        customer_type=data.get("customer_type") or RuleCustomerType.ANY)
        for field, message in rule_errors(spec):
            self.add_error(field, message)
        return data


# absolute_max: a posted TOTAL_FORMS of a million builds 6 forms, not max_num + 1000
RuleFormSet = forms.formset_factory(RuleForm, extra=1, can_delete=True, max_num=6, validate_max=True, absolute_max=6)


class OverrideForm(forms.Form):
    segment = forms.ModelChoiceField(label=_("segment"), queryset=Segment.objects.order_by("precedence", "code"),
                                     empty_label=None)
    reason = forms.CharField(label=_("reason"), max_length=300)
    valid_until = forms.DateField(label=_("valid until"), required=False, help_text=_("Empty: until ended"),
                                  widget=forms.DateInput(attrs={"type": "date"}))


class AbcParamsForm(forms.Form):
    a_share = forms.IntegerField(label=_("A: share of revenue (%)"), min_value=1, max_value=98, initial=80)
    b_share = forms.IntegerField(label=_("B: further share of revenue (%)"), min_value=1, max_value=98, initial=15)

    def clean(self):
        data = super().clean()
        if data.get("a_share") and data.get("b_share") and data["a_share"] + data["b_share"] >= 100:
            self.add_error("b_share", _("A and B together must stay below 100 %."))
        return data


class AbcApplyForm(forms.Form):
    threshold_a = forms.DecimalField(label=_("A from revenue (EUR)"), min_value=Decimal("0.01"), decimal_places=2,
                                     max_digits=14)
    threshold_b = forms.DecimalField(label=_("B from revenue (EUR)"), min_value=Decimal("0.01"), decimal_places=2,
                                     max_digits=14)
    segment_a = forms.ModelChoiceField(label=_("segment for A"), queryset=Segment.objects.all(), required=False,
                                       empty_label=_("– none –"))
    segment_b = forms.ModelChoiceField(label=_("segment for B"), queryset=Segment.objects.all(), required=False,
                                       empty_label=_("– none –"))
    segment_c = forms.ModelChoiceField(label=_("segment for C"), queryset=Segment.objects.all(), required=False,
                                       empty_label=_("– none –"))

    def clean(self):
        data = super().clean()
        a, b = data.get("threshold_a"), data.get("threshold_b")
        if a is not None and b is not None and a <= b:
            self.add_error("threshold_a", _("The A threshold must be above the B threshold."))
        return data


class PortfolioForm(forms.Form):
    max_sow = forms.IntegerField(label=_("share of wallet below (%)"), min_value=1, max_value=100, initial=20,
                                 required=False)
    factor = forms.DecimalField(label=_("potential at least × segment median"), min_value=Decimal("0.1"),
                                max_value=Decimal("100"), decimal_places=1, initial=Decimal("1.0"), required=False)
    segment = forms.ChoiceField(label=_("segment"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = [("", _("all segments"))] + [
            (s.code, f"{s.code} {s.name}") for s in Segment.objects.order_by("precedence", "code")]

    def params(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"max_share_of_wallet": (data.get("max_sow") or 20) / 100,
                "potential_factor": float(data.get("factor") or 1), "segment_code": data.get("segment") or ""}
