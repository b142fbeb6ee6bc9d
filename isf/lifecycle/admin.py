from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from isf.core.admin import RuleBoundAdmin
from isf.lifecycle.models import LifecycleRules, PhaseChange


@admin.register(LifecycleRules)
class LifecycleRulesAdmin(SimpleHistoryAdmin):
    list_display = ["new_days", "lost_days", "won_back_days", "at_risk_factor"]


@admin.register(PhaseChange)
class PhaseChangeAdmin(RuleBoundAdmin, admin.ModelAdmin):
    list_display = ["account", "from_phase", "to_phase", "at", "source", "actor"]
    list_filter = ["to_phase", "source"]
    raw_id_fields = ["account", "actor"]
