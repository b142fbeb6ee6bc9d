from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from isf.capacity.models import Absence, CallVolume, StaffingParameters


@admin.register(CallVolume)
class CallVolumeAdmin(admin.ModelAdmin):
    list_display = ["start", "team", "resolution_minutes", "calls", "source"]
    list_filter = ["team", "source", "resolution_minutes"]
    date_hierarchy = "start"


@admin.register(Absence)
class AbsenceAdmin(SimpleHistoryAdmin):
    list_display = ["user", "first_day", "last_day", "kind"]
    list_filter = ["kind", "user__team"]
    raw_id_fields = ["user"]


@admin.register(StaffingParameters)
class StaffingParametersAdmin(SimpleHistoryAdmin):
    list_display = ["team", "target_level", "target_seconds", "aht_seconds", "shrinkage", "max_occupancy"]
