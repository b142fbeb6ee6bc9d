"""`isf nightly` on a freshly migrated, empty database (issue 25): every step runs and reports nothing to do.

Runs on SQLite and, through `bash scripts/pg.sh`, on PostgreSQL, where an untyped NULL once broke the first step
(segmentation) and an empty order history broke monitoring on both.
"""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from isf.core.models import JobLock, NightlyRun
from isf.core.nightly import STEPS, available_steps

pytestmark = pytest.mark.django_db

TODAY = "2027-03-10"
EMPTY_RESULTS = {
    "segmentation": {"accounts": 0, "changed": 0, "per_segment": {}, "overrides_expired": 0, "teams_set": 0,
                     "date": TODAY, "owners_placed": 0},
    "lifecycle": {"date": TODAY, "accounts": 0, "changed": 0, "held": 0, "transitions": {},
                  "phases": {"prospect": 0, "new": 0, "active": 0, "at_risk": 0, "lost": 0, "won_back": 0}},
    "monitoring": {"date": TODAY, "order_lines": 0, "read": "full", "accounts": 0, "scores_written": 0, "method": "none",
                   "horizon_days": 90, "params": {}, "loglik": None, "flags_above_threshold": 0,
                   "kinds_raised": ["few_expected", "group_dropped", "overdue", "revenue_drop"], "flags_resolved": 0,
                   "tasks_closed": 0, "flags_raised": 0, "tasks_created": 0, "owner_notices": 0, "tasks_linked": 0,
                   "deferred_for_capacity": 0,
                   "raised_by_code": {"overdue": 0, "revenue_drop": 0, "group_dropped": 0, "few_expected": 0},
                   "phase_changes": 0, "phase_path": "none", "open_flags": 0},
    "planning": {"date": TODAY, "horizon_days": 90, "accounts": 0, "created": 0, "cancelled": 0, "deferred": 0,
                 "shifted": 0, "calls_counted_as_visits": 0, "skipped_no_owner": 0, "skipped_no_consent": 0,
                 "created_by_kind": {}, "priorities_changed": 0},
    "calls": {"accounts": 0, "groups": 0,
              "attribution": {"matched": 0, "orders": 0,
                              "by_rule": {"phone_order": 0, "quote_won": 0, "cross_sell": 0, "win_back": 0}}},
    "service": {"checked": 0, "due_soon": 0, "breached": 0, "notifications": 0, "emails": 0},
    "campaigns": {"quote_followups": 0, "buying_center_tasks": 0, "leads_erased": 0, "rows_deleted": 0,
                  "cutoff": "2025-03-09"},
    "imports": {"uploads_deleted": 0, "error_reports_deleted": 0, "orphan_files_deleted": 0},
    "housekeeping": {"expired_sessions_deleted": 0, "task_records_deleted": 0},
}


def _without_timings(steps: dict) -> dict:
    """The results without timings and without the cross-sell model's id (a database sequence: on PostgreSQL it
    goes on from earlier tests)."""
    return {name: {k: v for k, v in result.items() if k != "seconds" and not (name == "calls" and k == "model")}
            for name, result in steps.items()}


def test_every_step_runs_on_an_empty_database_and_reports_nothing_done(time_machine):
    time_machine.move_to(f"{TODAY} 01:30:00+01:00")
    out = StringIO()
    call_command("nightly", "--json", stdout=out, stderr=StringIO())
    result = json.loads(out.getvalue())
    assert available_steps() == STEPS
    assert list(result["steps"]) == STEPS
    assert result["date"] == TODAY
    assert result["resumed"] is False
    assert _without_timings(result["steps"]) == EMPTY_RESULTS
    assert isinstance(result["steps"]["calls"]["model"], int)  # the cross-sell model was written
    run = NightlyRun.objects.get()
    assert (run.run_date, run.finished_at is not None) == (date(2027, 3, 10), True)
    assert sorted(run.steps_done) == sorted(STEPS)  # a JSON object: PostgreSQL keeps no key order
    assert not JobLock.objects.exists()
