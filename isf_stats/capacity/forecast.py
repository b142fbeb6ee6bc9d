"""Call-volume forecasts per interval, and a rolling-origin backtest against seasonal naive.

The ISF method ("isf")
----------------------
Inbound volume per interval is modelled as ``daily total x intraday share``:

* **Daily totals** follow multiplicative Holt-Winters with a weekly season and a damped trend
  (ETS(M,Ad,M) recursions, Gardner & McKenzie). The weekday factor captures "Mondays are busy", the
  level and the damped trend capture growth without extrapolating it forever.
* **Intraday shares** per weekday are exponentially weighted averages of past same-weekday interval
  counts, normalised to sum to one. Averaging counts (not shares) weights busy days more, and pooling a
  whole day's volume into one level before splitting it makes the estimate far less noisy than a
  672-slot seasonal Holt-Winters, where every slot is updated from a single Poisson count per week.

Robustness: a day whose total is below 30 % of its forecast (and implausible as Poisson noise) is
treated as a holiday/outage: it updates neither the level nor the profile and does not count in the
parameter selection, so next week is not forecast as a holiday, which is exactly where seasonal naive
fails. More than ten such open days in a row are accepted as a real drop (a line rerouted) and
restart the level at their average, so the model cannot get stuck on an old level; the price is that
such a drop is forecast badly for those two weeks. Closed weekdays (factor near zero) leave the level
untouched, so Sundays at 0 are fine. Spikes above the forecast are not screened out; the grid prefers
parameters that a single spike does not move much.

Parameter choice: no constant is tuned to one series. The smoothing parameters are chosen from small
grids by in-sample one-step MAE on the data before the forecast origin only (daily totals for
Holt-Winters; interval counts given the day's total for the profile). All grid points run in one
vectorised pass, and because the filter is causal one pass also yields the state at every backtest
origin, which is what keeps a 12-week, 15-minute backtest well under a second.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from .series import VolumeSeries, VolumeSeriesError, regularise

__all__ = ["METHODS", "VolumeForecast", "backtest", "forecast", "seasonal_naive"]

METHODS = ("isf", "seasonal_naive")
_INIT_DAYS = 14  # two weeks start the weekday factors and profiles; the ISF method needs them
_LOW = 0.3  # a day below 30 % of its forecast is a holiday/outage, not information about the level
_REGIME_DAYS = 10  # ... unless it lasts longer than two working weeks: then it is the new normal
_SMIN = 0.05  # weekday factors below this are "closed days": they carry no information about the level
_ALPHA = (0.05, 0.1, 0.2, 0.35, 0.5)
_BETA = (0.0, 0.05, 0.2)
_GAMMA = (0.05, 0.15, 0.3)
_PHI = (0.9, 0.98)
_LAMBDA = (0.05, 0.1, 0.2, 0.35, 0.5)
_SMOOTH = (0, 1)  # 0: raw profile; 1: [1, 2, 1] / 4 smoothing of neighbouring intervals
_DEFAULT_HW = (0.2, 0.05, 0.15, 0.98)  # used only when an origin has no in-sample days to choose with
_DEFAULT_PROFILE = (0.2, 0)


@dataclass(frozen=True, eq=False)
class VolumeForecast:
    """Future interval ``starts`` (datetime64[m]) with forecast ``values`` (calls, >= 0) and the method used."""

    starts: np.ndarray
    values: np.ndarray
    resolution_minutes: int
    method: dict

    def __repr__(self) -> str:
        span = f"{self.starts[0]}..{self.starts[-1]}" if len(self.starts) else "empty"
        return f"VolumeForecast({span}, {len(self.values)} intervals, method={self.method['name']!r})"


# ---------------------------------------------------------------------------------------------- day layout


def _days(series: VolumeSeries, extra_days: int = 0) -> tuple[np.ndarray, np.ndarray, int]:
    """Complete days as a (days, slots) matrix, weekdays (Mon=0) for them plus ``extra_days`` beyond, and
    the offset of the first complete day in the series (a leading partial day is not used)."""
    spd = series.slots_per_day
    minutes = series.starts.astype(np.int64)
    offset = int((spd - (minutes[0] % 1440) // series.resolution_minutes) % spd)
    n_days = max(0, (len(series) - offset) // spd)
    matrix = series.counts[offset : offset + n_days * spd].reshape(n_days, spd)
    first_day = (minutes[0] + offset * series.resolution_minutes) // 1440
    weekdays = (first_day + np.arange(n_days + extra_days) + 3) % 7  # 1970-01-01 was a Thursday (3)
    return matrix, weekdays, offset


def _smooth(profiles: np.ndarray) -> np.ndarray:
    padded = np.concatenate([profiles[..., :1], profiles, profiles[..., -1:]], axis=-1)
    return 0.25 * padded[..., :-2] + 0.5 * padded[..., 1:-1] + 0.25 * padded[..., 2:]


def _shares(profiles: np.ndarray) -> np.ndarray:
    """Normalise interval profiles to shares of the day (all zero for a weekday never seen open)."""
    total = profiles.sum(axis=-1, keepdims=True)
    return np.divide(profiles, total, out=np.zeros_like(profiles), where=total > 0)


def _low_day(actual: np.ndarray | float, expected: np.ndarray) -> np.ndarray:
    """Holiday/outage test: far below the forecast and not explainable as Poisson noise."""
    return (actual < _LOW * expected) & (expected - actual > 3.0 * np.sqrt(np.maximum(expected, 1.0)))


# ------------------------------------------------------------------------------------------------ ISF model


def _initial_state(matrix: np.ndarray, weekdays: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Level, weekday factors and weekday profiles from the first two weeks, robust to one holiday each."""
    profiles = np.zeros((7, matrix.shape[1]))
    totals = np.zeros(7)
    for k in range(7):
        rows = matrix[:_INIT_DAYS][weekdays[:_INIT_DAYS] == k]
        sums = rows.sum(axis=1)
        keep = sums >= _LOW * sums.max() if sums.max() > 0 else np.ones(len(sums), dtype=bool)
        profiles[k] = rows[keep].mean(axis=0)
        totals[k] = sums[keep].mean()
    level = float(totals.mean())
    factors = totals / level if level > 0 else np.ones(7)
    return level, factors, profiles


