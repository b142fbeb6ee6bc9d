"""Admin: read-only views. Segments, rules and overrides are changed in the app (/segments/rules/,
the account's segment history page), where the services refuse conflicting rules."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from isf.core.admin import RuleBoundAdmin
from isf.segmentation.models import Segment, SegmentChange, SegmentOverride, SegmentRule

ReadOnlyMixin = RuleBoundAdmin


class SegmentRuleInline(ReadOnlyMixin, admin.TabularInline):
    model = SegmentRule
    extra = 0


@admin.register(Segment)
class SegmentAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["code", "name_de", "name_en", "precedence", "care_budget", "team"]
    inlines = [SegmentRuleInline]


@admin.register(SegmentOverride)
class SegmentOverrideAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["account", "segment", "reason", "valid_until", "created_by", "created_at", "ended_at"]
    list_select_related = ["account", "segment", "created_by"]


@admin.register(SegmentChange)
class SegmentChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["changed_at", "account", "from_segment", "to_segment", "source", "changed_by"]
    list_select_related = ["account", "from_segment", "to_segment", "changed_by"]
