from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from isf.core.admin import RuleBoundAdmin
from isf.planning.models import CareActivity, CareMatrix, Task


@admin.register(Task)
class TaskAdmin(RuleBoundAdmin, admin.ModelAdmin):  # state changes with events
    list_display = ["title", "kind", "status", "due_at", "team", "assignee", "account"]
    list_filter = ["kind", "status", "team"]
    raw_id_fields = ["account", "contact", "assignee"]


@admin.register(CareMatrix)
class CareMatrixAdmin(SimpleHistoryAdmin):
    list_display = ["segment", "call_counts_as_visit", "updated_at"]


@admin.register(CareActivity)
class CareActivityAdmin(SimpleHistoryAdmin):
    list_display = ["matrix", "activity", "title_de", "side", "channel", "frequency_per_year", "trigger_event"]
    list_filter = ["matrix", "activity", "side"]
