"""`isf import call-volumes FILE.csv` and `isf capacity backtest --volumes FILE.csv`."""

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from isf.capacity.models import CallVolume
from isf.capacity.services import CapacityError, call_volumes_import
from isf.capacity.tests.telephony import sample_export, volumes, write_export
from isf.org.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def run_import(*args) -> dict:
    out = StringIO()
    call_command("import", "call-volumes", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_telephony_export_is_imported_for_a_team(tmp_path):
    team = TeamFactory(code="SMB")
    path = sample_export(tmp_path, weeks=2)
    result = run_import(str(path), "--team", "SMB")
    assert result["rows"] == 2 * 7 * 96
    assert result["resolution_minutes"] == 15
    assert result["first_interval"] == "2026-09-07 00:00"
    assert result["last_interval"] == "2026-09-20 23:45"
    assert CallVolume.objects.filter(team=team).count() == 1344
    stored = CallVolume.objects.filter(team=team).order_by("start").first()
    assert stored.start == datetime(2026, 9, 6, 22, 0, tzinfo=UTC)  # 00:00 CEST
    expected_calls = sum(calls for _start, calls in volumes(date(2026, 9, 7), 2, 15))
    assert result["calls"] == expected_calls
    assert sum(CallVolume.objects.values_list("calls", flat=True)) == expected_calls


def test_importing_the_same_file_again_replaces_instead_of_doubling(tmp_path):
    TeamFactory(code="KA")
    path = sample_export(tmp_path, weeks=1, german=False)
    run_import(str(path), "--team", "KA")
    again = run_import(str(path), "--team", "KA")
    assert again["replaced"] == 672
    assert CallVolume.objects.count() == 672


def test_dry_run_checks_and_stores_nothing(tmp_path):
    path = sample_export(tmp_path, weeks=1)
    result = run_import(str(path), "--dry-run")
    assert result["dry_run"] is True and result["rows"] == 672
    assert CallVolume.objects.count() == 0


@pytest.mark.parametrize("resolution", [5, 30])
def test_five_and_thirty_minute_exports_are_accepted(tmp_path, resolution):
    path = write_export(tmp_path / "x.csv", volumes(date(2026, 9, 7), 1, resolution))
    assert call_volumes_import(path=path)["resolution_minutes"] == resolution


def _rows_with(tmp_path, edit):
    rows = volumes(date(2026, 9, 7), 1, 15)
    lines = ["start;calls"] + [f"{s:%Y-%m-%d %H:%M};{c}" for s, c in rows]
    edit(lines)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _assert_rejected(path, *fragments):
    TeamFactory(code="MP")
    CallVolume.objects.create(team=None, start=datetime(2026, 1, 5, 8, tzinfo=UTC), resolution_minutes=15, calls=3)
    with pytest.raises(CommandError) as exc:
        call_command("import", "call-volumes", str(path), "--team", "MP", stdout=StringIO())
    message = str(exc.value)
    assert "nothing imported" in message
    for fragment in fragments:
        assert fragment in message
    assert CallVolume.objects.count() == 1  # only the row that was there before


def test_a_gap_is_named_and_nothing_is_imported(tmp_path):
    def drop_an_hour(lines):
        del lines[1 + 40 : 1 + 44]  # 10:00-10:45 on the first day

    _assert_rejected(_rows_with(tmp_path, drop_an_hour), "4 missing interval(s)",
                     "2026-09-07 10:00 – 2026-09-07 10:45 (4 intervals)")


def test_duplicates_are_named_by_row_and_nothing_is_imported(tmp_path):
    def duplicate(lines):
        lines.insert(42, lines[41])

    _assert_rejected(_rows_with(tmp_path, duplicate), "rows 42, 43: duplicate interval 2026-09-07 10:00")


def test_unparseable_rows_are_named_and_nothing_is_imported(tmp_path):
    def garble(lines):
        lines[10] = "2026-09-07 02:15;viele"
        lines[20] = "7.9.2026 morgens;3"

    _assert_rejected(_rows_with(tmp_path, garble), "row 11: calls 'viele' is not a whole number",
                     "row 21: start '7.9.2026 morgens' is not a date-time")


def test_negative_counts_and_missing_columns_are_refused(tmp_path):
    def negative(lines):
        lines[5] = "2026-09-07 01:00;-2"

    _assert_rejected(_rows_with(tmp_path, negative), "row 6: calls '-2' is negative")
    path = tmp_path / "header.csv"
    path.write_text("zeit;anrufe\n2026-09-07 00:00;1\n", encoding="utf-8")
    with pytest.raises(CapacityError, match="missing column"):
        call_volumes_import(path=path)


def test_unknown_team_is_refused(tmp_path):
    path = sample_export(tmp_path, weeks=1)
    with pytest.raises(CapacityError, match="team 'XX' does not exist"):
        call_volumes_import(path=path, team="XX")
    assert CallVolume.objects.count() == 0


def test_daylight_saving_nights_are_not_gaps_or_duplicates(tmp_path):
    # 25 Oct 2026: 02:00-02:59 occurs twice; 29 Mar 2026: 02:00-02:59 does not exist
    autumn = volumes(date(2026, 10, 24), 1, 15)
    autumn = [(s, c) for s, c in autumn]
    extra = [(s, c) for s, c in autumn if s.date() == date(2026, 10, 25) and s.hour == 2]
    index = next(i for i, (s, _c) in enumerate(autumn) if s.date() == date(2026, 10, 25) and s.hour == 3)
    rows = autumn[:index] + extra + autumn[index:]
    result = call_volumes_import(path=write_export(tmp_path / "autumn.csv", rows))
    assert result["rows"] == 7 * 96 + 4
    assert CallVolume.objects.count() == 7 * 96 + 4  # eight distinct UTC intervals in the doubled hour
    spring = [(s, c) for s, c in volumes(date(2026, 3, 28), 1, 15) if not (s.date() == date(2026, 3, 29) and s.hour == 2)]
    assert call_volumes_import(path=write_export(tmp_path / "spring.csv", spring))["rows"] == 7 * 96 - 4


def test_backtest_command_beats_seasonal_naive_on_a_seasonal_series(tmp_path):
    path = sample_export(tmp_path, weeks=8)
    out = StringIO()
    call_command("capacity", "backtest", "--volumes", str(path), "--horizon-days", "5", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["mase_seasonal_naive"] == 1.0
    assert result["method"]["name"] == "isf"
    assert result["mase"] < 0.9
    origins = 8 * 7 - 21 - 5 + 1  # from week 4 until the last origin with 5 observed days
    assert len(result["origins"]) == origins
    assert result["points_tested"] == origins * 5 * 96


def test_backtest_of_seasonal_naive_itself_scores_exactly_one(tmp_path):
    path = sample_export(tmp_path, weeks=5)
    out = StringIO()
    call_command("capacity", "backtest", "--volumes", str(path), "--method", "seasonal_naive", "--json", stdout=out)
    assert json.loads(out.getvalue())["mase"] == 1.0


def test_backtest_text_output_and_bad_files(tmp_path):
    out = StringIO()
    call_command("capacity", "backtest", "--volumes", str(sample_export(tmp_path, weeks=5)), stdout=out)
    assert "mase_seasonal_naive  1.0000" in out.getvalue() and "points_tested" in out.getvalue()
    with pytest.raises(CommandError, match="needs at least 26 complete days"):
        call_command("capacity", "backtest", "--volumes", str(sample_export(tmp_path, "short.csv", weeks=2)),
                     stdout=StringIO())
    with pytest.raises(CommandError, match="file not found"):
        call_command("capacity", "backtest", "--volumes", str(tmp_path / "nope.csv"), stdout=StringIO())
