"""Admin: look-ups and the field reps' calendar settings. Business writes go through the app's pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from isf.campaigns.models import (
    Appointment,
    Campaign,
    Complaint,
    ContactFormSettings,
    Lead,
    QuoteFollowup,
    RepCalendar,
)


@admin.register(Lead)
class LeadAdmin(SimpleHistoryAdmin):
    list_display = ["company", "qualification_class", "score", "status", "source", "region", "created_at"]
    list_filter = ["qualification_class", "status", "source"]
    search_fields = ["company", "email", "phone", "postcode"]
    raw_id_fields = ["source_account", "duplicate_account", "duplicate_lead", "merged_into", "converted_account"]
    # qualify, convert, merge: the lead page; the consent is what the person gave, never edited
    readonly_fields = ["status", "converted_account", "merged_into", "consent_text", "consent_at"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "max_attempts", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["status"]


@admin.register(RepCalendar)
class RepCalendarAdmin(admin.ModelAdmin):
    list_display = ["rep", "work_start", "work_end", "workdays", "travel_buffer_minutes", "slot_minutes"]
    exclude = ["feed_token"]


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["start", "rep", "account", "lead", "status"]
    list_filter = ["status", "rep"]
    raw_id_fields = ["account", "lead", "entry"]
    readonly_fields = ["status", "task"]  # cancelling closes the visit task: the appointment pages


@admin.register(Complaint)
class ComplaintAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "account", "category", "severity", "status", "goodwill_eur", "goodwill_status"]
    list_filter = ["status", "category", "goodwill_status"]
    raw_id_fields = ["account", "order"]
    readonly_fields = ["status", "goodwill_eur", "goodwill_status"]  # workflow and decision rights: the complaint page


@admin.register(QuoteFollowup)
class QuoteFollowupAdmin(admin.ModelAdmin):
    list_display = ["quote", "segment_code", "rule", "due_at", "outcome"]
    list_filter = ["segment_code", "outcome"]
    raw_id_fields = ["quote"]
    readonly_fields = ["outcome", "task"]


@admin.register(ContactFormSettings)
class ContactFormSettingsAdmin(admin.ModelAdmin):
    """Master data of the public contact form: one row (the form reads the first)."""

    list_display = ["company_name", "privacy_url", "updated_at"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ContactFormSettings.objects.exists()
