""""Alerts worked" and the win-back rate follow the chosen period: for a week, a month and a quarter each figure
is compared with a count made independently from the rows the test built (by their business dates)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from isf.capacity import kpis
from isf.customers.tests.factories import AccountFactory
from isf.lifecycle.models import PhaseChange
from isf.monitoring.models import Flag
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.planning.services import task_complete, task_create

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 12, 9)  # Wednesday; week from 7 Dec, month from 1 Dec, quarter from 1 Oct
RAISED = [TODAY - timedelta(days=d) for d in (0, 1, 2, 5, 9, 20, 40, 60, 75, 100, 130)]


@pytest.fixture
def world(today_is):
    today_is(TODAY)
    team = TeamFactory(code="ID-M", name="Innendienst Mitte")
    agent = UserFactory(username="id-kpi", role=Role.INSIDE_AGENT, team=team)
    alerts = []
    for k, raised in enumerate(RAISED):
        account = AccountFactory(team=team)
        due = datetime.combine(raised, time(9), tzinfo=BERLIN)
        task = task_create(kind="alert", title="Bestellalarm", due_at=due, team=team, account=account)
        state = ("worked", "open", "ordered")[k % 3]
        if state == "worked":
            task_complete(task=task, user=agent, outcome="reached")
        elif state == "ordered":
            task_complete(task=task, user=agent, outcome="ordered_again")
        Flag.objects.create(account=account, code="overdue", score=0.9, reason="r", raised_on=raised, team=team,
                            task=task)
        alerts.append((raised, state))
    changes = []
    for k, day in enumerate(RAISED):  # lost 200 days before; every second one won back on ``day``
        account = AccountFactory(team=team)
        lost_on = day - timedelta(days=200)
        PhaseChange.objects.create(account=account, from_phase="active", to_phase="lost", reason="x",
                                   at=datetime.combine(TODAY, time(3), tzinfo=BERLIN), effective=lost_on)
        if k % 2 == 0:
            PhaseChange.objects.create(account=account, from_phase="lost", to_phase="won_back", reason="y",
                                       at=datetime.combine(TODAY, time(3), tzinfo=BERLIN), effective=day)
        changes.append((lost_on, day if k % 2 == 0 else None))
    return {"team": team, "alerts": alerts, "changes": changes}


@pytest.mark.parametrize("kind", ["week", "month", "quarter"])
def test_alerts_worked_counts_the_alerts_raised_in_the_period(world, kind):
    period = kpis.period_for(kind, TODAY)
    inside = [state for raised, state in world["alerts"] if period.first <= raised <= period.last]
    figures = kpis.alerts_worked(period)
    assert figures["raised"] == len(inside)
    assert figures["worked"] == inside.count("worked")
    assert figures["ordered_again"] == inside.count("ordered")
    assert figures["open"] == inside.count("open")
    assert [o["outcome"] for o in figures["outcomes"]] == ["reached"]
    assert figures == kpis.dashboard(period)["alerts"]  # the page and the pack read the same figure


def test_the_three_periods_differ(world):
    raised = [kpis.alerts_worked(kpis.period_for(kind, TODAY))["raised"] for kind in ("week", "month", "quarter")]
    assert raised == [3, 4, 8]


@pytest.mark.parametrize("kind", ["week", "month", "quarter"])
def test_the_win_back_rate_follows_the_period(world, kind):
    period = kpis.period_for(kind, TODAY)
    won = [1 for _lost, back in world["changes"] if back and period.first <= back <= period.last]
    lost_then = [1 for lost, back in world["changes"] if lost < period.first and not (back and back < period.first)]
    figures = kpis.winback(period)
    assert (figures["won_back"], figures["lost"]) == (len(won), len(lost_then))
    assert figures["rate"] == pytest.approx(len(won) / (len(won) + len(lost_then)))


@pytest.fixture
def work(world):
    """Quotes, logged calls and planned contacts on the same days as the alerts."""
    from decimal import Decimal

    from isf.calls.models import CallLog
    from isf.customers.models import Quote
    from isf.planning.models import Task
    from isf.planning.tests.helpers import make_segment

    team = world["team"]
    segment = make_segment(code="C", team=team)
    quotes, calls, contacts = [], [], []
    for k, day in enumerate(RAISED):
        status = ("won", "lost", "sent")[k % 3]
        Quote.objects.create(number=f"AN-{k}", account=AccountFactory(team=team), date=day, amount=Decimal("100"),
                             valid_until=day + timedelta(days=30), status=status)
        quotes.append((day, status))
        direction = ("inbound", "outbound")[k % 2]
        CallLog.objects.create(direction=direction, started_at=datetime.combine(day, time(10), tzinfo=BERLIN),
                               team=team, outcome="reached")
        calls.append((day, direction))
        if day < TODAY:  # planned contacts due on the day, every second one done on time
            task = task_create(kind="care_call", title="Pflegeanruf", source="plan", team=team,
                               due_at=datetime.combine(day, time(9), tzinfo=BERLIN),
                               account=AccountFactory(team=team, segment=segment))
            done = k % 2 == 0
            if done:
                Task.objects.filter(pk=task.pk).update(status="done",
                                                       completed_at=datetime.combine(day, time(11), tzinfo=BERLIN))
            contacts.append((day, done))
    return {"quotes": quotes, "calls": calls, "contacts": contacts}


@pytest.mark.parametrize("kind", ["week", "month", "quarter"])
def test_quotes_calls_contact_plan_and_coverage_follow_the_period(world, work, kind):
    period = kpis.period_for(kind, TODAY)

    def inside(rows):
        return [rest for day, rest in rows if period.first <= day <= period.last]

    quotes = inside(work["quotes"])
    q = kpis.quote_conversion(period)
    assert (q["n"], q["won"], q["lost"]) == (len(quotes), quotes.count("won"), quotes.count("lost"))
    calls = inside(work["calls"])
    c = kpis.calls_handled(period)
    assert c["total"] == len(calls)
    assert c["by_direction"].get("inbound", 0) == calls.count("inbound")
    contacts = inside(work["contacts"])
    plan = kpis.contact_plan(period)
    assert (plan["due"], plan["on_time"]) == (len(contacts), contacts.count(True))
    coverage = kpis.coverage_by_segment(period)
    assert [(r["segment"], r["due"], r["done"]) for r in coverage] == (
        [("C", len(contacts), contacts.count(True))] if contacts else [])
