"""insert_dicts: many rows without model instances, with the defaults and conversions a save would apply."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from isf.core.rows import insert_dicts
from isf.customers.tests.factories import AccountFactory
from isf.lifecycle.models import PhaseChange
from isf.org.tests.factories import TeamFactory
from isf.planning.models import Task, TaskEvent
from isf.planning.services import TaskError, task_create, tasks_insert_bulk


@pytest.mark.django_db
def test_defaults_timestamps_and_aware_datetimes_round_trip():
    account = AccountFactory()
    at = datetime(2026, 3, 2, 23, 30, tzinfo=timezone.get_current_timezone())
    before = timezone.now()
    assert insert_dicts(PhaseChange, [
        {"account_id": account.pk, "from_phase": "active", "to_phase": "at_risk", "reason": "überfällig", "at": at,
         "effective": date(2026, 3, 2)},
    ]) == 1
    change = PhaseChange.objects.get()
    assert (change.at, change.effective, change.source, change.reason_en, change.actor_id) == (
        at, date(2026, 3, 2), "rule", "", None)
    due = timezone.now() + timedelta(days=1)
    insert_dicts(Task, [{"kind": "alert", "title": "Bestellung überfällig", "due_at": due, "dedupe_key": "k1"}])
    task = Task.objects.get()
    assert (task.status, task.side, task.due_at, task.note) == ("open", "inside", due, "")
    assert before <= task.created_at <= timezone.now()


@pytest.mark.django_db
def test_unknown_field_is_refused_and_nothing_written():
    with pytest.raises(ValueError, match="'account'"):
        insert_dicts(Task, [{"kind": "alert", "title": "x", "due_at": timezone.now(), "account": 1}])
    assert insert_dicts(Task, []) == 0
    assert not Task.objects.exists()


@pytest.mark.django_db
def test_tasks_insert_bulk_skips_open_keys_returns_pks_in_order_and_writes_events():
    team = TeamFactory()
    due = timezone.now() + timedelta(days=2)
    held = task_create(kind="alert", title="schon offen", due_at=due, team=team, dedupe_key="alert:2")
    specs = [{"kind": "alert", "title": f"Alarm {n}", "reason": "Umsatz fällt", "due_at": due, "team_id": team.pk,
              "dedupe_key": f"alert:{n}"} for n in range(1, 4)]
    pks = tasks_insert_bulk(specs, note="monitoring")
    assert pks[1] is None and None not in (pks[0], pks[2])
    created = Task.objects.filter(pk__in=[pks[0], pks[2]]).order_by("pk")
    assert [t.dedupe_key for t in created] == ["alert:1", "alert:3"]
    assert all(t.reason_en == "Umsatz fällt" and t.team_id == team.pk for t in created)
    assert TaskEvent.objects.filter(task_id__in=[pks[0], pks[2]], action="created", note="monitoring").count() == 2
    assert Task.objects.filter(dedupe_key="alert:2").get().pk == held.pk
    assert tasks_insert_bulk(specs) == [None, None, None]  # all keys open now: nothing new
    assert Task.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("specs, message", [
    ([{"kind": "alert", "title": "x", "due_at": None}], "dedupe_key"),
    ([{"kind": "alert", "title": "x", "dedupe_key": "a"}, {"kind": "alert", "title": "y", "dedupe_key": "a"}],
     "duplicate"),
    ([{"kind": "nonsense", "title": "x", "dedupe_key": "a"}], "unknown task kind"),
])
def test_tasks_insert_bulk_refuses_bad_batches(specs, message):
    with pytest.raises(TaskError, match=message):
        tasks_insert_bulk(specs)
    assert not Task.objects.exists()
