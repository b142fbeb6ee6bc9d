"""Contact plans: idempotence, spreading of due dates, triggered tasks with reasons, cancellation on change."""

import json
from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from isf.customers.tests.factories import AccountFactory, OrderFactory
from isf.lifecycle.services import lifecycle_set_phase
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory
from isf.planning.choices import TaskStatus
from isf.planning.matrix_services import care_matrix_save
from isf.planning.models import Task
from isf.planning.plan import date_to_workday, frequency_slots, plan_run, workday_to_date
from isf.planning.services import task_complete
from isf.planning.tests.helpers import activity, make_segment

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)


def smb_matrix(segment, call_counts_as_visit=False):
    return care_matrix_save(
        segment=segment, potential_classes="A: 40000, B: 15000, C: 0", call_counts_as_visit=call_counts_as_visit,
        activities=[
            activity(title_de="Betreuungsanruf", title_en="care call", frequency_per_year=4,
                     phases=["active", "new"]),
            activity(activity="visit", title_de="Besuch", title_en="visit", side="field", channel="on_site",
                     frequency_per_year=None, visits_by_class="A:3, B:2, C:1", phases=["active"]),
            activity(activity="welcome_call", title_de="Begrüßungsanruf", title_en="welcome call",
                     frequency_per_year=None, trigger_event="first_order", offset_days=14, phases=["new"]),
            activity(activity="winback_call", title_de="Rückgewinnungsanruf", title_en="win-back call",
                     frequency_per_year=None, trigger_event="became_lost", offset_days=14, phases=["lost"]),
            activity(activity="mailing", title_de="Produktkampagne", side="marketing", channel="mail",
                     frequency_per_year=2, phases=["active"]),
        ],
    )


