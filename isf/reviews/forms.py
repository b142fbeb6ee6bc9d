from django import forms
from django.utils.translation import gettext_lazy as _

from isf.org.choices import Role
from isf.org.models import Team, User
from isf.reviews.models import AnnouncementKind


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = forms.DateField(label=_("Period from"), widget=DateInput)
    period_end = forms.DateField(label=_("Period to"), widget=DateInput)
    scheduled_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=200)


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.filter(is_active=True, role__in=[Role.SALES_LEAD, Role.INSIDE_LEAD, Role.INSIDE_AGENT,
                                                                Role.FIELD_REP, Role.MARKETING]),
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput)


class AnnouncementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AnnouncementKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False,
                                  empty_label=_("All of inside sales"))
