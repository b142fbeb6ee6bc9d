"""Nightly step: contact plans from the care matrices (after segments and lifecycle phases), then the rank of
every open task (segments, potentials and the days overdue have moved)."""

from isf.planning.plan import plan_run
from isf.planning.priority import task_priorities_refresh


def run(*, today, progress) -> dict:
    result = plan_run(today=today, progress=progress)
    result["priorities_changed"] = task_priorities_refresh(all_open=True)
    progress(f"priorities: {result['priorities_changed']:,} tasks re-ranked")
    return result
