"""Nightly step: quote follow-ups, buying-center changes, and lead retention (GDPR)."""

from isf.campaigns.retention import leads_erase_expired
from isf.campaigns.services.accounts import buying_center_scan, quote_followups_schedule


def run(*, today, progress) -> dict:
    progress("quote follow-ups …")
    quotes = quote_followups_schedule()
    progress("buying-center changes …")
    tasks = buying_center_scan()
    progress("lead retention …")
    retention = leads_erase_expired(today=today)
    return {"quote_followups": quotes, "buying_center_tasks": tasks, **retention}
