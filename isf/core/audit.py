"""Audit history: read the django-simple-history records of any object as field-level changes.

Models opt in with `history = HistoricalRecords()`; the history middleware records the user.
Records are append-only: there is no view or API that edits or deletes them.
"""

from dataclasses import dataclass
from datetime import datetime


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
                       "" if change.old is None else str(change.old), "" if change.new is None else str(change.new))
            )
    return changes
