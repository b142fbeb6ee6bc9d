"""Forms: the phone order form (inputs built from the catalog entry), workflow actions, catalog and contract."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from isf.core.params import ModelIdsField
from isf.org.models import Team
from isf.segmentation.models import Segment
from isf.service.choices import DecisionKind, InputType, TargetUnit
from isf.service.models import ServiceCatalogEntry, ServiceContract


def inputs_form_class(service: ServiceCatalogEntry) -> type[forms.Form]:
    """A form with one field per catalog input (named ``in_<name>``); the service validates required ones."""
    fields = {}
    for spec in service.input_fields():
        attrs = {"required": True} if spec["required"] else {}
        if spec["type"] == InputType.TEXTAREA:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, **attrs}))
        elif spec["type"] == InputType.NUMBER:
            field = forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal", **attrs}))
        elif spec["type"] == InputType.DATE:
            field = forms.CharField(widget=forms.DateInput(attrs={"type": "date", **attrs}))
        else:
            field = forms.CharField(widget=forms.TextInput(attrs=attrs))
        field.required = False
        field.label = spec["label"] + (" *" if spec["required"] else "")
        fields[f"in_{spec['name']}"] = field
    fields["note"] = forms.CharField(label=_("Note for inside sales"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    return type("ServiceInputsForm", (forms.Form,), fields)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices)
    value = forms.CharField(label=_("Value"), widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    request_approval = forms.BooleanField(label=_("Above my decision rights: ask the owner for approval"),
                                          required=False)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(label=_("Rating"), coerce=int,
                                   choices=[(i, "★" * i) for i in range(5, 0, -1)], widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ApprovalForm(forms.Form):
    note = forms.CharField(label=_("Answer"), max_length=500, required=False)


def _lines_to_inputs(text: str) -> list[dict]:
    result = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 4 or parts[1] not in InputType.values or parts[2] not in ("required", "optional"):
            raise forms.ValidationError(
                _("line %(n)s: write name | type (text, textarea, number, date) | required or optional | "
                  "German label | English label") % {"n": number})
        result.append({"name": parts[0], "type": parts[1], "required": parts[2] == "required",
                       "label_de": parts[3], "label_en": parts[4] if len(parts) > 4 else parts[3]})
    return result


def _lines_to_steps(text: str) -> list[dict]:
    steps = []
    for line in text.splitlines():
        if line.strip():
            de, _sep, en = line.partition("|")
            steps.append({"de": de.strip(), "en": en.strip() or de.strip()})
    return steps


class CatalogEntryForm(forms.ModelForm):
    inputs_text = forms.CharField(
        label=_("Inputs"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: name | type | required/optional | German label | English label"))
    steps_text = forms.CharField(label=_("Process steps"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                 help_text=_("One step per line: German | English"))
    segments = ModelIdsField(queryset=Segment.objects.all(), required=False,
                             widget=forms.CheckboxSelectMultiple, label=_("Offered to segments"))
    default_team = forms.ModelChoiceField(queryset=Team.objects.all(), required=False, label=_("Default inside team"))

    class Meta:
        model = ServiceCatalogEntry
        fields = ["name_de", "name_en", "description_de", "description_en", "target_value", "target_unit",
                  "effort_minutes", "default_team", "active", "sort_order"]
        widgets = {"description_de": forms.Textarea(attrs={"rows": 2}),
                   "description_en": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        entry = self.instance
        if entry.pk:
            self.fields["segments"].initial = list(entry.segments.all())
            self.fields["inputs_text"].initial = "\n".join(
                f"{i['name']} | {i.get('type', 'text')} | {'required' if i.get('required') else 'optional'} | "
                f"{i.get('label_de', '')} | {i.get('label_en', '')}" for i in entry.inputs)
            self.fields["steps_text"].initial = "\n".join(f"{s.get('de', '')} | {s.get('en', '')}"
                                                          for s in entry.process_steps)
        self.fields["target_unit"].choices = TargetUnit.choices

    def clean_inputs_text(self):
        return _lines_to_inputs(self.cleaned_data["inputs_text"])

    def clean_steps_text(self):
        return _lines_to_steps(self.cleaned_data["steps_text"])


class ContractForm(forms.ModelForm):
    class Meta:
        model = ServiceContract
        fields = ["period", "valid_from", "valid_to", "max_discount_percent", "max_goodwill_eur",
                  "max_payment_term_days", "due_soon_fraction", "notes"]
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "notes": forms.Textarea(attrs={"rows": 3})}


def json_pretty(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)