def _isf_paths(
    matrix: np.ndarray, weekdays: np.ndarray, origins: list[int], horizon: int
) -> tuple[np.ndarray, list[dict]]:
    """Forecast ``horizon`` days from every origin (a day index; data before it is used), one causal pass.

    ``origins`` must be increasing and at least ``_INIT_DAYS``; ``weekdays`` must reach ``horizon`` days
    past the last origin. Returns an array (origins, horizon, slots) and the parameters chosen at each.
    """
    grid = np.array(list(itertools.product(_ALPHA, _BETA, _GAMMA, _PHI))).T
    alpha, beta, gamma, phi = grid
    default_hw = next(i for i, p in enumerate(zip(*grid, strict=True)) if p == _DEFAULT_HW)
    lambdas = np.array(_LAMBDA)[:, None]
    default_profile = (_LAMBDA.index(_DEFAULT_PROFILE[0]), _DEFAULT_PROFILE[1])

    level0, factors0, profiles0 = _initial_state(matrix, weekdays)
    level = np.full(grid.shape[1], level0)
    trend = np.zeros(grid.shape[1])
    factors = np.tile(factors0, (grid.shape[1], 1))
    profiles = np.tile(profiles0, (len(_LAMBDA), 1, 1))  # (lambda, weekday, slot)
    hw_err, hw_n = np.zeros(grid.shape[1]), np.zeros(grid.shape[1])
    pr_err, pr_n = np.zeros((len(_SMOOTH), len(_LAMBDA))), np.zeros(len(_LAMBDA))
    hw_run, pr_run = np.zeros(grid.shape[1], dtype=int), np.zeros(len(_LAMBDA), dtype=int)
    hw_sum = np.zeros(grid.shape[1])
    rows = np.arange(grid.shape[1])

    out = np.zeros((len(origins), horizon, matrix.shape[1]))
    chosen: list[dict] = []
    pending = list(origins)
    day = _INIT_DAYS
    while pending:
        if day == pending[0]:
            pending.pop(0)
            g = int(np.argmin(hw_err / hw_n)) if hw_n.min() > 0 else default_hw
            if pr_n.min() > 0:
                h, lam = np.unravel_index(int(np.argmin(pr_err / pr_n)), pr_err.shape)
            else:
                lam, h = default_profile
            damp = np.cumsum(phi[g] ** np.arange(1, horizon + 1))
            future = weekdays[day : day + horizon]
            totals = np.maximum((level[g] + damp * trend[g]) * factors[g, future], 0.0)
            shape = profiles[lam, future]
            out[len(chosen)] = totals[:, None] * _shares(_smooth(shape) if _SMOOTH[h] else shape)
            chosen.append(
                {
                    "alpha": float(alpha[g]),
                    "beta": float(beta[g]),
                    "gamma": float(gamma[g]),
                    "phi": float(phi[g]),
                    "profile_lambda": float(_LAMBDA[lam]),
                    "profile_smoothing": int(_SMOOTH[h]),
                }
            )
            continue
        k = weekdays[day]
        row = matrix[day]
        y = float(row.sum())

        # daily totals: damped multiplicative Holt-Winters, every grid point at once
        base = level + phi * trend
        s = factors[:, k]
        expected = base * s
        low = _low_day(y, expected)
        open_day = s > _SMIN
        hw_run = np.where(open_day, np.where(low, hw_run + 1, 0), hw_run)
        hw_sum = np.where(open_day, np.where(low, hw_sum + y / np.maximum(s, _SMIN), 0.0), hw_sum)
        shift = hw_run > _REGIME_DAYS
        regular = ~low | shift
        # a confirmed drop restarts the level at the deseasonalised mean of the low run, without trend
        base = np.where(shift, hw_sum / np.maximum(hw_run, 1), base)
        level = np.where(shift, base, level)
        trend = np.where(shift, 0.0, trend)
        hw_err += np.where(regular, np.abs(y - expected), 0.0)
        hw_n += regular
        informative = regular & (s > _SMIN)
        new_level = np.where(informative, alpha * y / np.maximum(s, _SMIN) + (1 - alpha) * base, base)
        new_level = np.maximum(new_level, 0.0)
        trend = np.where(informative, beta * (new_level - level) + (1 - beta) * phi * trend, phi * trend)
        factors[rows, k] = np.where(regular & (base > 0), gamma * y / np.maximum(base, 1e-12) + (1 - gamma) * s, s)
        level = new_level

        # intraday profile: error of the share forecast given the day's actual total, then EWMA update
        current = profiles[:, k]  # (lambda, slot)
        low = _low_day(y, current.sum(axis=1))
        pr_run = np.where(low, pr_run + 1, 0)
        regular = ~low | (pr_run > _REGIME_DAYS)
        for h, width in enumerate(_SMOOTH):
            shares = _shares(_smooth(current) if width else current)
            pr_err[h] += np.where(regular, np.abs(row - y * shares).sum(axis=1), 0.0)
        pr_n += regular
        profiles[:, k] = np.where(regular[:, None], (1 - lambdas) * current + lambdas * row, current)
        day += 1
    return out, chosen


