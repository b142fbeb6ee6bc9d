from django import forms
from django.utils.translation import gettext_lazy as _

from isf.capacity.models import StaffingParameters


class StaffingParametersForm(forms.ModelForm):
    class Meta:
        model = StaffingParameters
        fields = ["aht_seconds", "target_level", "target_seconds", "max_occupancy", "shrinkage", "outbound_minutes",
                  "productive_hours_per_day"]


class ErlangForm(forms.Form):
    calls_per_hour = forms.DecimalField(label=_("Calls per hour"), min_value=0.01, max_digits=9, decimal_places=2)
    aht = forms.IntegerField(label=_("Average handling time (s)"), min_value=1, max_value=36000)
    target_level = forms.IntegerField(label=_("Service level (%)"), min_value=1, max_value=99, initial=80)
    target_seconds = forms.IntegerField(label=_("Answered within (s)"), min_value=0, max_value=3600, initial=20)
    shrinkage = forms.DecimalField(label=_("Shrinkage"), min_value=0, max_value=0.95, decimal_places=2, initial=0.3)
    max_occupancy = forms.DecimalField(label=_("Maximum occupancy"), min_value=0.01, max_value=1, decimal_places=2,
                                       initial=0.85, required=False)


class AdoptForm(forms.Form):
    service_id = forms.IntegerField(min_value=1)
    minutes = forms.DecimalField(min_value=0.1, max_digits=7, decimal_places=1)
