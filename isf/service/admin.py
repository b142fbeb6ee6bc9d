from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from isf.core.admin import RuleBoundAdmin
from isf.service.models import (
    ClosingDay,
    ContractLine,
    Decision,
    ServiceCatalogEntry,
    ServiceContract,
    ServiceOrder,
    ServiceOrderEvent,
)


@admin.register(ServiceCatalogEntry)
class CatalogAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_de", "target_value", "target_unit", "effort_minutes", "default_team", "active"]


@admin.register(ClosingDay)
class ClosingDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "name"]


class ContractLineInline(RuleBoundAdmin, admin.TabularInline):
    model = ContractLine
    extra = 0


@admin.register(ServiceContract)
class ContractAdmin(RuleBoundAdmin, SimpleHistoryAdmin):  # accepted twice, versioned: the contract pages
    list_display = ["period", "version", "valid_from", "valid_to", "accepted_by_vl", "accepted_by_idl"]
    inlines = [ContractLineInline]


class EventInline(RuleBoundAdmin, admin.TabularInline):
    model = ServiceOrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "action", "from_status", "to_status", "note"]


@admin.register(ServiceOrder)
class OrderAdmin(RuleBoundAdmin, SimpleHistoryAdmin):  # status changes with its events
    list_display = ["pk", "service", "account", "status", "team", "assignee", "due_at", "sla_state"]
    list_filter = ["status", "sla_state", "team", "service"]
    raw_id_fields = ["account", "contact", "requester", "assignee"]
    readonly_fields = ["due_at", "due_soon_at", "breach_at", "business_seconds_elapsed", "clock_started_at"]
    inlines = [EventInline]


@admin.register(Decision)
class DecisionAdmin(RuleBoundAdmin, SimpleHistoryAdmin):  # decision rights
    list_display = ["kind", "value", "status", "account", "requested_by", "approver", "created_at"]
    raw_id_fields = ["account", "order"]
