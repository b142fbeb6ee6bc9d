"""Background tasks of the call log: recompute the attribution after an order import."""

from datetime import date

from django.tasks import task


@task()
def attribution_after_import(since: str) -> dict:
    """Recompute the attribution from ``since`` (ISO date, the import's first order date) to today."""
    from isf.calls.attribution import attribution_refresh

    return attribution_refresh(since=date.fromisoformat(since))
