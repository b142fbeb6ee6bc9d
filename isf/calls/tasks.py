"""Background tasks of the call log: recompute the attribution after an order import."""

from datetime import date

from django.db import transaction
from django.tasks import task


def attribution_after_commit(since: str) -> None:
    """An order import wrote orders from ``since`` (ISO date) on: recompute the attribution once it commits."""
    transaction.on_commit(lambda: attribution_after_import.enqueue(since))


@task()
def attribution_after_import(since: str) -> dict:
    """Recompute the attribution from ``since`` (ISO date, the import's first order date) to today."""
    from isf.calls.attribution import attribution_refresh

    return attribution_refresh(since=date.fromisoformat(since))
