from django.contrib import admin

from isf.core.admin import RuleBoundAdmin
from isf.visits.models import AccountChangeEvent, CompetitorMention, ContactChange, VisitReport, VisitType


@admin.register(VisitType)
class VisitTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_de", "name_en", "position", "is_default"]


class CompetitorInline(admin.TabularInline):
    model = CompetitorMention
    extra = 0


class ContactChangeInline(admin.TabularInline):
    model = ContactChange
    extra = 0
    raw_id_fields = ["contact"]


@admin.register(VisitReport)
class VisitReportAdmin(admin.ModelAdmin):
    list_display = ["visit_date", "account", "author", "visit_type"]
    list_filter = ["visit_type"]
    raw_id_fields = ["account", "author", "task", "contacts"]
    inlines = [CompetitorInline, ContactChangeInline]


@admin.register(AccountChangeEvent)
class AccountChangeEventAdmin(RuleBoundAdmin, admin.ModelAdmin):
    list_display = ["date", "account", "kind"]
    raw_id_fields = ["account", "report", "created_by"]
