from django.contrib import admin

from isf.calls.models import CallLog, CrossSellModel
from isf.core.admin import RuleBoundAdmin


@admin.register(CallLog)
class CallLogAdmin(RuleBoundAdmin, admin.ModelAdmin):  # a logged call closed tasks
    list_display = ["started_at", "direction", "team", "agent", "account", "outcome", "cross_sell_offered",
                    "cross_sell_accepted"]
    list_filter = ["direction", "outcome", "team", "cross_sell_offered", "cross_sell_accepted"]
    raw_id_fields = ["account", "contact", "agent", "follow_up_task"]
    date_hierarchy = "started_at"


@admin.register(CrossSellModel)
class CrossSellModelAdmin(admin.ModelAdmin):
    list_display = ["created_at", "learned_until", "n_accounts"]
    exclude = ["data"]
