"""Forms: input shape only; the services check the business rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from isf.campaigns.choices import (
    ActivityKind,
    CallOutcome,
    CampaignKind,
    CompanyChangeKind,
    ComplaintCategory,
    QuoteOutcome,
    Severity,
)
from isf.core.params import ModelIdsField
from isf.core.security import max_upload_bytes
from isf.core.text import LONG_TEXT_MAX
from isf.customers.choices import ContactStatus, CustomerType, EmployeeBand, Industry
from isf.lifecycle.choices import Phase
from isf.org.choices import Role
from isf.org.models import Region, User
from isf.segmentation.models import Segment


class LeadForm(forms.Form):
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    industry = forms.ChoiceField(label=_("Industry"), choices=[("", "–")] + Industry.choices, required=False)
    employee_band = forms.ChoiceField(label=_("Employees"), choices=[("", "–")] + EmployeeBand.choices, required=False)
    potential = forms.DecimalField(label=_("Estimated annual potential (EUR)"), min_value=0, required=False)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              max_length=LONG_TEXT_MAX)


class PublicContactForm(forms.Form):
    """The public web form; `website` is the honeypot (hidden from people, filled by bots). The consent checkbox's
    label is the consent text the lead stores (``consent_text``)."""

    is_private = forms.BooleanField(label=_("I am asking as a private person"), required=False)
    company = forms.CharField(label=_("Company"), max_length=200, required=False,
                              help_text=_("Optional for private persons"))
    contact_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    employee_band = forms.ChoiceField(label=_("Employees"), choices=[("", "–")] + EmployeeBand.choices, required=False)
    industry = forms.ChoiceField(label=_("Industry"), choices=[("", "–")] + Industry.choices, required=False)
    need = forms.CharField(label=_("What do you need, and about how much a year?"), max_length=500, required=False,
                           help_text=_("e.g. fastening technology, about 300.000 € a year"))
    message = forms.CharField(label=_("How can we help?"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                              max_length=LONG_TEXT_MAX)
    consent = forms.BooleanField(required=True, error_messages={
        "required": _("Please agree, so that we may store your details and answer you.")})
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, consent_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text


class LeadImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file (semicolon or comma separated, UTF-8 or Windows-1252)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                _("The file is larger than the limit of %(mb)s MB.") % {"mb": max_upload_bytes() // 1024**2})
        return upload


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


def _multi(choices, label):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Campaign type"), choices=CampaignKind.choices)
    description = forms.CharField(label=_("Talking points"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    max_attempts = forms.IntegerField(label=_("Maximum attempts per entry"), min_value=1, max_value=20, initial=3)
    segment = forms.MultipleChoiceField(
        label=_("Segment"), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    phase = _multi(Phase.choices, _("Lifecycle phase"))
    region = forms.MultipleChoiceField(
        label=_("Region"), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    industry = _multi(Industry.choices, _("Industry"))
    customer_type = forms.ChoiceField(
        label=_("Customer type"), choices=[("", _("All"))] + CustomerType.choices, required=False
    )
    bought_group = forms.ChoiceField(label=_("Bought product group"), required=False)
    not_bought_group = forms.ChoiceField(label=_("But not product group"), required=False)
    last_order_from = forms.DateField(
        label=_("Last order from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    last_order_to = forms.DateField(
        label=_("Last order until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    lost_within_months = forms.IntegerField(
        label=_("Lost within the last N months"), min_value=1, max_value=120, required=False
    )
    agents = ModelIdsField(
        label=_("Agents"), queryset=User.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )

    FILTER_FIELDS = (
        "segment",
        "phase",
        "region",
        "industry",
        "customer_type",
        "bought_group",
        "not_bought_group",
        "last_order_from",
        "last_order_to",
        "lost_within_months",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from isf.customers.models import ProductGroup

        self.fields["segment"].choices = [(s.code, f"{s.code} {s.name}") for s in Segment.objects.all()]
        self.fields["region"].choices = [(str(r.pk), r.name) for r in Region.objects.all()]
        groups = [("", "–")] + [(g.code, f"{g.code} {g.name}") for g in ProductGroup.objects.all()]
        self.fields["bought_group"].choices = groups
        self.fields["not_bought_group"].choices = groups
        self.fields["agents"].queryset = User.objects.filter(
            role__in=[Role.INSIDE_AGENT, Role.INSIDE_LEAD], is_active=True
        ).order_by("last_name")

    def filters(self) -> dict:
        data = self.cleaned_data
        out = {}
        for key in self.FILTER_FIELDS:
            value = data.get(key)
            if value in (None, "", []):
                continue
            out[key] = value.isoformat() if hasattr(value, "isoformat") else value
        return out


class CallForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in CallOutcome.choices if c[0] != CallOutcome.APPOINTMENT]
    )
    callback_at = forms.DateTimeField(
        label=_("Call back at"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    order_value = forms.DecimalField(label=_("Order value (EUR)"), max_digits=14, decimal_places=2, min_value=0,
                                     required=False)


class TelemarketingForm(forms.Form):
    """A call list from the opportunity list: its filters, the control group and who calls."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Talking points"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                  max_length=LONG_TEXT_MAX)
    segment = forms.MultipleChoiceField(label=_("Segment"), required=False,
                                        widget=forms.SelectMultiple(attrs={"size": 4}))
    region = forms.MultipleChoiceField(label=_("Region"), required=False,
                                       widget=forms.SelectMultiple(attrs={"size": 4}))
    min_potential = forms.DecimalField(label=_("Potential at least (EUR a year)"), max_digits=14, decimal_places=0,
                                       required=False)
    max_share_of_wallet = forms.IntegerField(label=_("Share of wallet below (%)"), initial=20)
    missing_group = forms.ChoiceField(label=_("Does not buy product group"), required=False)
    control_share = forms.IntegerField(label=_("Control group, not called (%)"), initial=10)
    max_attempts = forms.IntegerField(label=_("Maximum attempts per entry"), min_value=1, max_value=20, initial=3)
    agents = ModelIdsField(label=_("Agents"), queryset=User.objects.none(), required=False,
                           widget=forms.SelectMultiple(attrs={"size": 5}))

    FILTER_FIELDS = ("segment", "region", "min_potential", "max_share_of_wallet", "missing_group")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from isf.customers.models import ProductGroup

        self.fields["segment"].choices = [(s.code, f"{s.code} {s.name}") for s in Segment.objects.all()]
        self.fields["region"].choices = [(str(r.pk), r.name) for r in Region.objects.all()]
        from isf.core.language import in_language

        self.fields["missing_group"].choices = [("", "–")] + [(g.code, in_language(g.name, g.name_en or g.name))
                                                              for g in ProductGroup.objects.order_by("name")]
        self.fields["agents"].queryset = User.objects.filter(
            role__in=[Role.INSIDE_AGENT, Role.INSIDE_LEAD], is_active=True).order_by("last_name")

    def filters(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in self.FILTER_FIELDS if data.get(key) not in (None, "", [])}


class ComplaintForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=ComplaintCategory.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.MEDIUM)
    order_number = forms.CharField(label=_("Order reference"), max_length=30, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}),
                                  max_length=LONG_TEXT_MAX)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 2}),
                                 max_length=LONG_TEXT_MAX)
    goodwill_eur = forms.DecimalField(label=_("Goodwill (EUR)"), min_value=0, max_digits=10, decimal_places=2,
                                      required=False, initial=0)


class SatisfactionForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Is the customer satisfied?"), coerce=lambda v: v == "yes", choices=[("yes", _("Yes")), ("no", _("No"))]
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    cross_sell = forms.CharField(label=_("Cross-sell opportunity"), max_length=250, required=False)
    referral_company = forms.CharField(label=_("Referral: company"), max_length=200, required=False)
    referral_contact = forms.CharField(label=_("Referral: contact person"), max_length=200, required=False)
    referral_phone = forms.CharField(label=_("Referral: phone"), max_length=40, required=False)
    referral_email = forms.CharField(label=_("Referral: e-mail"), max_length=254, required=False)


class QuoteOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=QuoteOutcome.choices)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ContactStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ContactStatus.choices)


class CompanyChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Change"), choices=CompanyChangeKind.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
