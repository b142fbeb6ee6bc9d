"""Audit history: read the django-simple-history records of any object as field-level changes.

Models opt in with `history = HistoricalRecords()`; the history middleware records the user.
Records are append-only: there is no view or API that edits or deletes them.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Change:
    at: datetime
    user: str
    action: str  # "+" created, "~" changed, "-" deleted
    field: str
    old: str
    new: str


def history_for(obj, limit: int = 100) -> list[Change]:
    """Newest first; one Change per changed field (creation lists the record once)."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    changes: list[Change] = []
    for i, record in enumerate(records[:limit]):
        user = str(record.history_user) if record.history_user_id else "ISF"
        previous = records[i + 1] if i + 1 < len(records) else None
        if record.history_type == "+" or previous is None:
            changes.append(Change(record.history_date, user, record.history_type, "", "", str(record.instance)))
            continue
        delta = record.diff_against(previous)
        for change in delta.changes:
            field = record.instance._meta.get_field(change.field)
            changes.append(
                Change(record.history_date, user, record.history_type, str(field.verbose_name),
                       shown(field, change.old), shown(field, change.new))
            )
    return changes


def shown(field, value) -> str:
    """A recorded value as people read it in the page language: a choice's label, dates, times and numbers in the
    page's format (never ``2026-12-07 06:30:00+00:00`` or a code)."""
    from django.utils.translation import gettext

    from isf.core.dates import format_date, format_datetime
    from isf.core.numbers import format_number

    if value is None or value == "":
        return ""
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
    if isinstance(value, str | int) and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal | float):  # whole numbers stay as stored (years, counts, ids)
        number = Decimal(str(value))
        return format_number(number, max(-number.normalize().as_tuple().exponent, 0) if number.is_finite() else 0)
    return str(value)
