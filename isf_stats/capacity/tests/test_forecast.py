"""Interval forecasts: the ISF method against seasonal naive on simulated call-centre data."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from isf_stats.capacity import VolumeSeriesError, backtest, forecast, regularise
from isf_stats.capacity.forecast import _days, _isf_paths

from .synthetic import expected_counts, make_series

HOLIDAYS = (24, 52, 60)  # a Thursday, a Thursday and a Friday with no calls at all


@pytest.mark.parametrize("seed", [7, 11, 23])
def test_isf_beats_seasonal_naive_on_ten_weeks_of_quarter_hours(seed):
    starts, counts = make_series(weeks=10, seed=seed, holidays=HOLIDAYS)

    result = backtest(starts, counts, horizon_days=5, min_train_weeks=3)

    # 70 days: origins at days 21..65, each tested on 5 days x 96 quarter hours
    assert len(result["origins"]) == 45
    assert result["origins"][0] == "2024-01-22T00:00"
    assert result["origins"][-1] == "2024-03-06T00:00"
    assert result["points_tested"] == 45 * 5 * 96
    assert result["mase_seasonal_naive"] == 1.0
    assert result["mase"] == pytest.approx(result["mae"] / result["mae_seasonal_naive"])
    assert result["mase"] < 0.85  # observed 0.70-0.75 for these seeds
    assert result["method"]["name"] == "isf"
    assert set(result["method"]["parameters"]) == {
        "alpha",
        "beta",
        "gamma",
        "phi",
        "profile_lambda",
        "profile_smoothing",
    }
    json.dumps(result)  # the API and the task log store it as is


def test_isf_beats_seasonal_naive_without_holidays_too():
    starts, counts = make_series(weeks=9, seed=3)
    result = backtest(starts, counts)
    assert result["points_tested"] == (63 - 21 - 5 + 1) * 5 * 96
    assert result["mase"] < 0.9


@pytest.mark.parametrize("resolution", [5, 30])
def test_other_resolutions(resolution):
    starts, counts = make_series(weeks=8, resolution_minutes=resolution, seed=5, holidays=(30,))
    result = backtest(starts, counts, horizon_days=3, step_days=2)
    spd = 1440 // resolution
    assert len(result["origins"]) == len(range(21, 56 - 3 + 1, 2))
    assert result["points_tested"] == len(result["origins"]) * 3 * spd
    assert result["mase"] < 0.9


def test_seasonal_naive_scores_exactly_one():
    starts, counts = make_series(weeks=6)
    result = backtest(starts, counts, method="seasonal_naive")
    assert result["mase"] == 1.0
    assert result["mae"] == result["mae_seasonal_naive"]
    assert result["method"] == {"name": "seasonal_naive", "parameters": {"season_days": 7}}


def test_backtest_of_twelve_weeks_runs_fast():
    starts, counts = make_series(weeks=12, seed=1, holidays=HOLIDAYS)
    started = time.perf_counter()
    result = backtest(starts, counts)
    assert time.perf_counter() - started < 3.0
    assert result["points_tested"] == (84 - 21 - 5 + 1) * 5 * 96


def test_backtest_forecasts_use_only_data_before_each_origin():
    starts, counts = make_series(weeks=8, seed=2, holidays=(20,))
    matrix, weekdays, _ = _days(regularise(starts, counts), extra_days=5)
    paths, chosen = _isf_paths(matrix, weekdays, [21, 35, 50], 5)
    for i, origin in enumerate((21, 35, 50)):
        alone, alone_chosen = _isf_paths(matrix[:origin], weekdays, [origin], 5)
        np.testing.assert_array_equal(paths[i], alone[0])
        assert chosen[i] == alone_chosen[0]


def test_forecast_follows_the_known_pattern_and_trend():
    weeks = 8
    starts, counts = make_series(weeks=weeks, seed=4, day_cv=0.03)
    truth = expected_counts(weeks + 1)[weeks * 7 * 96 : (weeks * 7 + 5) * 96]

    result = forecast(starts, counts, horizon_days=5)

    assert len(result.values) == 5 * 96
    assert result.starts[0] == np.datetime64("2024-02-26T00:00")
    assert np.all(np.diff(result.starts) == np.timedelta64(15, "m"))
    assert np.all(result.values >= 0)
    assert result.values.sum() == pytest.approx(truth.sum(), rel=0.05)  # includes the 2 %/week growth
    daily = result.values.reshape(5, 96).sum(axis=1)
    assert daily == pytest.approx(truth.reshape(5, 96).sum(axis=1), rel=0.08)
    night = result.values.reshape(5, 96)[:, :28]  # before 07:00
    assert night.max() == 0.0


def test_forecast_after_a_partial_day_covers_the_rest_of_it():
    starts, counts = make_series(weeks=6, seed=8)
    cut = len(counts) - 96 + 40  # the last day observed up to 09:45

    result = forecast(starts[:cut], counts[:cut], horizon_days=2)

    assert result.starts[0] == starts[cut]
    assert len(result.values) == 56 + 2 * 96
    assert np.all(result.values >= 0)


def test_forecast_zeroes_known_closed_dates():
    starts, counts = make_series(weeks=6, seed=8)
    result = forecast(starts, counts, horizon_days=3, closed_dates=["2024-02-13"])
    day = result.starts.astype("datetime64[D]") == np.datetime64("2024-02-13")
    assert result.values[day].sum() == 0.0
    assert result.values[~day].sum() > 0.0


def test_seasonal_naive_forecast_repeats_last_week():
    starts, counts = make_series(weeks=3, seed=8)
    result = forecast(starts, counts, horizon_days=10, method="seasonal_naive")
    week = 7 * 96
    np.testing.assert_array_equal(result.values[:week], counts[-week:])
    np.testing.assert_array_equal(result.values[week:], counts[-week : -week + 3 * 96])


def test_holiday_in_history_is_not_copied_into_next_week():
    starts, counts = make_series(weeks=6, seed=9, holidays=(35,))  # the last Monday was a holiday
    isf = forecast(starts, counts, horizon_days=1)
    naive = forecast(starts, counts, horizon_days=1, method="seasonal_naive")
    assert naive.values.sum() == 0.0
    assert isf.values.sum() > 700


def test_bad_arguments():
    starts, counts = make_series(weeks=4)
    with pytest.raises(ValueError, match="method must be one of"):
        backtest(starts, counts, method="prophet")
    with pytest.raises(ValueError, match="min_train_weeks must be a whole number >= 2"):
        backtest(starts, counts, min_train_weeks=1)
    with pytest.raises(ValueError, match="horizon_days must be a whole number >= 1"):
        forecast(starts, counts, horizon_days=0)
    with pytest.raises(VolumeSeriesError, match="backtest needs at least 35 complete days"):
        backtest(starts[: 30 * 96], counts[: 30 * 96], horizon_days=14)
    with pytest.raises(VolumeSeriesError, match="the isf method needs at least 15 complete days"):
        forecast(starts[: 10 * 96], counts[: 10 * 96], horizon_days=1)


def test_a_lasting_drop_becomes_the_new_level_instead_of_being_ignored_as_holidays():
    starts, counts = make_series(weeks=10, seed=9)
    week5 = 35 * 96
    counts[week5:] = np.random.default_rng(1).poisson(expected_counts(10)[week5:] * 0.2)  # line rerouted

    result = forecast(starts, counts, horizon_days=5)

    truth = 0.2 * expected_counts(11)[70 * 96 : 75 * 96].sum()
    assert result.values.sum() == pytest.approx(truth, rel=0.1)


def test_a_perfectly_repeating_history_ties_with_seasonal_naive():
    starts, counts = make_series(weeks=4)
    result = backtest(starts, np.full_like(counts, 3.0))
    assert result["mae_seasonal_naive"] == 0.0
    assert result["mase"] == 1.0


def test_backtest_over_open_intervals_leaves_closed_ones_out_of_the_error():
    starts, counts = make_series(weeks=6, seed=3)
    minutes = (np.asarray(starts, dtype="datetime64[m]") - np.asarray(starts, dtype="datetime64[D]")).astype(int)
    open_intervals = (minutes >= 8 * 60) & (minutes < 17 * 60)
    counts = np.where(open_intervals, counts, 0.0)  # a centre closed at night
    everything = backtest(starts, counts, method="seasonal_naive")
    measured = backtest(starts, counts, method="seasonal_naive", open_intervals=open_intervals)
    days = (42 - 21 - 5 + 1) * 5
    assert (everything["points_tested"], everything["points_closed"]) == (days * 96, 0)
    assert (measured["points_tested"], measured["points_closed"]) == (days * 36, days * 60)
    # the same absolute errors over fewer points (the nights' exact zeros left out): a larger mean error
    assert measured["mae"] == pytest.approx(everything["mae"] * 96 / 36)
    assert measured["mase"] == 1.0
    with pytest.raises(VolumeSeriesError, match="no open interval"):
        backtest(starts, counts, open_intervals=np.zeros(len(counts), dtype=bool))
