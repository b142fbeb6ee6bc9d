"""Monitoring run on hand-made histories: flags and reasons, one task per flag, idempotence, auto-close,
at-risk phase, key-account notice, the stored model view, the command and the nightly step."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from isf.lifecycle.choices import Phase
from isf.monitoring import services
from isf.monitoring.choices import FlagCode, FlagStatus
from isf.monitoring.models import AccountScore, Flag, MonitorRun
from isf.monitoring.nightly import run as nightly_step
from isf.monitoring.services import monitor_run
from isf.monitoring.tests.helpers import TODAY, add_orders, make_base
from isf.planning.choices import OPEN_STATUSES, Side, TaskKind, TaskStatus
from isf.planning.models import Task, TaskEvent
from isf.planning.services import task_complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def base():
    return make_base()


def _flags(base, name):
    return {f.code: f for f in Flag.objects.filter(account=base.accounts[name])}


def test_flags_and_reasons_on_hand_made_histories(base):
    result = monitor_run(today=TODAY)

    assert result["accounts"] == 57
    assert result["flags_raised"] == 4
    assert result["raised_by_code"] == {"overdue": 2, "revenue_drop": 1, "group_dropped": 1, "few_expected": 0}
    overdue = _flags(base, "overdue")
    assert set(overdue) == {FlagCode.OVERDUE}
    flag = overdue[FlagCode.OVERDUE]
    assert flag.score == 1.0
    assert flag.reason == "bestellt etwa alle 10 Tage; letzte Bestellung vor 81 Tagen"
    assert flag.reason_en == "orders about every 10 days; last order 81 days ago"
    assert flag.params == {"interval_days": 10, "days_since": 81}
    assert flag.last_order == TODAY - timedelta(days=81)

    drop = _flags(base, "drop")
    assert set(drop) == {FlagCode.REVENUE_DROP}
    assert drop[FlagCode.REVENUE_DROP].reason == "Umsatz der letzten 12 Monate 71 % unter den 12 Monaten davor"
    assert drop[FlagCode.REVENUE_DROP].reason_en == "revenue in the last 12 months 71 % below the 12 months before"

    group = _flags(base, "group")
    assert set(group) == {FlagCode.GROUP_DROPPED}
    assert group[FlagCode.GROUP_DROPPED].reason == "bestellte Toner etwa alle 28 Tage; seit 214 Tagen nicht mehr"
    assert group[FlagCode.GROUP_DROPPED].reason_en == "used to order toner about every 28 days; none for 214 days"
    assert group[FlagCode.GROUP_DROPPED].score == 0.5  # one of its two regular groups

    assert _flags(base, "healthy") == {}
    # accounts silent for longer than the lifecycle's "lost" limit are left to win-back
    assert not Flag.objects.filter(account__name__startswith="Faded").exists()


def test_each_flag_is_exactly_one_open_task_for_the_responsible_team(base):
    monitor_run(today=TODAY)

    for flag in Flag.objects.select_related("task", "account"):
        tasks = Task.objects.filter(dedupe_key=f"alert:{flag.account_id}:{flag.code}")
        assert tasks.count() == 1
        task = tasks.get()
        assert task == flag.task
        assert (task.kind, task.status, task.side, task.source) == (TaskKind.ALERT, TaskStatus.OPEN, Side.INSIDE,
                                                                    "monitoring")
        assert (task.reason, task.reason_en) == (flag.reason, flag.reason_en)
        assert task.account_id == flag.account_id
        expected_team = base.ka_team if flag.account.name == "key" else base.team  # the segment's team
        assert task.team == expected_team and task.assignee is None
        assert TaskEvent.objects.filter(task=task, action="created").count() == 1
    overdue_task = _flags(base, "overdue")[FlagCode.OVERDUE].task
    assert overdue_task.title == "Bestellverhalten auffällig: Überfällige Bestellung"
    assert overdue_task.due_at.date() == TODAY + timedelta(days=1)  # score 1.0: next business day


def test_a_second_run_on_unchanged_data_opens_nothing_new(base):
    from isf.lifecycle.models import PhaseChange

    first = monitor_run(today=TODAY)
    tasks, flags, changes = Task.objects.count(), Flag.objects.count(), PhaseChange.objects.count()

    second = monitor_run(today=TODAY)

    assert first["tasks_created"] == 4 and second["tasks_created"] == 0
    assert (second["flags_raised"], second["owner_notices"], second["phase_changes"], second["flags_resolved"]) == (
        0, 0, 0, 0)
    assert (Task.objects.count(), Flag.objects.count(), PhaseChange.objects.count()) == (tasks, flags, changes)
    assert MonitorRun.objects.count() == 2


def test_a_worked_task_is_not_reopened_while_the_account_has_not_ordered(base):
    monitor_run(today=TODAY)
    task = _flags(base, "drop")[FlagCode.REVENUE_DROP].task
    task_complete(task=task, user=base.owner, outcome="reached", note="Kunde prüft Wettbewerbsangebot")

    monitor_run(today=TODAY + timedelta(days=1))

    assert Task.objects.filter(dedupe_key=task.dedupe_key).count() == 1
    flag = _flags(base, "drop")[FlagCode.REVENUE_DROP]
    assert (flag.status, flag.task_id) == (FlagStatus.OPEN, task.pk)


def test_a_new_order_resolves_the_flags_and_closes_their_tasks(base):
    monitor_run(today=TODAY)
    acc = base.accounts["key"]
    flag = _flags(base, "key")[FlagCode.OVERDUE]
    add_orders(acc, [(TODAY + timedelta(days=2), base.p1, "700")])

    result = monitor_run(today=TODAY + timedelta(days=2))

    flag.refresh_from_db()
    assert (flag.status, flag.resolved_on, flag.resolution) == (FlagStatus.RESOLVED, TODAY + timedelta(days=2),
                                                                "ordered_again")
    for task in (flag.task, flag.owner_task):
        task.refresh_from_db()
        assert (task.status, task.outcome) == (TaskStatus.DONE, "ordered_again")
        assert task.completed_at is not None
        assert TaskEvent.objects.filter(task=task, action="completed").count() == 1
    assert result["flags_resolved"] == 1 and result["tasks_closed"] == 2
    assert Task.objects.filter(account=acc, status__in=OPEN_STATUSES).count() == 0
    # the other accounts' flags stay open
    assert Flag.objects.filter(status=FlagStatus.OPEN, raised_on=TODAY).count() == 3


def test_flagged_accounts_turn_at_risk_through_the_lifecycle(base):
    from isf.lifecycle.models import PhaseChange

    result = monitor_run(today=TODAY)

    assert result["phase_changes"] == 3 and result["phase_path"] == "lifecycle_set_phase"
    for name in ("overdue", "key", "drop"):
        acc = base.accounts[name]
        acc.refresh_from_db()
        assert acc.phase == Phase.AT_RISK
        change = PhaseChange.objects.get(account=acc)
        assert (change.from_phase, change.to_phase, change.source) == (Phase.ACTIVE, Phase.AT_RISK, "monitoring")
        assert change.reason.startswith("Bestellüberwachung: ")
    # a lapsed product group is a sales chance, not an account at risk
    for name in ("healthy", "group"):
        base.accounts[name].refresh_from_db()
        assert base.accounts[name].phase == Phase.ACTIVE


def test_the_bulk_phase_path_writes_the_same_rows(base, monkeypatch):
    from isf.lifecycle.models import PhaseChange

    monkeypatch.setattr(services, "PHASE_SERVICE_LIMIT", 0)
    result = monitor_run(today=TODAY)

    assert result["phase_path"] == "bulk" and result["phase_changes"] == 3
    changes = PhaseChange.objects.filter(source="monitoring", to_phase=Phase.AT_RISK)
    assert sorted(c.account.name for c in changes) == ["drop", "key", "overdue"]
    assert changes.get(account=base.accounts["drop"]).reason == (
        "Bestellüberwachung: Umsatz der letzten 12 Monate 71 % unter den 12 Monaten davor")


def test_the_owner_of_a_key_account_is_notified(base):
    monitor_run(today=TODAY)

    flag = _flags(base, "key")[FlagCode.OVERDUE]
    notice = flag.owner_task
    assert notice is not None
    assert (notice.assignee, notice.side, notice.kind, notice.status) == (base.owner, Side.FIELD, TaskKind.ALERT,
                                                                          TaskStatus.OPEN)
    assert notice.dedupe_key == f"alert:{flag.account_id}:overdue:owner"
    assert notice.reason == flag.reason
    assert notice.title == "Key Account auffällig: Überfällige Bestellung"
    # other accounts' owners get nothing
    assert Task.objects.filter(side=Side.FIELD).count() == 1


def test_the_model_view_of_every_ordering_account_is_stored(base):
    monitor_run(today=TODAY)

    assert AccountScore.objects.count() == 57
    score = AccountScore.objects.get(account=base.accounts["overdue"])
    assert score.as_of == TODAY
    assert score.last_order == TODAY - timedelta(days=81)
    assert score.next_order_to < TODAY  # the expected window has passed
    assert 0 <= score.p_alive < 0.9
    assert 0 <= score.risk_score <= 1
    assert score.trend == "down"
    healthy = AccountScore.objects.get(account=base.accounts["healthy"])
    assert healthy.p_alive > 0.99 and healthy.next_order_to >= TODAY
    assert healthy.expected_orders_90d > score.expected_orders_90d
    assert AccountScore.objects.get(account=base.accounts["drop"]).trend == "down"


def test_monitor_command_prints_json(base):
    out, err = StringIO(), StringIO()
    call_command("monitor", "--json", "--date", TODAY.isoformat(), stdout=out, stderr=err)

    result = json.loads(out.getvalue())
    assert result["date"] == TODAY.isoformat()
    assert (result["accounts"], result["flags_raised"], result["tasks_created"], result["owner_notices"]) == (57, 4, 4, 1)
    assert set(result["params"]) == {"r", "alpha", "a", "b"}
    assert "scored 57 accounts" in err.getvalue()  # progress on stderr


def test_the_nightly_step_runs_the_monitoring(base):
    result = nightly_step(today=TODAY, progress=lambda msg: None)
    assert result["flags_raised"] == 4
    assert nightly_step(today=TODAY, progress=lambda msg: None)["flags_raised"] == 0


def test_the_demo_step_leaves_worked_alerts_with_outcomes_and_todays_alerts(base):
    from types import SimpleNamespace

    from isf.monitoring import demo

    demo.load(SimpleNamespace(today=TODAY, progress=lambda msg: None))

    worked = Task.objects.filter(source="monitoring", status=TaskStatus.DONE).exclude(outcome="")
    assert worked.exists()
    assert Flag.objects.filter(raised_on=TODAY - timedelta(days=28)).exists()
    assert MonitorRun.objects.count() == 2
    assert Flag.objects.filter(status=FlagStatus.OPEN).count() > 0
