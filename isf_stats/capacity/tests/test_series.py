"""regularise(): every irregularity is reported with the offending timestamps, nothing is filled in."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from isf_stats.capacity import VolumeSeriesError, regularise


def quarter_hours(n: int, start: str = "2024-03-04T08:00") -> np.ndarray:
    return np.datetime64(start) + np.arange(n) * np.timedelta64(15, "m")


@pytest.mark.parametrize("resolution", [5, 15, 30])
def test_detects_resolution_and_sorts(resolution):
    starts = np.datetime64("2024-03-04T00:00") + np.arange(20) * np.timedelta64(resolution, "m")
    order = np.random.default_rng(0).permutation(20)

    series = regularise(starts[order], np.arange(20)[order])

    assert series.resolution_minutes == resolution
    assert series.slots_per_day == 1440 // resolution
    np.testing.assert_array_equal(series.starts, starts)
    np.testing.assert_array_equal(series.counts, np.arange(20.0))
    assert series.starts.dtype == np.dtype("datetime64[m]")


def test_accepts_iso_strings_and_naive_datetimes():
    strings = ["2024-03-04T08:00", "2024-03-04T08:15", "2024-03-04T08:30"]
    datetimes = [dt.datetime(2024, 3, 4, 8, 0), dt.datetime(2024, 3, 4, 8, 15), dt.datetime(2024, 3, 4, 8, 30)]
    assert regularise(strings, [1, 2, 3]).resolution_minutes == 15
    np.testing.assert_array_equal(regularise(datetimes, [1, 2, 3]).starts, regularise(strings, [1, 2, 3]).starts)


def test_gaps_are_listed_as_timestamps_and_runs():
    starts = np.delete(quarter_hours(40), [5, 20, 21, 22])

    with pytest.raises(VolumeSeriesError) as raised:
        regularise(starts, np.ones(len(starts)))

    assert [str(t) for t in raised.value.gaps] == [
        "2024-03-04T09:15",
        "2024-03-04T13:00",
        "2024-03-04T13:15",
        "2024-03-04T13:30",
    ]
    message = str(raised.value)
    assert "4 missing interval(s): 2024-03-04T09:15, 2024-03-04T13:00..2024-03-04T13:30 (3 intervals)" in message


def test_duplicates_negative_counts_and_misaligned_starts_are_reported_together():
    starts = list(quarter_hours(12))
    starts.append(starts[3])  # exported twice
    starts.append(np.datetime64("2024-03-04T09:07"))  # off the quarter-hour grid
    counts = [1.0] * 14
    counts[6] = -2.0

    with pytest.raises(VolumeSeriesError) as raised:
        regularise(starts, counts, resolution_minutes=15)

    error = raised.value
    assert [str(t) for t in error.duplicates] == ["2024-03-04T08:45"]
    assert [str(t) for t in error.negative] == ["2024-03-04T09:30"]
    assert [str(t) for t in error.misaligned] == ["2024-03-04T09:07:00"]
    assert error.gaps == []
    message = str(error)
    assert "1 duplicate start(s): 2024-03-04T08:45" in message
    assert "1 negative count(s) at 2024-03-04T09:30" in message
    assert "off the 15-minute grid: 2024-03-04T09:07:00" in message


def test_unparseable_starts_are_listed_by_position_and_value():
    starts = ["2024-03-04T08:00", "2024-13-45T08:15", "not a date", "2024-03-04T08:45", None, 1709539200]

    with pytest.raises(VolumeSeriesError) as raised:
        regularise(starts, [1, 2, 3, 4, 5, 6], resolution_minutes=15)

    assert raised.value.unparseable == [1, 2, 4, 5]
    message = str(raised.value)
    assert "4 start(s) are not readable naive local times" in message
    assert "#1='2024-13-45T08:15'" in message
    assert "#2='not a date'" in message


def test_timezone_aware_datetimes_are_rejected():
    berlin = dt.timezone(dt.timedelta(hours=1))
    starts = [dt.datetime(2024, 3, 4, 8, 0, tzinfo=berlin), dt.datetime(2024, 3, 4, 8, 15, tzinfo=berlin)]
    with pytest.raises(VolumeSeriesError, match="not readable naive local times") as raised:
        regularise(starts, [1, 2], resolution_minutes=15)
    assert raised.value.unparseable == [0, 1]


def test_missing_or_non_numeric_counts():
    with pytest.raises(
        VolumeSeriesError, match="2 count\\(s\\) are missing or not numbers at positions 1, 3"
    ) as raised:
        regularise(quarter_hours(4), [1, float("nan"), 3, "many"])
    assert raised.value.bad_counts == [1, 3]


def test_shape_and_resolution_errors():
    with pytest.raises(VolumeSeriesError, match="one value per start"):
        regularise(quarter_hours(4), [1, 2, 3])
    with pytest.raises(VolumeSeriesError, match="detected interval spacing of 7 minutes"):
        regularise(np.datetime64("2024-03-04T08:00") + np.arange(5) * np.timedelta64(7, "m"), np.ones(5))
    with pytest.raises(VolumeSeriesError, match="resolution_minutes must be one of"):
        regularise(quarter_hours(4), np.ones(4), resolution_minutes=7)
    with pytest.raises(VolumeSeriesError, match="need at least two interval starts"):
        regularise(quarter_hours(1), [1])


def test_explicit_resolution_finds_gaps_the_detector_would_call_spacing():
    starts = np.datetime64("2024-03-04T08:00") + np.arange(4) * np.timedelta64(30, "m")
    with pytest.raises(VolumeSeriesError) as raised:
        regularise(starts, np.ones(4), resolution_minutes=15)
    assert len(raised.value.gaps) == 3


def test_empty_series():
    with pytest.raises(VolumeSeriesError, match="the volume series is empty"):
        regularise(np.array([], dtype="datetime64[m]"), [], resolution_minutes=15)