# ---------------------------------------------------------------------------------------------- public API


def seasonal_naive(counts: np.ndarray, slots_per_day: int, steps: int) -> np.ndarray:
    """Each future interval = the same interval one week earlier (repeating the last week beyond 7 days)."""
    season = 7 * slots_per_day
    if len(counts) < season:
        raise VolumeSeriesError(f"seasonal naive needs at least one full week ({season} intervals), got {len(counts)}")
    ahead = np.arange(steps)
    return np.asarray(counts, dtype=float)[len(counts) + ahead - season * (ahead // season + 1)]


def _method(method: str) -> str:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return method


def _date(value: object) -> np.datetime64:
    try:
        result = np.datetime64(value, "D")
    except (TypeError, ValueError):
        result = np.datetime64("NaT", "D")
    if np.isnat(result):
        raise ValueError(f"closed_dates must hold dates, got {value!r}")
    return result


def _positive_int(name: str, value: object, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def forecast(
    starts: object,
    counts: object,
    horizon_days: int,
    method: str = "isf",
    resolution_minutes: int | None = None,
    closed_dates: object = (),
) -> VolumeForecast:
    """Forecast calls per interval for the rest of the last (partial) day plus ``horizon_days`` full days.

    ``closed_dates`` (dates, ISO strings or datetime64) are known future closures, e.g. public holidays
    from the ``holidays`` package: their intervals are forecast as 0.
    """
    horizon_days = _positive_int("horizon_days", horizon_days)
    series = regularise(starts, counts, resolution_minutes)
    spd, res = series.slots_per_day, series.resolution_minutes
    last = series.starts[-1].astype(np.int64)
    remaining = int(spd - 1 - (last % 1440) // res)  # intervals left in the day of the last observation
    steps = remaining + horizon_days * spd
    future = series.starts[-1] + np.arange(1, steps + 1) * np.timedelta64(res, "m")
    if _method(method) == "seasonal_naive":
        values = seasonal_naive(series.counts, spd, steps)
        info = {"name": "seasonal_naive", "parameters": {"season_days": 7}}
    else:
        matrix, weekdays, offset = _days(series, extra_days=horizon_days + 1)
        if len(matrix) < _INIT_DAYS + 1:
            raise VolumeSeriesError(f"the isf method needs at least {_INIT_DAYS + 1} complete days, got {len(matrix)}")
        observed_today = len(series) - offset - len(matrix) * spd  # intervals of a trailing partial day
        days_ahead = horizon_days + (1 if observed_today else 0)
        paths, chosen = _isf_paths(matrix, weekdays, [len(matrix)], days_ahead)
        values = paths[0].ravel()[observed_today:]
        info = {"name": "isf", "parameters": chosen[0]}
    closed = np.array([_date(d) for d in closed_dates], dtype="datetime64[D]")
    if len(closed):
        values = np.where(np.isin(future.astype("datetime64[D]"), closed), 0.0, values)
    return VolumeForecast(starts=future, values=np.maximum(values, 0.0), resolution_minutes=res, method=info)


def backtest(
    starts: object,
    counts: object,
    horizon_days: int = 5,
    method: str = "isf",
    min_train_weeks: int = 3,
    step_days: int = 1,
    resolution_minutes: int | None = None,
    open_intervals: object | None = None,
) -> dict:
    """Rolling-origin backtest: from every ``step_days``-th midnight after ``min_train_weeks`` of history
    until the last origin whose whole horizon is observed, forecast ``horizon_days`` ahead using only
    the data before the origin, and compare with the actual interval counts.

    MASE uses seasonal naive *on the same tested points* as the scale (``mase = mae / mae_seasonal_naive``,
    so seasonal naive scores exactly 1.0); below 1 means the method beats "same interval last week".
    The result is JSON-serialisable: ``mase``, ``mase_seasonal_naive``, ``mae``, ``mae_seasonal_naive``,
    ``points_tested`` (origins x horizon days x intervals per day), ``origins`` (ISO timestamps) and
    ``method`` (name and the parameters chosen at the last origin).

    ``open_intervals`` (booleans aligned with ``starts``): only the open intervals are tested - a closed
    interval (night, weekend, holiday) is 0 for every method and would make any forecast look better than it is;
    ``points_closed`` counts the tested points left out. Without it every interval is tested.
    """
    horizon_days = _positive_int("horizon_days", horizon_days)
    min_train_weeks = _positive_int("min_train_weeks", min_train_weeks, minimum=2)
    step_days = _positive_int("step_days", step_days)
    series = regularise(starts, counts, resolution_minutes)
    matrix, weekdays, offset = _days(series, extra_days=horizon_days)
    first = 7 * min_train_weeks
    origins = list(range(first, len(matrix) - horizon_days + 1, step_days))
    if not origins:
        raise VolumeSeriesError(
            f"backtest needs at least {first + horizon_days} complete days "
            f"({min_train_weeks} weeks of training + {horizon_days} days of horizon), got {len(matrix)}"
        )
    index = np.array(origins)[:, None] + np.arange(horizon_days)[None, :]  # (origin, day ahead)
    actual = matrix[index]
    naive = matrix[index - 7 * (np.arange(horizon_days) // 7 + 1)[None, :]]
    if _method(method) == "isf":
        predicted, chosen = _isf_paths(matrix, weekdays, origins, horizon_days)
        info = {
            "name": "isf",
            "parameters": chosen[-1],
            "selection": "grid search by in-sample one-step MAE on the data before each origin",
        }
    else:
        predicted = naive
        info = {"name": "seasonal_naive", "parameters": {"season_days": 7}}
    tested = np.ones(actual.shape, dtype=bool)
    if open_intervals is not None:
        flags = regularise(starts, np.asarray(open_intervals, dtype=float), resolution_minutes)
        open_matrix, _weekdays, _offset = _days(flags, extra_days=horizon_days)
        tested = open_matrix[index] > 0
        if not tested.any():
            raise VolumeSeriesError("backtest: no open interval in the tested days")
    mae = float(np.mean(np.abs(predicted - actual)[tested]))
    mae_naive = float(np.mean(np.abs(naive - actual)[tested]))
    if mae_naive > 0:
        mase = mae / mae_naive
    else:  # a perfectly repeating history: only a perfect forecast (up to rounding) ties with seasonal naive
        mase = 1.0 if mae <= 1e-9 * max(1.0, float(np.mean(actual[tested]))) else math.inf
    first_start = series.starts[offset].astype("datetime64[D]")
    return {
        "mase": mase,
        "mase_seasonal_naive": 1.0,
        "mae": mae,
        "mae_seasonal_naive": mae_naive,
        "points_tested": int(tested.sum()),
        "points_closed": int(actual.size - tested.sum()),
        "origins": [str((first_start + np.timedelta64(d, "D")).astype("datetime64[m]")) for d in origins],
        "method": info,
    }
