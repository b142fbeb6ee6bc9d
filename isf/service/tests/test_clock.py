"""The SLA clock through the service's code path (calendar_from_spec + compute_due), hand-computed cases."""

from datetime import date

import pytest
from django.core.management import call_command

from isf.core.business_time import parse_local
from isf.service import clock


def due_local(start: str, hours: float, state: str, **kw) -> str:
    cal = clock.calendar_from_spec(state=state, **kw)
    return clock.compute_due(cal, parse_local(start), hours * 3600).astimezone(cal.zone).isoformat()


@pytest.mark.parametrize(("start", "hours", "state", "expected"), [
    # Monday 16:30 + 8 h: 0.5 h Monday, 7.5 h Tuesday -> 15:30
    ("2027-06-07T16:30", 8, "BY", "2027-06-08T15:30:00+02:00"),
    # Friday 15:00 + 4 h: 2 h Friday, weekend skipped, 2 h Monday -> 10:00
    ("2027-06-11T15:00", 4, "BY", "2027-06-14T10:00:00+02:00"),
    # Corpus Christi (Thu 27.05.2027) is a holiday in BY and NW, a workday in NI and BE
    ("2027-05-26T16:00", 3, "BY", "2027-05-28T10:00:00+02:00"),
    ("2027-05-26T16:00", 3, "NW", "2027-05-28T10:00:00+02:00"),
    ("2027-05-26T16:00", 3, "NI", "2027-05-27T10:00:00+02:00"),
    # Reformation Day (Fri 31.10.2025) stops the clock in SN and NI, not in BY
    ("2025-10-30T16:00", 2, "SN", "2025-11-03T09:00:00+01:00"),
    ("2025-10-30T16:00", 2, "NI", "2025-11-03T09:00:00+01:00"),
    ("2025-10-30T16:00", 2, "BY", "2025-10-31T09:00:00+01:00"),
    # Day of Prayer and Repentance (Wed 17.11.2027) only in SN
    ("2027-11-16T16:00", 2, "SN", "2027-11-18T09:00:00+01:00"),
    ("2027-11-16T16:00", 2, "BY", "2027-11-17T09:00:00+01:00"),
    # Women's Day (Mon 08.03.2027) in BE, not in HH
    ("2027-03-05T16:00", 2, "BE", "2027-03-09T09:00:00+01:00"),
    ("2027-03-05T16:00", 2, "HH", "2027-03-08T09:00:00+01:00"),
    # request on Saturday night starts Monday 08:00
    ("2027-06-12T22:10", 1.5, "BY", "2027-06-14T09:30:00+02:00"),
    # DST: Friday 24.03.2028 16:00 CET + 2 h -> Monday 27.03 09:00 CEST (clocks changed on Sunday)
    ("2028-03-24T16:00", 2, "BY", "2028-03-27T09:00:00+02:00"),
    # Easter: Thursday 25.03.2027 16:00 + 2 h -> Good Friday and Easter Monday off -> Tuesday 30.03 09:00 CEST
    ("2027-03-25T16:00", 2, "BY", "2027-03-30T09:00:00+02:00"),
    # autumn: Friday 29.10.2027 16:00 CEST + 2 h -> Monday 01.11 is All Saints (BY) -> Tuesday 09:00 CET
    ("2027-10-29T16:00", 2, "BY", "2027-11-02T09:00:00+01:00"),
    # custom hours 07:30-16:00 with fractional hours
    ("2027-06-07T15:00", 2.25, "BY", "2027-06-08T08:45:00+02:00"),
])
def test_due_time_hand_computed(start, hours, state, expected):
    kwargs = {"business_hours": "07:30-16:00"} if expected == "2027-06-08T08:45:00+02:00" else {}
    assert due_local(start, hours, state, **kwargs) == expected


def test_company_closing_day_stops_the_clock():
    assert due_local("2027-12-23T16:00", 2, "BY", closing_days=[date(2027, 12, 24)]) == "2027-12-27T09:00:00+01:00"


def test_pause_moves_due_time_by_the_business_time_it_swallowed():
    cal = clock.calendar_from_spec(state="BY")
    start = parse_local("2027-06-07T08:00")
    pauses = [(parse_local("2027-06-07T11:00"), parse_local("2027-06-07T14:00"))]
    assert clock.compute_due(cal, start, 8 * 3600).astimezone(cal.zone).isoformat() == "2027-06-07T16:00:00+02:00"
    assert clock.compute_due(cal, start, 8 * 3600, pauses).astimezone(cal.zone).isoformat() == (
        "2027-06-08T10:00:00+02:00")


def test_business_days_use_the_team_day_length():
    cal = clock.calendar_from_spec(state="BY", business_hours="08:00-12:00,13:00-17:00")
    assert clock.target_seconds(2, "days", cal) == 16 * 3600
    assert clock.target_seconds(1.5, "hours", cal) == 5400


@pytest.mark.django_db
def test_isf_sla_due_command_prints_local_iso_time(capsys):
    call_command("sla", "due", "--start", "2027-06-07T16:30", "--hours", "8", "--state", "BY")
    assert capsys.readouterr().out.strip() == "2027-06-08T15:30:00+02:00"
    call_command("sla", "due", "--start", "2027-06-07T16:30", "--hours", "8", "--state", "BY",
                 "--business-hours", "09:00-17:00")
    assert capsys.readouterr().out.strip() == "2027-06-08T16:30:00+02:00"


@pytest.mark.django_db
def test_isf_sla_due_refuses_an_unknown_state():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="state"):
        call_command("sla", "due", "--start", "2027-06-07T16:30", "--hours", "8", "--state", "XX")
