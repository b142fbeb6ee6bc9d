"""Process times come from status events, in business hours of the team's calendar."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from isf.capacity import sources
from isf.capacity.processtimes import OrderTimeline, durations, service_process_times, summarise
from isf.core.business_time import BusinessCalendar
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory

CAL = BusinessCalendar.from_spec(state="BY")  # Mon-Fri 08:00-17:00 Europe/Berlin


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def timeline(service, requested, accepted, done, **extra):
    events = [("accepted", accepted), ("done", done)] if accepted else [("done", done)]
    return OrderTimeline(service_id=service, requested_at=requested, events=tuple(events), calendar=CAL, **extra)


def test_business_time_excludes_nights_weekends_and_holidays():
    # requested Fri 2026-11-27 15:00 CET, accepted 16:00, done Mon 10:00: 2 h Friday + 2 h Monday = 4 h
    t = timeline("quote", utc(2026, 11, 27, 14), utc(2026, 11, 27, 15), utc(2026, 11, 30, 9))
    accepted, requested = durations(t)
    assert accepted == 3 * 3600  # 16:00-17:00 Friday + 08:00-10:00 Monday
    assert requested == 4 * 3600
    # Whit Monday 2026-05-25 is a holiday in Bavaria: Fri 16:00 -> Tue 09:00 is 1 h + 1 h
    t = timeline("quote", utc(2026, 5, 22, 14), None, utc(2026, 5, 26, 7))
    assert durations(t) == (2 * 3600, 2 * 3600)


def test_open_orders_do_not_count_and_reopened_orders_count_until_final_completion():
    open_order = OrderTimeline("quote", utc(2026, 11, 23, 8), (("accepted", utc(2026, 11, 23, 9)),), CAL)
    assert durations(open_order) is None
    reopened = OrderTimeline("quote", utc(2026, 11, 23, 8), (
        ("accepted", utc(2026, 11, 23, 9)), ("done", utc(2026, 11, 23, 10)), ("in_progress", utc(2026, 11, 23, 11)),
        ("done", utc(2026, 11, 23, 12))), CAL)
    assert durations(reopened) == (3 * 3600, 4 * 3600)


def test_median_and_90th_percentile_per_service_against_the_standard():
    monday = utc(2026, 11, 23, 7)  # 08:00 local
    rows = summarise(
        [timeline("quote", monday, monday, monday + timedelta(hours=h), effort_minutes=m)
         for h, m in ((1, 30), (2, 40), (3, 50), (4, 60), (8, 70))]
        + [timeline("welcome", monday, monday + timedelta(hours=1), monday + timedelta(hours=2))],
        standards={"quote": 45.0, "welcome": 20.0, "unused": 10.0},
        names={"quote": "Angebot", "welcome": "Welcome-Anruf", "unused": "Reiseplanung"},
        service_levels_h={"quote": 3.0},
    )
    by = {r.service_id: r for r in rows}
    quote = by["quote"]
    assert quote.orders_done == 5
    assert quote.accepted_to_done_median_h == 3.0
    assert quote.accepted_to_done_p90_h == pytest.approx(6.4)  # linear between 4 h and 8 h
    assert quote.request_to_done_median_h == 3.0
    assert quote.effort_median_min == 50.0
    assert quote.measured_effort_min == 50.0
    assert quote.deviation == pytest.approx(50 / 45 - 1)
    assert quote.within_service_level == 3 / 5
    welcome = by["welcome"]
    assert (welcome.accepted_to_done_median_h, welcome.request_to_done_median_h) == (1.0, 2.0)
    # nothing logged and no agent: no effort to adopt (elapsed accepted->done includes waiting and other work)
    assert welcome.measured_effort_min is None and welcome.deviation is None
    assert by["unused"].orders_done == 0 and by["unused"].measured_effort_min is None
    assert [r.name for r in rows] == ["Angebot", "Reiseplanung", "Welcome-Anruf"]


def test_the_orders_own_sla_clock_decides_attainment_when_it_has_one():
    monday = utc(2026, 11, 23, 7)
    rows = summarise([
        timeline("q", monday, monday, monday + timedelta(hours=5), target_seconds=4 * 3600, elapsed_seconds=3 * 3600),
        timeline("q", monday, monday, monday + timedelta(hours=5), target_seconds=4 * 3600, elapsed_seconds=5 * 3600),
    ])
    assert rows[0].within_service_level == 0.5


# ------------------------------------------------------------------ with the service app's models, when installed


def _service_models():
    order, event, catalog = sources.service_order_model(), sources.service_event_model(), sources.catalog_model()
    if order is None or event is None or catalog is None:
        pytest.skip("the service app is not installed yet")
    return order, event, catalog


@pytest.mark.django_db
def test_process_times_are_measured_from_service_order_events(client, today_is):
    order_model, event_model, catalog = _service_models()
    from isf.customers.tests.factories import AccountFactory

    team = TeamFactory(code="KA", state="BY")
    requester = UserFactory(role=Role.FIELD_REP)
    agent = UserFactory(role=Role.INSIDE_AGENT, team=team)
    entry = catalog.objects.order_by("pk").first()
    monday = utc(2026, 11, 23, 7)
    for hours in (2, 4, 6):
        order = order_model.objects.create(
            service=entry, account=AccountFactory(), requester=requester, team=team, status="done", assignee=agent,
            created_at=monday, target_seconds=16 * 3600, clock_started_at=monday, completed_at=monday,
        )
        event_model.objects.create(order=order, at=monday + timedelta(hours=1), action="accept",
                                   from_status="new", to_status="accepted")
        event_model.objects.create(order=order, at=monday + timedelta(hours=hours), action="complete",
                                   from_status="accepted", to_status="done")
    rows = service_process_times(since=monday - timedelta(days=1), until=monday + timedelta(days=2))
    row = next(r for r in rows if r.service_id == entry.pk)
    assert row.orders_done == 3
    assert row.accepted_to_done_median_h == 3.0
    assert row.request_to_done_median_h == 4.0
    assert row.request_to_done_p90_h == pytest.approx(5.6)
    assert row.standard_effort_min == float(entry.effort_minutes)
    # one agent, all three in work from 09:00 (local): 09-10 shared by three, 10-12 by two, 12-14 by one
    assert row.active_work_median_min == 80.0  # 20, 80, 200 minutes
    from datetime import date

    from isf.capacity.staffing import standard_change_fte

    # default parameters: shrinkage 0.30, 8 paid hours per FTE; 3 orders in 4 weeks = 0.15 per workday
    expected = 3 / 20 * (80 - float(entry.effort_minutes)) / 60 / (1 - 0.30) / 8
    assert standard_change_fte(entry.pk, 80.0, today=date(2026, 11, 27)) == round(expected, 2)
    # the page shows the change beside "Adopt as standard", before anything is saved
    today_is(date(2026, 11, 27))
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))
    page = client.get(reverse("capacity:process-times"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    change = f"{expected:.2f}".replace(".", ",")
    assert f"Personalbedarf an einem Arbeitstag ändert sich um {change} VZÄ" in page


@pytest.mark.django_db
def test_idl_adopts_the_measured_effort_and_the_vl_cannot(client):
    _order, _event, catalog = _service_models()
    entry = catalog.objects.order_by("pk").first()
    before = entry.effort_minutes
    client.force_login(UserFactory(role=Role.SALES_LEAD))
    response = client.post(reverse("capacity:adopt-standard"), {"service_id": entry.pk, "minutes": "77,4"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.effort_minutes == before
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))
    client.post(reverse("capacity:adopt-standard"), {"service_id": entry.pk, "minutes": "77,4"})
    entry.refresh_from_db()
    assert entry.effort_minutes == 77
    assert entry.history.count() >= 1 and entry.history.first().effort_minutes == 77
    response = client.post(reverse("capacity:adopt-standard"), {"service_id": entry.pk, "minutes": "-3"})
    entry.refresh_from_db()
    assert entry.effort_minutes == 77


def test_standard_effort_decimal_is_kept_exact():
    assert Decimal("77.4").quantize(Decimal("0.1")) == Decimal("77.4")


def test_active_work_shares_each_moment_among_the_agents_open_orders():
    # Monday 30 Nov 2026, CET (UTC+1). Agent 1: order A 09:00-11:00, order B 10:00-12:00 (overlap 10-11);
    # agent 2's order C overlaps in time but is another agent's work.
    a = timeline("quote", utc(2026, 11, 30, 7), utc(2026, 11, 30, 8), utc(2026, 11, 30, 10), agent=1)
    b = timeline("quote", utc(2026, 11, 30, 8), utc(2026, 11, 30, 9), utc(2026, 11, 30, 11), agent=1)
    c = timeline("quote", utc(2026, 11, 30, 7), utc(2026, 11, 30, 8), utc(2026, 11, 30, 11), agent=2)
    # Friday 16:00 to Monday 09:00: one business hour on Friday, one on Monday, nothing over the weekend
    d = timeline("call", utc(2026, 11, 27, 14), utc(2026, 11, 27, 15), utc(2026, 11, 30, 8), agent=3)
    no_agent = timeline("quote", utc(2026, 11, 30, 7), utc(2026, 11, 30, 8), utc(2026, 11, 30, 10))
    from isf.capacity.processtimes import active_work_seconds

    work = active_work_seconds([a, b, c, d, no_agent])
    assert work == {0: 1.5 * 3600, 1: 1.5 * 3600, 2: 3 * 3600, 3: 2 * 3600}
    [quote] = [r for r in summarise([a, b, c]) if r.service_id == "quote"]
    # the adoptable effort is the active work (90, 90, 180 min: median 90), not the elapsed 120 min median
    assert (quote.accepted_to_done_median_h, quote.active_work_median_min, quote.measured_effort_min) == (
        2.0, 90.0, 90.0)
