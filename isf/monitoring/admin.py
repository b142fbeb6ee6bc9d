from django.contrib import admin

from isf.monitoring.models import AccountScore, Flag, MonitorRun


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["account", "code", "status", "score", "raised_on", "resolved_on", "reason"]
    list_filter = ["code", "status", "raised_on"]
    search_fields = ["account__name", "account__erp_number"]
    raw_id_fields = ["account", "segment", "team"]
    readonly_fields = ["params", "status", "resolved_on", "task", "owner_task"]  # raised and resolved by monitoring


@admin.register(AccountScore)
class AccountScoreAdmin(admin.ModelAdmin):
    list_display = ["account", "as_of", "risk_score", "p_alive", "expected_orders_90d", "trend", "last_order"]
    list_filter = ["trend"]
    search_fields = ["account__name", "account__erp_number"]
    raw_id_fields = ["account"]


@admin.register(MonitorRun)
class MonitorRunAdmin(admin.ModelAdmin):
    list_display = ["as_of", "started_at", "seconds", "accounts", "flags_raised", "flags_resolved", "tasks_created"]
    readonly_fields = ["result"]
