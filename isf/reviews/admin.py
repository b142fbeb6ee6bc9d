from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from isf.core.admin import RuleBoundAdmin
from isf.reviews.models import Acknowledgement, AgendaItem, Announcement, ReviewAction, ReviewMeeting


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(ReviewMeeting)
class ReviewMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "scheduled_at", "period_start", "period_end", "status"]
    readonly_fields = ["status"]
    inlines = [AgendaInline]


@admin.register(ReviewAction)
class ReviewActionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "meeting", "owner", "due_date"]
    raw_id_fields = ["task"]


@admin.register(Announcement)
class AnnouncementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "team", "published_at", "author"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(RuleBoundAdmin, admin.ModelAdmin):  # read receipts are the reader's
    list_display = ["announcement", "user", "at"]
