"""Reads of the lifecycle."""

from django.db.models import Count, QuerySet

from isf.core.numbers import largest_remainder
from isf.customers.models import Account
from isf.lifecycle.choices import Phase
from isf.lifecycle.models import PhaseChange


def phase_changes_for(account) -> QuerySet[PhaseChange]:
    """An account's phase transitions, newest first."""
    return PhaseChange.objects.filter(account=account).select_related("actor").order_by("-at", "-pk")


def phase_counts() -> list[dict]:
    """Accounts per phase with their share of all accounts (shown to one decimal, adding up to 100 %)."""
    counts = dict(Account.objects.values_list("phase").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    rows = [{"phase": value, "label": label, "n": counts.get(value, 0),
             "share": counts.get(value, 0) / total if total else None} for value, label in Phase.choices]
    for row, shown in zip(rows, largest_remainder([r["share"] for r in rows]), strict=True):
        row["share_shown"] = shown
    return rows


def recent_changes(limit: int = 50) -> QuerySet[PhaseChange]:
    return PhaseChange.objects.select_related("account", "actor").order_by("-at", "-pk")[:limit]
