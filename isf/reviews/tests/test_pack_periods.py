"""The pack compares a period still running with the same elapsed days of the period before, and its segment
shares add up to 100 %."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from isf.capacity.kpis import Period
from isf.capacity.models import CallVolume
from isf.org.tests.factories import TeamFactory
from isf.reviews.selectors import _call_volumes, _segments, elapsed_part

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def test_a_running_month_is_compared_with_the_same_days_of_the_month_before():
    december = Period(date(2026, 12, 1), date(2026, 12, 31))
    current, before, partial = elapsed_part(december, today=date(2026, 12, 7))
    assert (current.first, current.last, before.first, before.last, partial) == (
        date(2026, 12, 1), date(2026, 12, 7), date(2026, 11, 1), date(2026, 11, 7), True)
    current, before, partial = elapsed_part(Period(date(2026, 11, 1), date(2026, 11, 30)), today=date(2026, 12, 7))
    assert (current.last, before.first, before.last, partial) == (date(2026, 11, 30), date(2026, 10, 1),
                                                                   date(2026, 10, 30), False)
    # any other period steps back by its length
    _c, before, _p = elapsed_part(Period(date(2026, 11, 9), date(2026, 11, 22)), today=date(2026, 12, 7))
    assert (before.first, before.last) == (date(2026, 10, 26), date(2026, 11, 8))


def test_the_volumes_of_a_running_period_do_not_compare_a_week_with_a_month(today_is):
    today_is(date(2026, 12, 7), hour=18)
    team = TeamFactory(code="ID-M", name="Innendienst Mitte")
    for day in range(1, 31):  # 10 calls every November day, 11 every December day so far
        CallVolume.objects.create(team=team, start=datetime(2026, 11, day, 9, tzinfo=BERLIN), calls=10,
                                  resolution_minutes=15)
    for day in range(1, 8):
        CallVolume.objects.create(team=team, start=datetime(2026, 12, day, 9, tzinfo=BERLIN), calls=11,
                                  resolution_minutes=15)
    volumes = _call_volumes(Period(date(2026, 12, 1), date(2026, 12, 31)))
    assert volumes["partial"] is True
    [row] = volumes["rows"]
    assert (row["actual"], row["expected"]) == (77, 70)
    assert round(row["change"], 3) == 0.1


def test_segment_shares_add_up_to_100(today_is):
    from isf.customers.tests.factories import AccountFactory, OrderFactory, add_line
    from isf.planning.tests.helpers import make_segment

    today_is(date(2026, 12, 7))
    segments = [make_segment(code=c, precedence=i) for i, c in enumerate(["A", "B", "C"])]
    for segment in segments:  # a third each: 33.3 + 33.3 + 33.3 would be 99.9
        add_line(OrderFactory(account=AccountFactory(segment=segment), date=date(2026, 11, 3)), revenue="100.00")
    rows = _segments(Period(date(2026, 11, 1), date(2026, 11, 30)))
    assert sum(r["share_shown"] for r in rows) == Decimal("100.0")
    assert [str(r["share_shown"]) for r in rows] == ["33.4", "33.3", "33.3"]


def test_the_pack_says_how_many_of_the_inbound_calls_offered_were_logged(client, today_is):
    from isf.calls.models import CallLog
    from isf.org.choices import Role
    from isf.org.tests.factories import UserFactory
    from isf.reviews import services

    today_is(date(2026, 12, 7), hour=18)
    team = TeamFactory(code="ID-M", name="Innendienst Mitte")
    vl, idl = UserFactory(role=Role.SALES_LEAD), UserFactory(role=Role.INSIDE_LEAD)
    for day in range(1, 8):
        CallVolume.objects.create(team=team, start=datetime(2026, 11, day, 9, tzinfo=BERLIN), calls=900,
                                  resolution_minutes=15)
    for k in range(3):
        CallLog.objects.create(direction="inbound", started_at=datetime(2026, 11, 2 + k, 10, tzinfo=BERLIN),
                               team=team, outcome="reached")
    CallLog.objects.create(direction="outbound", started_at=datetime(2026, 11, 3, 11, tzinfo=BERLIN), team=team,
                           outcome="reached")
    meeting = services.meeting_create(title="Review November", period_start=date(2026, 11, 1),
                                      period_end=date(2026, 11, 30), scheduled_at=datetime(2026, 12, 3, 10,
                                                                                            tzinfo=BERLIN),
                                      sales_lead=vl, inside_lead=idl, actor=vl)
    client.force_login(vl)
    german = client.get(f"/reviews/{meeting.pk}/pack/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "3 von 6.300 angebotenen eingehenden Anrufen wurden in ISF erfasst; ausgehende Anrufe erfasst: 1." in german
    english = client.get(f"/reviews/{meeting.pk}/pack/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 of 6,300 inbound calls offered were logged in ISF; outbound calls logged: 1." in english