def run_json(*args) -> dict:
    out = StringIO()
    call_command("plan", "--json", "--date", TODAY.isoformat(), *args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_second_run_creates_nothing():
    segment = make_segment()
    smb_matrix(segment)
    rep = UserFactory(role=Role.FIELD_REP)
    for _i in range(20):
        AccountFactory(segment=segment, phase="active", owner=rep)
    first = run_json()
    assert first["created"] > 20
    assert first["created"] == Task.objects.filter(source="plan").count()
    second = run_json()
    assert second["created"] == 0
    assert second["cancelled"] == 0
    assert Task.objects.filter(source="plan").count() == first["created"]


def test_care_calls_every_quarter_hit_each_90_day_horizon_once_per_account_and_inside_goes_to_the_team():
    segment = make_segment()
    smb_matrix(segment)
    accounts = [AccountFactory(segment=segment, phase="active", potential=0) for _i in range(40)]
    plan_run(today=TODAY)
    calls = Task.objects.filter(source="plan", kind="care_call")
    per_account = Counter(calls.values_list("account_id", flat=True))
    # 4 a year = one slot every 65.25 workdays; a 90-day horizon holds 64-65 workdays: 0 or 1 slot, mostly 1.
    # Which accounts get one depends on their ids (the spread of the slots), so count them independently.
    from isf.planning.models import CareActivity

    act = CareActivity.objects.get(matrix__segment=segment, activity="care_call")
    expected = {a.pk for a in accounts if frequency_slots(a.pk, act.pk, 4, TODAY, TODAY + timedelta(days=90))}
    assert set(per_account.values()) == {1}
    assert set(per_account) == expected and len(expected) >= 30
    assert set(calls.values_list("team_id", "assignee_id", "side").distinct()) == {(segment.team_id, None, "inside")}
    assert not Task.objects.filter(kind="mailing").exists()  # marketing entries are campaigns, not account tasks
    assert not Task.objects.filter(kind="visit").exists()  # no owner: no field task
    assert {a.pk for a in accounts} >= set(per_account)


def test_due_dates_spread_evenly_over_the_workdays_of_the_year():
    start = date(2027, 1, 4)
    end = start + timedelta(days=364)
    per_day = Counter()
    for account_id in range(1, 2611):
        for _k, day in frequency_slots(account_id, 7, 4, start, end):
            assert day.weekday() < 5
            per_day[day] += 1
    workdays = date_to_workday(end) - date_to_workday(start)
    mean = sum(per_day.values()) / workdays
    assert sum(per_day.values()) == pytest.approx(2610 * 4, rel=0.01)
    assert len(per_day) == workdays  # every workday gets some
    assert max(per_day.values()) <= 1.6 * mean
    assert min(per_day.values()) >= 0.4 * mean
    # the slots of one account are a period apart
    slots = frequency_slots(42, 7, 4, start, end)
    gaps = {(b - a).days for (_i, a), (_j, b) in zip(slots, slots[1:], strict=False)}
    assert all(88 <= g <= 94 for g in gaps)


def test_workday_grid_round_trips():
    for w in range(0, 600, 7):
        assert date_to_workday(workday_to_date(w)) == w
    assert date_to_workday(date(2026, 11, 28)) == date_to_workday(date(2026, 11, 30))  # Saturday → Monday


def test_visits_follow_the_potential_class_and_go_to_the_owner():
    segment = make_segment()
    smb_matrix(segment)
    rep = UserFactory(role=Role.FIELD_REP)
    accounts = {cls: AccountFactory(segment=segment, phase="active", owner=rep, potential=pot)
                for cls, pot in [("A", 50000), ("C", 1000)]}
    plan_run(today=TODAY, horizon_days=366)
    visits = Counter(Task.objects.filter(kind="visit").values_list("account_id", flat=True))
    assert visits[accounts["A"].pk] == 3
    assert visits[accounts["C"].pk] == 1
    task = Task.objects.filter(kind="visit").first()
    assert (task.side, task.assignee_id, task.team_id) == ("field", rep.pk, None)
    assert task.reason_en.startswith("visit: ")


def test_welcome_call_after_the_first_order_with_reason_in_german_and_english():
    segment = make_segment()
    smb_matrix(segment)
    account = AccountFactory(segment=segment, phase="new")
    OrderFactory(account=account, date=date(2026, 11, 12))
    plan_run(today=TODAY)
    task = Task.objects.get(kind="welcome_call")
    assert task.reason == "Begrüßungsanruf: erste Bestellung am 12.11."
    assert task.reason_en == "welcome call: first order on 12 Nov"
    assert timezone.localtime(task.due_at).date() == TODAY  # due 26 Nov, within the grace days: due today
    assert task.dedupe_key == f"plan:{account.pk}:{task.source_id}:o20261112"


def test_segment_change_cancels_obsolete_tasks_with_a_reason_and_applies_the_new_plan():
    smb = make_segment()
    smb_matrix(smb)
    ka = make_segment(code="KA", name_de="Key Accounts", name_en="Key accounts")
    care_matrix_save(segment=ka, activities=[activity(title_de="Monatlicher Anruf KA-Team", frequency_per_year=12)])
    account = AccountFactory(segment=smb, phase="active")
    plan_run(today=TODAY)
    old = list(Task.objects.filter(account=account, status=TaskStatus.OPEN).values_list("pk", flat=True))
    assert old
    account.segment = ka
    account.save()
    result = run_json()
    assert result["cancelled"] == len(old)
    for task in Task.objects.filter(pk__in=old):
        assert task.status == TaskStatus.CANCELLED
        assert task.cancel_reason.startswith("Kontaktplan: Kundensegment jetzt KA (Eintrag gilt für SMB)")
        assert task.events.filter(action="cancelled").count() == 1
    new = Task.objects.filter(account=account, status=TaskStatus.OPEN)
    # 12 a year: one slot every 21.75 workdays, 2 or 3 in 90 days depending on the account's spread
    from isf.planning.models import CareActivity

    act = CareActivity.objects.get(matrix__segment=ka)
    slots = frequency_slots(account.pk, act.pk, 12, TODAY, TODAY + timedelta(days=90))
    assert new.count() == len(slots) and len(slots) in (2, 3)
    assert set(new.values_list("title", flat=True)) == {"Monatlicher Anruf KA-Team"}
    assert new.first().team_id == ka.team_id
    assert run_json()["created"] == 0


def test_phase_change_cancels_care_calls_and_plans_the_win_back_call():
    segment = make_segment()
    smb_matrix(segment)
    account = AccountFactory(segment=segment, phase="active")
    plan_run(today=TODAY)
    call = Task.objects.get(account=account, kind="care_call")
    lifecycle_set_phase(account=account, phase="lost", reason="Betrieb aufgegeben", actor=UserFactory())
    result = plan_run(today=timezone.localdate())
    call.refresh_from_db()
    assert call.status == TaskStatus.CANCELLED
    assert call.cancel_reason.startswith("Kontaktplan: Lebenszyklusphase jetzt verloren")
    assert result["cancelled"] == 1
    winback = Task.objects.get(account=account, kind="winback_call")
    today = timezone.localdate()
    assert winback.reason == f"Rückgewinnungsanruf: verloren seit {today:%d.%m.}"
    assert timezone.localtime(winback.due_at).date() == today + timedelta(days=14)


def test_claimed_tasks_are_not_cancelled():
    segment = make_segment()
    smb_matrix(segment)
    account = AccountFactory(segment=segment, phase="active")
    plan_run(today=TODAY)
    call = Task.objects.get(account=account, kind="care_call")
    agent = UserFactory(team=segment.team)
    Task.objects.filter(pk=call.pk).update(status="claimed", assignee=agent)
    account.phase = "lost"
    account.save()
    plan_run(today=TODAY)
    call.refresh_from_db()
    assert call.status == "claimed"


def test_private_customer_without_consent_gets_no_phone_task():
    segment = make_segment()
    smb_matrix(segment)
    AccountFactory(segment=segment, phase="active", customer_type="b2c", presumed_consent=False)
    objected = AccountFactory(segment=segment, phase="active", opt_out_date=date(2026, 1, 1))
    result = plan_run(today=TODAY)
    assert result["created"] == 0
    assert result["skipped_no_consent"] == 2
    assert not Task.objects.filter(account=objected).exists()


def test_documented_call_counts_as_the_due_visit_where_the_matrix_says_so(today_is):
    today_is(TODAY)
    segment = make_segment()
    smb_matrix(segment, call_counts_as_visit=True)
    rep = UserFactory(role=Role.FIELD_REP)
    account = AccountFactory(segment=segment, phase="active", owner=rep, potential=0)
    # a C account is visited once a year: planned from a year back, its first visit is due by TODAY
    plan_run(today=TODAY - timedelta(days=366), horizon_days=366)
    visit = Task.objects.filter(kind="visit", due_at__lte=timezone.now()).order_by("-due_at").first()
    assert visit is not None
    call = Task.objects.filter(account=account, kind="care_call").first()
    task_complete(task=call, user=UserFactory(team=segment.team), outcome="reached")
    result = plan_run(today=TODAY)
    visit.refresh_from_db()
    assert result["calls_counted_as_visits"] >= 1
    assert (visit.status, visit.outcome) == ("done", "call_as_visit")


def test_bad_horizon_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="horizon_days must be between 1 and 366"):
        call_command("plan", "--horizon-days", "0", stdout=StringIO(), stderr=StringIO())
