"""Tests for the SLA business-time clock (pure Python, no database).

Expected values are computed by hand; the reasoning is written next to each case so a reviewer can re-check it
with a wall calendar.  Dates used (all verified weekdays):

* 2027-06-07 Monday.  Corpus Christi 2027 = Thursday 27 May.  Easter 2027 = Sunday 28 March (Good Friday 26,
  Easter Monday 29 March) -- which is also the DST spring-forward day; DST ends Sunday 31 October 2027.
* Reformation Day 2025 = Friday 31 October; Buss- und Bettag 2025 = Wednesday 19 November.
* Women's Day 2027 = Monday 8 March.  Christmas 2025: 25 Thu, 26 Fri; New Year 2026 = Thursday; 6 Jan 2026 Tue.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from isf.core.business_time import (
    BusinessCalendar,
    add_business_seconds,
    business_seconds_between,
    due_at,
    elapsed_with_pauses,
    is_business_day,
    is_business_time,
    next_business_moment,
    parse_local,
    sla_state,
)

BERLIN = ZoneInfo("Europe/Berlin")
HOUR = 3600


def L(s: str) -> datetime:
    """Berlin wall-clock string -> aware UTC."""
    return parse_local(s)


def local(moment: datetime) -> str:
    return moment.astimezone(BERLIN).isoformat()


BY = BusinessCalendar.from_spec(state="BY")
BE = BusinessCalendar.from_spec(state="BE")
SN = BusinessCalendar.from_spec(state="SN")
#: Round-the-clock calendar, every day, Bavarian holidays: proves wall-clock handling on DST Sundays.
BY_24_7 = BusinessCalendar.from_spec(state="BY", business_hours="00:00-24:00", workdays="1-7")


# ----------------------------------------------------------------------------------------------------------------
# The headline example
# ----------------------------------------------------------------------------------------------------------------


def test_due_at_headline_example_monday_afternoon_plus_8_hours_in_bavaria():
    # Start Monday 2027-06-07 16:30 (CEST, +02:00), 8 business hours, 08:00-17:00, BY.
    #   Monday 16:30-17:00               = 0.5 h  (7.5 h left)
    #   Tuesday 2027-06-08 08:00 + 7.5 h = 15:30  (no Bavarian holiday on 7/8 June 2027)
    start = L("2027-06-07T16:30")
    due = due_at(BY, start, 8 * HOUR)
    assert due == datetime(2027, 6, 8, 13, 30, tzinfo=UTC)
    assert local(due) == "2027-06-08T15:30:00+02:00"
    assert due.tzinfo is UTC
    assert add_business_seconds(BY, start, 8 * HOUR) == due
    assert business_seconds_between(BY, start, due) == 8 * HOUR


# ----------------------------------------------------------------------------------------------------------------
# State holidays
# ----------------------------------------------------------------------------------------------------------------


def test_corpus_christi_2027_skipped_in_bavaria_but_not_in_berlin():
    # Wed 26 May 2027 16:00 + 2 h: Wed 16-17 = 1 h, then 1 h on the next business day.
    start = L("2027-05-26T16:00")
    # BY: Thu 27 May is Fronleichnam -> Fri 28 May 08:00 + 1 h = 09:00.
    assert local(add_business_seconds(BY, start, 2 * HOUR)) == "2027-05-28T09:00:00+02:00"
    # BE: Thursday is a normal workday -> Thu 27 May 09:00.
    assert local(add_business_seconds(BE, start, 2 * HOUR)) == "2027-05-27T09:00:00+02:00"
    assert not is_business_day(BY, date(2027, 5, 27))
    assert is_business_day(BE, date(2027, 5, 27))


@pytest.mark.parametrize("state", ["BY", "BW", "HE", "NW", "RP", "SL"])
def test_corpus_christi_counts_in_catholic_states(state):
    assert not is_business_day(BusinessCalendar(state=state), date(2027, 5, 27))


def test_reformation_day_2025_skipped_in_saxony_but_not_in_bavaria():
    # Thu 30 Oct 2025 16:00 (CET, DST already ended 26 Oct) + 2 h: Thu 16-17 = 1 h, 1 h left.
    start = L("2025-10-30T16:00")
    # SN: Fri 31 Oct Reformationstag, Sat/Sun weekend -> Mon 3 Nov 09:00.
    assert local(add_business_seconds(SN, start, 2 * HOUR)) == "2025-11-03T09:00:00+01:00"
    # BY: Friday is a workday (Allerheiligen 1 Nov is a Saturday anyway) -> Fri 31 Oct 09:00.
    assert local(add_business_seconds(BY, start, 2 * HOUR)) == "2025-10-31T09:00:00+01:00"


@pytest.mark.parametrize("state", ["BB", "HB", "HH", "MV", "NI", "SN", "ST", "SH", "TH"])
def test_reformation_day_counts_in_protestant_states(state):
    assert not is_business_day(BusinessCalendar(state=state), date(2025, 10, 31))


def test_buss_und_bettag_2025_only_in_saxony():
    # Tue 18 Nov 2025 16:00 + 2 h.  SN: Wed 19 Nov Buss- und Bettag -> Thu 20 Nov 09:00.  BY: Wed 19 Nov 09:00.
    start = L("2025-11-18T16:00")
    assert local(add_business_seconds(SN, start, 2 * HOUR)) == "2025-11-20T09:00:00+01:00"
    assert local(add_business_seconds(BY, start, 2 * HOUR)) == "2025-11-19T09:00:00+01:00"
    assert not is_business_time(SN, L("2025-11-19T10:00"))
    assert is_business_time(BY, L("2025-11-19T10:00"))


def test_womens_day_2027_in_berlin():
    # Fri 5 Mar 2027 16:00 + 2 h: Fri 16-17 = 1 h, weekend, then
    #   BE: Mon 8 Mar Frauentag -> Tue 9 Mar 09:00;   BY: Mon 8 Mar 09:00.
    start = L("2027-03-05T16:00")
    assert local(add_business_seconds(BE, start, 2 * HOUR)) == "2027-03-09T09:00:00+01:00"
    assert local(add_business_seconds(BY, start, 2 * HOUR)) == "2027-03-08T09:00:00+01:00"


def test_womens_day_introduction_years():
    # Berlin since 2019 (8 Mar 2018 was a Thursday, 2019 a Friday); Mecklenburg-Vorpommern since 2023.
    be, mv = BusinessCalendar(state="BE"), BusinessCalendar(state="MV")
    assert is_business_day(be, date(2018, 3, 8))
    assert not is_business_day(be, date(2019, 3, 8))
    assert is_business_day(mv, date(2022, 3, 8))
    assert not is_business_day(mv, date(2023, 3, 8))


def test_national_calendar_without_state():
    national = BusinessCalendar()
    assert is_business_day(national, date(2027, 5, 27))  # Corpus Christi (Thu) is not national
    assert is_business_day(national, date(2025, 10, 31))  # Reformation Day (Fri) is not national
    assert not is_business_day(national, date(2025, 10, 3))  # German Unity Day, Friday
    assert not is_business_day(national, date(2027, 5, 6))  # Ascension Day, Thursday


def test_christmas_and_new_year_spanning():
    # Wed 24 Dec 2025 (Heiligabend is not a public holiday) 08:00 until Wed 7 Jan 2026 08:00.
    # Business days: 24 Dec, 29, 30, 31 Dec, 2 Jan, 5 Jan  (25/26 Dec and 1 Jan holidays, weekends,
    # Tue 6 Jan Heilige Drei Koenige in BY only) -> BY 6 x 9 h = 54 h, BE 7 x 9 h = 63 h.
    start, end = L("2025-12-24T08:00"), L("2026-01-07T08:00")
    assert business_seconds_between(BY, start, end) == 54 * HOUR
    assert business_seconds_between(BE, start, end) == 63 * HOUR
    # Wed 24 Dec 16:00 + 10 h: 1 h on 24 Dec, then the 9 h of Mon 29 Dec fill up exactly -> 29 Dec 17:00
    # (the end of the window, not the next morning).
    assert local(add_business_seconds(BY, L("2025-12-24T16:00"), 10 * HOUR)) == "2025-12-29T17:00:00+01:00"
    # Wed 31 Dec 16:00 + 2 h: 1 h, Thu 1 Jan Neujahr -> Fri 2 Jan 09:00.
    assert local(add_business_seconds(BY, L("2025-12-31T16:00"), 2 * HOUR)) == "2026-01-02T09:00:00+01:00"


def test_weekend_is_skipped():
    # Fri 11 Jun 2027 15:00 + 4 h: Fri 15-17 = 2 h, Sat/Sun skipped, Mon 14 Jun 08:00 + 2 h = 10:00.
    assert local(add_business_seconds(BY, L("2027-06-11T15:00"), 4 * HOUR)) == "2027-06-14T10:00:00+02:00"
    assert business_seconds_between(BY, L("2027-06-11T17:00"), L("2027-06-14T08:00")) == 0


# ----------------------------------------------------------------------------------------------------------------
# Starting outside business hours
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "starts"),
    [
        ("2027-06-12T10:00", "2027-06-14T08:00:00+02:00"),  # Saturday -> Monday 08:00
        ("2027-06-08T06:00", "2027-06-08T08:00:00+02:00"),  # Tuesday early -> same day 08:00
        ("2027-06-08T18:00", "2027-06-09T08:00:00+02:00"),  # Tuesday evening -> Wednesday 08:00
        ("2027-06-08T17:00", "2027-06-09T08:00:00+02:00"),  # 17:00 sharp is closed (half-open window)
        ("2027-06-08T08:00", "2027-06-08T08:00:00+02:00"),  # 08:00 sharp is open
        ("2027-06-08T12:34", "2027-06-08T12:34:00+02:00"),  # inside: unchanged
    ],
)
def test_next_business_moment(received, starts):
    assert local(next_business_moment(BY, L(received))) == starts


def test_start_outside_hours_counts_from_next_business_moment():
    # Saturday 12 Jun 2027 10:00 + 1 h -> Monday 14 Jun 09:00; Tuesday 18:00 + 1 h -> Wednesday 09:00.
    assert local(due_at(BY, L("2027-06-12T10:00"), HOUR)) == "2027-06-14T09:00:00+02:00"
    assert local(due_at(BY, L("2027-06-08T18:00"), HOUR)) == "2027-06-09T09:00:00+02:00"
    assert local(due_at(BY, L("2027-06-08T06:00"), HOUR)) == "2027-06-08T09:00:00+02:00"


def test_is_business_time_boundaries():
    assert is_business_time(BY, L("2027-06-08T08:00"))
    assert is_business_time(BY, L("2027-06-08T16:59:59.999999"))
    assert not is_business_time(BY, L("2027-06-08T17:00"))
    assert not is_business_time(BY, L("2027-06-08T07:59:59"))
    assert not is_business_time(BY, L("2027-06-12T10:00"))  # Saturday


def test_zero_seconds_returns_start():
    start = L("2027-06-12T10:00")  # Saturday
    assert add_business_seconds(BY, start, 0) == start
    assert due_at(BY, start, 0) == start


# ----------------------------------------------------------------------------------------------------------------
# Daylight saving time
# ----------------------------------------------------------------------------------------------------------------


def test_dst_spring_forward_round_the_clock_day_has_23_hours():
    # Sunday 28 Mar 2027: 02:00 CET jumps to 03:00 CEST.  Local midnight to midnight = 23 real hours.
    assert business_seconds_between(BY_24_7, L("2027-03-28T00:00"), L("2027-03-29T00:00")) == 23 * HOUR
    # From Sun 00:00 + 24 h: Sunday gives 23 h, Mon 29 Mar is Easter Monday (BY holiday, skipped),
    # Tue 30 Mar 00:00 CEST + 1 h = 01:00 CEST.
    assert local(add_business_seconds(BY_24_7, L("2027-03-28T00:00"), 24 * HOUR)) == "2027-03-30T01:00:00+02:00"


def test_easter_sunday_is_a_holiday_only_in_brandenburg():
    bb_24_7 = BusinessCalendar.from_spec(state="BB", business_hours="00:00-24:00", workdays="1-7")
    assert business_seconds_between(bb_24_7, L("2027-03-28T00:00"), L("2027-03-29T00:00")) == 0


def test_dst_fall_back_round_the_clock_day_has_25_hours():
    # Sunday 31 Oct 2027: 03:00 CEST falls back to 02:00 CET -> 25 real hours.  Not a holiday in BY ...
    assert business_seconds_between(BY_24_7, L("2027-10-31T00:00"), L("2027-11-01T00:00")) == 25 * HOUR
    # ... but Reformationstag in SN.
    sn_24_7 = BusinessCalendar.from_spec(state="SN", business_hours="00:00-24:00", workdays="1-7")
    assert business_seconds_between(sn_24_7, L("2027-10-31T00:00"), L("2027-11-01T00:00")) == 0


def test_dst_day_office_window_is_still_nine_wall_clock_hours():
    # Office open every day 08:00-17:00.  Sat 27 Mar 2027 16:00 CET + 2 h: Sat 16-17 = 1 h, then Sunday (DST
    # change at 02:00, before the window) opens at 08:00 *CEST* -> 09:00 CEST = 07:00 UTC.  Adding 24 h of
    # absolute time to Saturday 08:00 would have produced 09:00 instead of 08:00 -- wall clock wins.
    every_day = BusinessCalendar.from_spec(state="BY", workdays="1-7")
    due = add_business_seconds(every_day, L("2027-03-27T16:00"), 2 * HOUR)
    assert due == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)
    assert local(due) == "2027-03-28T09:00:00+02:00"
    assert business_seconds_between(every_day, L("2027-03-28T00:00"), L("2027-03-29T00:00")) == 9 * HOUR
    assert business_seconds_between(every_day, L("2027-10-31T00:00"), L("2027-11-01T00:00")) == 9 * HOUR


def test_dst_change_inside_the_window_shortens_or_lengthens_it():
    # Sunday-only window 01:00-04:00 (a normal Sunday: 3 h).
    night = BusinessCalendar.from_spec(business_hours="01:00-04:00", workdays="7")
    # Spring: 01:00 CET = 00:00 UTC .. 04:00 CEST = 02:00 UTC -> 2 h.
    assert business_seconds_between(night, L("2027-03-28T00:00"), L("2027-03-29T00:00")) == 2 * HOUR
    # Autumn: 01:00 CEST = 23:00 UTC (30 Oct) .. 04:00 CET = 03:00 UTC -> 4 h.
    assert business_seconds_between(night, L("2027-10-31T00:00"), L("2027-11-01T00:00")) == 4 * HOUR
    assert business_seconds_between(night, L("2027-04-04T00:00"), L("2027-04-05T00:00")) == 3 * HOUR
    # 28 Mar 01:00 + 2.5 h: 2 h that night, next Sunday 4 Apr 01:00 + 0.5 h = 01:30 CEST.
    assert local(add_business_seconds(night, L("2027-03-28T01:00"), 2.5 * HOUR)) == "2027-04-04T01:30:00+02:00"
    # 31 Oct 01:00 CEST + 3.5 h lands in the repeated hour: 23:00 UTC + 3.5 h = 02:30 UTC = 03:30 CET.
    assert local(add_business_seconds(night, L("2027-10-31T01:00"), 3.5 * HOUR)) == "2027-10-31T03:30:00+01:00"


def test_window_bound_inside_the_spring_gap_uses_fold_0():
    # 02:30 does not exist on 28 Mar 2027; fold=0 reads it with the CET offset -> 01:30 UTC (= 03:30 CEST).
    # Window 02:30-05:00 therefore runs 01:30-03:00 UTC = 1.5 h that day (2.5 h on other Sundays).
    odd = BusinessCalendar.from_spec(business_hours="02:30-05:00", workdays="7")
    assert business_seconds_between(odd, L("2027-03-28T00:00"), L("2027-03-29T00:00")) == 1.5 * HOUR
    assert business_seconds_between(odd, L("2027-04-04T00:00"), L("2027-04-05T00:00")) == 2.5 * HOUR


def test_windows_overlapping_after_spring_gap_mapping_are_not_double_counted():
    # Sunday windows 01:00-02:30 and 03:00-05:00 (a normal Sunday: 1.5 h + 2 h = 3.5 h).  On 28 Mar 2027 02:30
    # does not exist; fold=0 maps it to 01:30 UTC, while 03:00 CEST is 01:00 UTC, so the raw windows would
    # overlap by 30 min.  Clipping gives 00:00-01:30 UTC + 01:30-03:00 UTC = 3 h = the real 01:00 CET-05:00 CEST.
    cal = BusinessCalendar.from_spec(business_hours="01:00-02:30,03:00-05:00", workdays="7")
    assert business_seconds_between(cal, L("2027-03-28T00:00"), L("2027-03-29T00:00")) == 3 * HOUR
    assert business_seconds_between(cal, L("2027-04-04T00:00"), L("2027-04-05T00:00")) == 3.5 * HOUR
    assert local(add_business_seconds(cal, L("2027-03-28T01:00"), 3 * HOUR)) == "2027-03-28T05:00:00+02:00"


def test_normal_calendar_across_easter_and_dst():
    # Thu 25 Mar 2027 16:00 CET + 2 h: 1 h Thursday; Good Friday, weekend (DST starts), Easter Monday skipped;
    # Tue 30 Mar 08:00 CEST + 1 h = 09:00 CEST.
    assert local(add_business_seconds(BY, L("2027-03-25T16:00"), 2 * HOUR)) == "2027-03-30T09:00:00+02:00"
    # Fri 29 Oct 2027 16:00 CEST + 2 h: 1 h Friday; weekend (DST ends); Mon 1 Nov Allerheiligen in BY
    # -> Tue 2 Nov 09:00 CET.  In BE Monday is a workday -> Mon 1 Nov 09:00 CET.
    assert local(add_business_seconds(BY, L("2027-10-29T16:00"), 2 * HOUR)) == "2027-11-02T09:00:00+01:00"
    assert local(add_business_seconds(BE, L("2027-10-29T16:00"), 2 * HOUR)) == "2027-11-01T09:00:00+01:00"


# ----------------------------------------------------------------------------------------------------------------
# Pauses
# ----------------------------------------------------------------------------------------------------------------


def test_due_at_with_pause_inside_the_day():
    # Mon 7 Jun 2027 09:00 + 8 h would be Mon 17:00.  Paused 11:00-14:00 = 3 business hours lost:
    # runs 09-11 (2 h), resumes 14:00, 14-17 (3 h), Tue 08:00 + 3 h = 11:00.
    start = L("2027-06-07T09:00")
    assert local(due_at(BY, start, 8 * HOUR)) == "2027-06-07T17:00:00+02:00"
    pause = (L("2027-06-07T11:00"), L("2027-06-07T14:00"))
    assert local(due_at(BY, start, 8 * HOUR, paused_intervals=[pause])) == "2027-06-08T11:00:00+02:00"


def test_due_at_with_overnight_pause_only_business_time_counts():
    start = L("2027-06-07T09:00")
    # Pause Mon 16:00 - Tue 10:00 swallows 1 h + 2 h = 3 business hours -> due Tue 11:00 again.
    overnight = (L("2027-06-07T16:00"), L("2027-06-08T10:00"))
    assert local(due_at(BY, start, 8 * HOUR, paused_intervals=[overnight])) == "2027-06-08T11:00:00+02:00"
    # A pause entirely outside business hours changes nothing.
    night = (L("2027-06-07T18:00"), L("2027-06-08T07:00"))
    assert local(due_at(BY, start, 8 * HOUR, paused_intervals=[night])) == "2027-06-07T17:00:00+02:00"
    # A pause after the due time changes nothing; one before the start neither.
    later = (L("2027-06-09T09:00"), L("2027-06-09T12:00"))
    before = (L("2027-06-04T09:00"), L("2027-06-04T12:00"))
    assert local(due_at(BY, start, 8 * HOUR, paused_intervals=[later, before])) == "2027-06-07T17:00:00+02:00"


def test_due_at_pause_starting_exactly_at_due_time_has_no_effect():
    start = L("2027-06-07T09:00")
    pause = (L("2027-06-07T17:00"), L("2027-06-08T12:00"))
    assert local(due_at(BY, start, 8 * HOUR, paused_intervals=[pause])) == "2027-06-07T17:00:00+02:00"


def test_due_at_overlapping_pauses_are_merged_and_pause_covering_start():
    start = L("2027-06-07T09:00")
    # 11-13 and 12-14 merge into 11-14 (3 h, not 4 h) -> Tue 11:00.
    pauses = [(L("2027-06-07T12:00"), L("2027-06-07T14:00")), (L("2027-06-07T11:00"), L("2027-06-07T13:00"))]
    assert local(due_at(BY, start, 8 * HOUR, paused_intervals=pauses)) == "2027-06-08T11:00:00+02:00"
    # Paused from before the start until 10:00: clock starts 10:00 -> 8 h = 10-17 (7 h) + Tue 08-09.
    covering = [(L("2027-06-07T08:00"), L("2027-06-07T10:00"))]
    assert local(due_at(BY, start, 8 * HOUR, paused_intervals=covering)) == "2027-06-08T09:00:00+02:00"


def test_elapsed_with_pauses():
    # Running Mon 09-11 (2 h) and Mon 14:00 - Tue 10:00 (3 h + 2 h) = 7 h.
    running = [(L("2027-06-07T09:00"), L("2027-06-07T11:00")), (L("2027-06-07T14:00"), L("2027-06-08T10:00"))]
    assert elapsed_with_pauses(BY, running) == 7 * HOUR
    # Duplicated / overlapping intervals are not double counted.
    assert elapsed_with_pauses(BY, running + running[:1]) == 7 * HOUR
    assert elapsed_with_pauses(BY, []) == 0


def test_elapsed_with_pauses_rejects_backwards_interval():
    with pytest.raises(ValueError, match="before start"):
        elapsed_with_pauses(BY, [(L("2027-06-07T11:00"), L("2027-06-07T09:00"))])


# ----------------------------------------------------------------------------------------------------------------
# Fractional hours, custom windows, closing days
# ----------------------------------------------------------------------------------------------------------------


def test_fractional_hours():
    # --hours 0.5: Mon 16:45 + 30 min = 15 min Monday + Tue 08:15.
    assert local(add_business_seconds(BY, L("2027-06-07T16:45"), 0.5 * HOUR)) == "2027-06-08T08:15:00+02:00"
    # 1.25 h from 10:00 -> 11:15.
    assert local(add_business_seconds(BY, L("2027-06-07T10:00"), 1.25 * HOUR)) == "2027-06-07T11:15:00+02:00"
    assert business_seconds_between(BY, L("2027-06-07T16:45"), L("2027-06-08T08:15")) == 1800.0


def test_custom_business_hours_with_lunch_break():
    cal = BusinessCalendar.from_spec(state="BY", business_hours="09:30-12:00, 13:00-18:15")
    # Mon 11:30 + 1 h: 11:30-12:00 (0.5 h), lunch, 13:00 + 0.5 h = 13:30.
    assert local(add_business_seconds(cal, L("2027-06-07T11:30"), HOUR)) == "2027-06-07T13:30:00+02:00"
    # A day holds 2.5 h + 5.25 h = 7.75 h.
    assert business_seconds_between(cal, L("2027-06-07T00:00"), L("2027-06-08T00:00")) == 7.75 * HOUR
    assert not is_business_time(cal, L("2027-06-07T12:30"))
    assert local(next_business_moment(cal, L("2027-06-07T12:30"))) == "2027-06-07T13:00:00+02:00"
    # 18:00 + 1 h: 18:00-18:15, then Tue 09:30 + 45 min = 10:15.
    assert local(add_business_seconds(cal, L("2027-06-07T18:00"), HOUR)) == "2027-06-08T10:15:00+02:00"


def test_custom_weekly_hours_mapping():
    # Saturday morning shift on top of the week.
    hours = {d: [(time(8), time(17))] for d in range(5)} | {5: [(time(9), time(12))]}
    cal = BusinessCalendar(state="BY", weekly_hours=hours)
    # Fri 11 Jun 2027 16:00 + 3 h: Fri 1 h, Sat 09-11 -> Sat 11:00.
    assert local(add_business_seconds(cal, L("2027-06-11T16:00"), 3 * HOUR)) == "2027-06-12T11:00:00+02:00"


def test_closing_days():
    cal = BusinessCalendar.from_spec(state="BY", closing_days=["2027-06-08", date(2027, 6, 9)])
    # Headline example with Tue 8 and Wed 9 June closed: Mon 0.5 h, Thu 10 Jun 08:00 + 7.5 h = 15:30.
    assert local(due_at(cal, L("2027-06-07T16:30"), 8 * HOUR)) == "2027-06-10T15:30:00+02:00"
    assert not is_business_day(cal, date(2027, 6, 8))


def test_large_amount_matches_a_day_counting_oracle():
    # Mon 7 Jun 2027 08:00 + 2000 h = 222 full 9-hour days + 2 h -> 10:00 on the 223rd business day.
    bavarian = holidays.country_holidays("DE", subdiv="BY", years=range(2027, 2030))
    business_days = []
    day = date(2027, 6, 7)
    while len(business_days) < 223:
        if day.weekday() < 5 and day not in bavarian:
            business_days.append(day)
        day += timedelta(days=1)
    expected = datetime.combine(business_days[-1], time(10), tzinfo=BERLIN)
    due = add_business_seconds(BY, L("2027-06-07T08:00"), 2000 * HOUR)
    assert due == expected
    assert business_seconds_between(BY, L("2027-06-07T08:00"), due) == 2000 * HOUR


# ----------------------------------------------------------------------------------------------------------------
# SLA state, parsing, validation
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("elapsed", "state"),
    [
        (0, "on_track"),
        (5.99 * HOUR, "on_track"),
        (6 * HOUR, "due_soon"),
        (8 * HOUR, "due_soon"),
        (8 * HOUR + 1, "breached"),
    ],
)
def test_sla_state(elapsed, state):
    assert sla_state(elapsed, 8 * HOUR) == state


def test_sla_state_custom_fraction_and_validation():
    assert sla_state(4 * HOUR, 8 * HOUR, due_soon_fraction=0.5) == "due_soon"
    with pytest.raises(ValueError, match="target_seconds"):
        sla_state(1, 0)
    with pytest.raises(ValueError, match="due_soon_fraction"):
        sla_state(1, 10, due_soon_fraction=1.5)
    with pytest.raises(ValueError, match="elapsed_seconds"):
        sla_state(-1, 10)


def test_parse_local():
    assert parse_local("2027-06-07T16:30") == datetime(2027, 6, 7, 14, 30, tzinfo=UTC)
    assert parse_local("2027-01-07T16:30") == datetime(2027, 1, 7, 15, 30, tzinfo=UTC)
    assert parse_local("2027-06-07T16:30", tz="Europe/London") == datetime(2027, 6, 7, 15, 30, tzinfo=UTC)
    assert parse_local("2027-06-07T16:30+00:00") == datetime(2027, 6, 7, 16, 30, tzinfo=UTC)
    # Ambiguous autumn time = first occurrence (CEST).
    assert parse_local("2027-10-31T02:30") == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    with pytest.raises(ValueError, match="does not exist"):
        parse_local("2027-03-28T02:30")
    with pytest.raises(ValueError, match="not an ISO"):
        parse_local("07.06.2027 16:30")
    with pytest.raises(ValueError, match="time zone"):
        parse_local("2027-06-07T16:30", tz="Europe/Nowhere")


@pytest.mark.parametrize(
    "call",
    [
        lambda naive: is_business_time(BY, naive),
        lambda naive: next_business_moment(BY, naive),
        lambda naive: add_business_seconds(BY, naive, 10),
        lambda naive: business_seconds_between(BY, naive, L("2027-06-08T08:00")),
        lambda naive: business_seconds_between(BY, L("2027-06-08T08:00"), naive),
        lambda naive: elapsed_with_pauses(BY, [(naive, naive)]),
        lambda naive: due_at(BY, naive, 10),
        lambda naive: due_at(BY, L("2027-06-08T08:00"), 10, paused_intervals=[(naive, naive)]),
    ],
)
def test_naive_datetimes_are_rejected(call):
    with pytest.raises(ValueError, match="naive"):
        call(datetime(2027, 6, 8, 9, 0))


def test_non_utc_aware_input_is_accepted_and_output_is_utc():
    start = datetime(2027, 6, 7, 16, 30, tzinfo=BERLIN)
    due = due_at(BY, start, 8 * HOUR)
    assert due.tzinfo is UTC
    assert due == datetime(2027, 6, 8, 13, 30, tzinfo=UTC)


def test_negative_or_non_finite_seconds_are_rejected():
    with pytest.raises(ValueError, match="seconds"):
        add_business_seconds(BY, L("2027-06-07T09:00"), -1)
    with pytest.raises(ValueError, match="seconds"):
        due_at(BY, L("2027-06-07T09:00"), float("inf"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"business_hours": "8-17"}, "business_hours: '8-17' is not HH:MM-HH:MM"),
        ({"business_hours": "17:00-08:00"}, "must end after it starts"),
        ({"business_hours": "08:00-25:00"}, "invalid time"),
        ({"business_hours": "08:00-12:00,11:00-17:00"}, "overlapping"),
        ({"business_hours": ""}, "is not HH:MM-HH:MM"),
        ({"workdays": "Mo-Fr"}, "workdays: 'Mo-Fr' is not a list of ISO weekdays"),
        ({"workdays": "0-5"}, "is not a list of ISO weekdays"),
        ({"workdays": "5-1"}, "runs backwards"),
        ({"state": "XX"}, "state: 'XX' is not a German federal state code"),
        ({"closing_days": ["24.12.2027"]}, "closing_days: '24.12.2027' is not an ISO date"),
        ({"timezone": "Mars/Olympus"}, "timezone: 'Mars/Olympus' is not a known IANA time zone"),
    ],
)
def test_from_spec_errors(kwargs, message):
    with pytest.raises(ValueError) as excinfo:
        BusinessCalendar.from_spec(**kwargs)
    assert message in str(excinfo.value)


def test_calendar_validation_and_normalisation():
    assert BusinessCalendar.from_spec(state="by").state == "BY"
    with pytest.raises(ValueError, match="no business windows"):
        BusinessCalendar(weekly_hours={})
    with pytest.raises(ValueError, match="weekday"):
        BusinessCalendar(weekly_hours={7: [(time(8), time(17))]})
    with pytest.raises(ValueError, match="closing_days"):
        BusinessCalendar(closing_days=frozenset({datetime(2027, 6, 8, tzinfo=UTC)}))
    # Frozen, hashable, equal by value (usable as cache key).
    assert BusinessCalendar.from_spec(state="BY") == BY
    assert hash(BusinessCalendar.from_spec(state="BY")) == hash(BY)
    with pytest.raises(AttributeError):
        BY.state = "BE"  # type: ignore[misc]


def test_default_calendar_is_monday_to_friday_8_to_17_berlin():
    default = BusinessCalendar()
    assert default.timezone == "Europe/Berlin"
    assert default.state is None
    assert dict(default.weekly_hours) == {d: ((time(8), time(17)),) for d in range(5)}
    assert BusinessCalendar.from_spec() == default


# ----------------------------------------------------------------------------------------------------------------
# Property tests
# ----------------------------------------------------------------------------------------------------------------

CALENDARS = [
    BY,
    SN,
    BE,
    BusinessCalendar(),
    BY_24_7,
    BusinessCalendar.from_spec(state="NW", business_hours="07:30-12:00,12:45-16:15", workdays="1-6"),
    BusinessCalendar.from_spec(business_hours="01:00-04:00,22:00-24:00", workdays="1-7"),
    BusinessCalendar.from_spec(state="BY", closing_days=["2027-12-24", "2027-12-27", "2027-12-28", "2027-12-31"]),
    # Bounds inside the spring-forward gap (fold=0 mapping + clipping).
    BusinessCalendar.from_spec(business_hours="01:00-02:30,03:00-05:00,22:00-24:00", workdays="6-7"),
]

calendars = st.sampled_from(CALENDARS)
moments = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2028, 12, 31),
    timezones=st.sampled_from([UTC, BERLIN]),
    allow_imaginary=False,
)
whole_seconds = st.integers(min_value=0, max_value=2000 * HOUR)
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(cal=calendars, raw_start=moments, seconds=whole_seconds)
def test_roundtrip_from_business_moment(cal, raw_start, seconds):
    start = next_business_moment(cal, raw_start)
    assert is_business_time(cal, start)
    end = add_business_seconds(cal, start, seconds)
    assert end.tzinfo is UTC
    assert business_seconds_between(cal, start, end) == seconds


@PROPERTY_SETTINGS
@given(cal=calendars, start=moments, seconds=st.floats(min_value=0, max_value=500 * HOUR))
def test_roundtrip_from_any_moment_with_fractional_seconds(cal, start, seconds):
    end = add_business_seconds(cal, start, seconds)
    assert business_seconds_between(cal, start, end) == pytest.approx(seconds, abs=1e-6)


@PROPERTY_SETTINGS
@given(cal=calendars, start=moments, a=whole_seconds, b=whole_seconds)
def test_monotone_in_seconds_and_additive(cal, start, a, b):
    small, large = sorted((a, b))
    assert add_business_seconds(cal, start, small) <= add_business_seconds(cal, start, large)
    assume(small > 0)
    assert add_business_seconds(cal, add_business_seconds(cal, start, small), large) == add_business_seconds(
        cal, start, small + large
    )


@PROPERTY_SETTINGS
@given(cal=calendars, a=moments, b=moments, seconds=whole_seconds)
def test_monotone_in_start(cal, a, b, seconds):
    early, late = sorted((a, b))
    assert add_business_seconds(cal, early, seconds) <= add_business_seconds(cal, late, seconds)
    assert business_seconds_between(cal, early, late) >= 0
    assert business_seconds_between(cal, late, early) == 0


@PROPERTY_SETTINGS
@given(cal=calendars, a=moments, b=moments, c=moments)
def test_between_is_additive(cal, a, b, c):
    x, y, z = sorted((a, b, c))
    whole = business_seconds_between(cal, x, z)
    parts = business_seconds_between(cal, x, y) + business_seconds_between(cal, y, z)
    assert whole == pytest.approx(parts, abs=1e-6)


@PROPERTY_SETTINGS
@given(cal=calendars, start=moments, seconds=st.integers(min_value=1, max_value=200 * HOUR))
def test_result_ends_business_time(cal, start, seconds):
    # A positive amount always ends inside a window or exactly at its end: the microsecond before is business.
    end = add_business_seconds(cal, start, seconds)
    assert is_business_time(cal, end - timedelta(microseconds=1))


@PROPERTY_SETTINGS
@given(
    cal=calendars,
    start=moments,
    target=st.integers(min_value=1, max_value=100 * HOUR),
    pause_offsets=st.lists(
        st.tuples(st.integers(0, 60 * 24 * 40), st.integers(0, 60 * 24 * 5)), min_size=0, max_size=4
    ),
)
def test_due_at_consistent_with_elapsed_with_pauses(cal, start, target, pause_offsets):
    start = start.astimezone(UTC)
    pauses = [(start + timedelta(minutes=o), start + timedelta(minutes=o + d)) for o, d in pause_offsets]
    due = due_at(cal, start, target, paused_intervals=pauses)
    assert due >= add_business_seconds(cal, start, target)  # pauses only ever push the due time out
    # Running intervals = [start, due] minus the pauses; they must contain exactly the target.
    running, cursor = [], start
    for pause_start, pause_end in sorted(pauses):
        if pause_start > cursor:
            running.append((cursor, min(pause_start, due)))
        cursor = max(cursor, pause_end)
        if cursor >= due:
            break
    if cursor < due:
        running.append((cursor, due))
    assert elapsed_with_pauses(cal, running) == target


def _oracle_hours(cal: BusinessCalendar, start: datetime, end: datetime) -> int:
    """Independent brute force: count whole UTC hours whose local wall time lies in a window of a business day."""
    zone = ZoneInfo(cal.timezone)
    count, hour = 0, start
    while hour < end:
        wall = hour.astimezone(zone)
        if is_business_day(cal, wall.date()):
            minutes = wall.hour * 60 + wall.minute
            for w_start, w_end in cal.weekly_hours[wall.weekday()]:
                end_minutes = 24 * 60 if w_end == time(0) else w_end.hour * 60 + w_end.minute
                if w_start.hour * 60 + w_start.minute <= minutes < end_minutes:
                    count += 1
        hour += timedelta(hours=1)
    return count


@settings(max_examples=60, deadline=None)
@given(
    cal=st.sampled_from([BY, SN, BY_24_7, CALENDARS[6]]),
    start_hour=st.integers(0, 4 * 365 * 24),
    length=st.integers(0, 21 * 24),
)
def test_between_matches_hour_by_hour_oracle(cal, start_hour, length):
    # Whole-hour windows only, so counting whole UTC hours is exact -- including the DST Sundays.
    start = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=start_hour)
    end = start + timedelta(hours=length)
    assert business_seconds_between(cal, start, end) == _oracle_hours(cal, start, end) * HOUR


@pytest.mark.parametrize("cal", [BY_24_7, CALENDARS[6]])
@pytest.mark.parametrize("sunday", ["2027-03-28", "2027-10-31"])
def test_dst_sundays_match_oracle(cal, sunday):
    start = L(f"{sunday}T00:00") - timedelta(days=1)
    end = start + timedelta(days=3)
    assert business_seconds_between(cal, start, end) == _oracle_hours(cal, start, end) * HOUR
