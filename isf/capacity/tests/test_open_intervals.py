"""Real interval exports list only the open intervals: closed nights, weekends and holidays are no gaps, gaps
inside opening hours are warnings up to MAX_GAP_SHARE, both daylight-saving changes, contact-centre headers, and
a backtest over the open intervals only."""

import json
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import holidays
import numpy as np
import pytest
from django.core.management import call_command

from isf.capacity.models import CallVolume
from isf.capacity.opening import calendar_open_mask, pattern_open_mask
from isf.capacity.processtimes import team_calendar
from isf.capacity.services import CapacityError, call_volumes_import
from isf.capacity.tests.telephony import volumes
from isf.org.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

BAVARIA = holidays.country_holidays("DE", subdiv="BY", years=[2026])


def is_open(start: datetime) -> bool:
    """The SMB team's opening hours: Mon-Fri 08:00-17:00, not on Bavarian holidays."""
    return start.weekday() < 5 and 8 <= start.hour < 17 and start.date() not in BAVARIA


def write(path, rows, header="start;calls", fmt=lambda s, c: f"{s:%Y-%m-%d %H:%M};{c}"):
    path.write_text("\n".join([header, *[fmt(s, c) for s, c in rows]]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def smb():
    return TeamFactory(code="SMB", business_hours="08:00-17:00", workdays="1-5", state="BY")


def open_rows(first_day: date, weeks: int):
    return [(s, c) for s, c in volumes(first_day, weeks, 15) if is_open(s)]


def test_an_export_of_open_intervals_only_is_imported_with_nights_weekends_and_holidays_closed(tmp_path, smb):
    # 23 Mar - 12 Apr 2026: the spring change (Sun 29 Mar), Good Friday (3 Apr) and Easter Monday (6 Apr)
    rows = open_rows(date(2026, 3, 23), 3)
    assert len(rows) == 13 * 36  # 15 workdays minus two holidays, 9 hours of 4 intervals
    result = call_volumes_import(path=write(tmp_path / "open.csv", rows), team="SMB")
    assert (result["rows"], result["gaps"], result["warnings"]) == (468, 0, [])
    # 23 Mar 08:00 - 10 Apr 16:45 on the 15-minute grid, less the skipped spring hour, less the listed ones
    assert result["closed_intervals"] == 18 * 96 + 36 - 4 - 468
    assert CallVolume.objects.filter(team=smb).count() == 468
    assert CallVolume.objects.filter(team=smb).order_by("start").first().start == datetime(2026, 3, 23, 7, 0,
                                                                                          tzinfo=UTC)


def test_a_gap_inside_opening_hours_is_a_warning_with_its_count(tmp_path, smb):
    rows = [(s, c) for s, c in open_rows(date(2026, 3, 23), 3)
            if s not in (datetime(2026, 3, 24, 10, 0), datetime(2026, 3, 24, 10, 15))]  # noqa: DTZ001
    result = call_volumes_import(path=write(tmp_path / "gap.csv", rows), team="SMB")
    assert (result["rows"], result["gaps"]) == (466, 2)
    assert result["warnings"] == ["2 missing interval(s) inside opening hours (0.4% of 468 open intervals): "
                                  "2026-03-24 10:00 – 2026-03-24 10:15 (2 intervals); imported as 0 calls"]
    assert CallVolume.objects.count() == 466


def test_more_gaps_than_the_documented_share_reject_the_file_and_store_nothing(tmp_path, smb):
    rows = [(s, c) for s, c in open_rows(date(2026, 3, 23), 3) if s.date() != date(2026, 3, 25)]
    with pytest.raises(CapacityError) as exc:
        call_volumes_import(path=write(tmp_path / "day.csv", rows), team="SMB")
    assert ("36 missing interval(s) inside opening hours (7.7% of 468 open intervals): 2026-03-25 08:00 – "
            "2026-03-25 16:45 (36 intervals); more than the 1% a file may miss") in str(exc.value)
    assert CallVolume.objects.count() == 0


def test_without_opening_hours_the_weekly_pattern_and_days_without_rows_are_closed(tmp_path):
    rows = [(s, c) for s, c in open_rows(date(2026, 3, 23), 3) if s != datetime(2026, 3, 31, 9, 0)]  # noqa: DTZ001
    result = call_volumes_import(path=write(tmp_path / "line.csv", rows))  # the whole line: no calendar
    assert (result["rows"], result["gaps"]) == (467, 1)
    assert result["warnings"][0].startswith("1 missing interval(s) inside opening hours (0.2% of 468 open "
                                            "intervals): 2026-03-31 09:00")
    starts = np.array(["2026-04-03T10:00", "2026-04-07T10:00", "2026-04-07T07:45", "2026-04-11T10:00"],
                      dtype="datetime64[m]")
    present = np.array([np.datetime64(s, "m") for s, _c in rows])
    # Good Friday has no row (closed); Tuesday 10:00 is open; 07:45 and Saturday never occur in the file
    assert pattern_open_mask(starts, present).tolist() == [False, True, False, False]


def test_the_team_calendar_decides_open_intervals():
    cal = team_calendar(TeamFactory.build(business_hours="08:00-17:00", workdays="1-5", state="BY"))
    starts = np.array(["2026-04-02T07:45", "2026-04-02T08:00", "2026-04-02T16:45", "2026-04-02T17:00",
                       "2026-04-03T10:00", "2026-04-04T10:00"], dtype="datetime64[m]")
    assert calendar_open_mask(starts, 15, cal).tolist() == [False, True, True, False, False, False]


def test_spring_change_hour_is_an_error_only_when_it_holds_calls(tmp_path):
    night = [(datetime(2026, 3, 29, 0, 0) + timedelta(minutes=15 * i), 1) for i in range(16)]  # noqa: DTZ001
    with_zero = [(s, 0 if s.hour == 2 else c) for s, c in night]
    assert call_volumes_import(path=write(tmp_path / "zero.csv", with_zero))["rows"] == 12
    with_calls = [(s, 3 if s == datetime(2026, 3, 29, 2, 15) else c) for s, c in with_zero]  # noqa: DTZ001
    with pytest.raises(CapacityError) as exc:
        call_volumes_import(path=write(tmp_path / "calls.csv", with_calls))
    assert ("row 11: start '2026-03-29 02:15' does not exist in Europe/Berlin (the daylight-saving change skips "
            "that hour) but holds 3 calls") in str(exc.value)
    assert CallVolume.objects.count() == 12  # the first file's, nothing of the second


def test_autumn_hour_listed_once_counts_once_as_summer_time(tmp_path):
    night = [(datetime(2026, 10, 25, 0, 0) + timedelta(minutes=15 * i), i) for i in range(20)]  # noqa: DTZ001
    result = call_volumes_import(path=write(tmp_path / "autumn.csv", night))
    assert (result["rows"], result["gaps"], result["calls"]) == (20, 0, sum(range(20)))
    first_two = CallVolume.objects.get(calls=8)  # 02:00, listed once
    assert first_two.start == datetime(2026, 10, 25, 0, 0, tzinfo=UTC)  # 02:00 CEST


def test_contact_centre_headers_in_german_are_recognised(tmp_path, smb):
    rows = open_rows(date(2026, 3, 23), 3)
    path = write(tmp_path / "acd.csv", rows, header="Datum;Intervall;Angeboten;Angenommen;Aufgelegt;AHT (mm:ss)",
                 fmt=lambda s, c: (f"{s:%d.%m.%Y};{s:%H:%M}-{s + timedelta(minutes=15):%H:%M};{c};"
                                   f"{c - c // 10};{c // 10};03:30"))
    result = call_volumes_import(path=path, team="SMB", dry_run=True)
    total = sum(c for _s, c in rows)
    assert (result["rows"], result["calls"], result["abandoned"]) == (468, total, sum(c // 10 for _s, c in rows))
    assert result["answered"] == total - result["abandoned"]
    assert result["aht_seconds"] == 210.0
    assert CallVolume.objects.count() == 0
    call_volumes_import(path=path, team="SMB")
    first = CallVolume.objects.order_by("start").first()
    calls = rows[0][1]
    assert (first.calls, first.answered, first.abandoned, first.aht_seconds) == (
        calls, calls - calls // 10, calls // 10, 210 if calls else None)


def test_english_headers_with_a_start_column_and_seconds(tmp_path, smb):
    path = write(tmp_path / "en.csv", open_rows(date(2026, 3, 23), 1),
                 header="Interval Start,Calls Offered,Calls Answered,Average Handling Time [s]",
                 fmt=lambda s, c: f"{s:%Y-%m-%d %H:%M},{c},{c},240")
    result = call_volumes_import(path=path, team="SMB")
    assert (result["rows"], result["aht_seconds"]) == (5 * 36, 240.0)


@pytest.mark.parametrize(("edit", "message"), [
    (lambda lines: lines.__setitem__(3, "2026-03-23 08:30;-1"), "row 4: calls '-1' is negative"),
    (lambda lines: lines.insert(3, lines[2]), "rows 3, 4: duplicate interval 2026-03-23 08:15"),
])
def test_bad_rows_are_named_and_nothing_is_stored(tmp_path, smb, edit, message):
    path = write(tmp_path / "ok.csv", open_rows(date(2026, 3, 23), 1))
    lines = path.read_text().splitlines()
    edit(lines)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(CapacityError) as exc:
        call_volumes_import(path=path, team="SMB")
    assert message in str(exc.value)
    assert CallVolume.objects.count() == 0


def test_an_unknown_time_zone_is_named(tmp_path, smb):
    path = write(tmp_path / "ok.csv", open_rows(date(2026, 3, 23), 1))
    with pytest.raises(CapacityError, match="unknown time zone 'Mars/Olympus'"):
        call_volumes_import(path=path, team="SMB", timezone="Mars/Olympus")


def test_backtest_measures_open_intervals_only(tmp_path, smb):
    rows = open_rows(date(2026, 9, 7), 6)
    path = write(tmp_path / "six.csv", rows)
    out = StringIO()
    call_command("capacity", "backtest", "--volumes", str(path), "--team", "SMB", "--json", stdout=out,
                 stderr=StringIO())
    result = json.loads(out.getvalue())
    origins = [date.fromisoformat(o[:10]) for o in result["origins"]]
    open_days = {s.date() for s, _c in rows}
    expected = sum(36 for o in origins for d in range(5) if o + timedelta(days=d) in open_days)
    assert result["points_tested"] == expected
    assert result["points_closed"] == len(origins) * 5 * 96 - expected
    # 7 Sep 08:00 - 16 Oct 16:45 on the grid (no change of time, no holiday on a workday) less the listed rows
    assert (len(rows), result["closed_intervals"], result["gaps"]) == (30 * 36, 39 * 96 + 36 - 30 * 36, 0)
    assert 0 < result["mase"] < 1
