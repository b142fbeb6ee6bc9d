from django.contrib import admin

from isf.planning.models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "due_at", "team", "assignee", "account"]
    list_filter = ["kind", "status", "team"]
    raw_id_fields = ["account", "contact", "assignee"]
