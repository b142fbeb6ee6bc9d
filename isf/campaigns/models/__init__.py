"""Leads, campaigns with call lists, appointments, complaints, quote follow-ups and account changes."""

from isf.campaigns.models.appointments import Appointment, RepCalendar
from isf.campaigns.models.campaigns import CallAttempt, CallListEntry, Campaign, ControlAccount
from isf.campaigns.models.complaints import AccountChange, Complaint, ComplaintEvent, QuoteFollowup
from isf.campaigns.models.contact_form import ContactFormSettings
from isf.campaigns.models.leads import Lead, LeadActivity

__all__ = [
    "AccountChange",
    "Appointment",
    "CallAttempt",
    "CallListEntry",
    "Campaign",
    "Complaint",
    "ComplaintEvent",
    "ContactFormSettings",
    "ControlAccount",
    "Lead",
    "LeadActivity",
    "QuoteFollowup",
    "RepCalendar",
]
