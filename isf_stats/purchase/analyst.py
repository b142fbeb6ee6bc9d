"""One-call BG/NBD analysis of a transaction CSV, for analysts (a Django management command wraps it).

Input is whatever an ERP export looks like: a header row, a delimiter among ``,`` ``;`` tab or runs of
whitespace, UTF-8 (with or without BOM) or cp1252. Every input problem is reported as
:class:`AnalystInputError` with enough detail to fix the file (which column is missing and which exist; which
row has which unparseable date), because "ValueError: time data '31.02.2024' does not match format" on row
2,417,113 of an export is not something a sales analyst can act on.
"""

from __future__ import annotations

import csv
import io
import time
from datetime import date, datetime
from pathlib import Path

import numpy as np

from isf_stats.purchase.bgnbd import BGNBDFitter
from isf_stats.purchase.metrics import mean_absolute_error, roc_auc
from isf_stats.purchase.risk import at_risk_scores
from isf_stats.purchase.summary import holdout_purchases, summarize_transactions

__all__ = ["AnalystInputError", "read_transactions_csv", "run_bgnbd_analysis"]

TIME_UNIT_DAYS = 7.0  # weeks at day resolution, as in Fader, Hardie & Lee (2005)
_DELIMITERS = [",", ";", "\t"]


class AnalystInputError(ValueError):
    """The input file or arguments cannot be analysed as given; the message says what to fix."""


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise AnalystInputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AnalystInputError(f"{path} is neither UTF-8 nor cp1252 text")  # pragma: no cover - cp1252 decodes most


def _sniff_delimiter(sample_lines: list[str]) -> str | None:
    """Pick the delimiter that splits the header and the first rows into the same number (>1) of fields.

    Returns None for whitespace-separated files. ``csv.Sniffer`` alone guesses wrongly on short samples and
    cannot express "runs of spaces", hence this explicit rule with the Sniffer as tie-breaker.
    """
    text = "\n".join(sample_lines)
    candidates = []
    for delim in _DELIMITERS:
        counts = {len(row) for row in csv.reader(io.StringIO(text), delimiter=delim) if row}
        if len(counts) == 1 and counts.pop() > 1:
            candidates.append(delim)
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        try:
            return csv.Sniffer().sniff(text, delimiters="".join(candidates)).delimiter
        except csv.Error:
            return candidates[0]
    ws_counts = {len(line.split()) for line in sample_lines if line.strip()}
    if len(ws_counts) == 1 and ws_counts.pop() > 1:
        return None
    raise AnalystInputError(
        "cannot tell the column delimiter: tried comma, semicolon, tab and whitespace on the first lines"
    )


def _rows(text: str, delimiter: str | None):
    if delimiter is None:
        for line in text.splitlines():
            yield line.split()
    else:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _to_day(value, date_format: str, what: str) -> np.datetime64:
    if isinstance(value, datetime):
        return np.datetime64(value.date(), "D")
    if isinstance(value, date | np.datetime64):
        return np.datetime64(value, "D")
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", date_format):
        try:
            return np.datetime64(datetime.strptime(text, fmt).date(), "D")  # noqa: DTZ007 - calendar dates only
        except ValueError:
            continue
    raise AnalystInputError(f"{what} {value!r} is neither ISO (YYYY-MM-DD) nor in date_format {date_format!r}")


def read_transactions_csv(path, customer_col: str, date_col: str, date_format: str):
    """Read ``(customer_ids, dates)`` from a CSV with a header row. Returns numpy arrays (str, datetime64[D])."""
    path = Path(path)
    text = _read_text(path)
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        raise AnalystInputError(f"{path} has no data rows (a header row and at least one row are needed)")
    delimiter = _sniff_delimiter(lines[:20])
    rows = _rows(text, delimiter)
    header = [h.strip() for h in next(rows)]
    missing = [c for c in (customer_col, date_col) if c not in header]
    if missing:
        raise AnalystInputError(
            f"column {missing[0]!r} not found in {path.name}; available columns: {', '.join(header)}"
        )
    ci, di = header.index(customer_col), header.index(date_col)
    customers: list[str] = []
    days: list[int] = []
    cache: dict[str, int] = {}
    for row_number, row in enumerate(rows, start=1):  # row 1 = first data row (file line 2)
        if not row or all(not field.strip() for field in row):
            continue
        if len(row) <= max(ci, di):
            raise AnalystInputError(
                f"row {row_number} (line {row_number + 1}) has {len(row)} fields, expected {len(header)}"
            )
        cust, raw_date = row[ci].strip(), row[di].strip()
        if not cust:
            raise AnalystInputError(f"row {row_number} (line {row_number + 1}): empty {customer_col!r}")
        day = cache.get(raw_date)
        if day is None:
            try:
                parsed = datetime.strptime(raw_date, date_format).date()  # noqa: DTZ007 - calendar dates only
            except ValueError:
                raise AnalystInputError(
                    f"row {row_number} (line {row_number + 1}): cannot parse {date_col!r} value {raw_date!r} "
                    f"with date_format {date_format!r}"
                ) from None
            day = cache[raw_date] = int(np.datetime64(parsed, "D").astype(np.int64))
        customers.append(cust)
        days.append(day)
    if not customers:
        raise AnalystInputError(f"{path.name} has a header but no data rows")
    return np.array(customers), np.array(days, dtype=np.int64).astype("datetime64[D]")


def run_bgnbd_analysis(path, customer_col, date_col, date_format, calibration_end, observation_end=None) -> dict:
    """Fit the BG/NBD on the calibration period and, with ``observation_end``, check it on the holdout.

    Times are weeks at day resolution; same-day purchases of a customer are one purchase. Returns::

        {"params": {r, alpha, a, b}, "loglik", "standard_errors": {r, alpha, a, b}, "runtime_seconds",
         "customers",
         "holdout": {"actual", "predicted", "mae", "auc_expected", "auc_risk"}}   # only with observation_end

    ``actual``/``predicted`` are total repeat purchases in (calibration_end, observation_end]; ``mae`` is per
    customer; the AUCs are for "no purchase in the holdout", ranking by lowest expected purchases and by ISF's
    risk score (None if the holdout has only buyers or only non-buyers). Raises :class:`AnalystInputError`
    for bad input and :class:`~isf_stats.base.ConvergenceError` if the model cannot be fitted.
    """
    started = time.perf_counter()
    cal_end = _to_day(calibration_end, date_format, "calibration_end")
    obs_end = None if observation_end is None else _to_day(observation_end, date_format, "observation_end")
    if obs_end is not None and obs_end <= cal_end:
        raise AnalystInputError(f"observation_end {obs_end} must be after calibration_end {cal_end}")

    customers, dates = read_transactions_csv(path, customer_col, date_col, date_format)
    summary = summarize_transactions(customers, dates, cal_end, TIME_UNIT_DAYS)
    if len(summary) == 0:
        raise AnalystInputError(f"no purchases on or before calibration_end {cal_end}")
    if not np.any(summary.x > 0):
        raise AnalystInputError(
            f"none of the {len(summary)} customers made a repeat purchase by calibration_end {cal_end}: "
            "the BG/NBD needs repeat purchases (is the customer column right? is the calibration period too short?)"
        )
    model = BGNBDFitter().fit(summary.x, summary.t_x, summary.T)
    result = {
        "params": dict(model.params_),
        "loglik": model.loglik_,
        "standard_errors": dict(model.standard_errors_),
        "runtime_seconds": 0.0,
        "customers": len(summary),
    }
    if obs_end is not None:
        actual = holdout_purchases(customers, dates, cal_end, obs_end, summary.customers)
        horizon_days = int((obs_end - cal_end).astype(np.int64))
        expected = model.conditional_expected_number_of_purchases_up_to_time(
            horizon_days / TIME_UNIT_DAYS, summary.x, summary.t_x, summary.T
        )
        no_purchase = actual == 0
        both = 0 < no_purchase.sum() < no_purchase.size
        auc_expected = roc_auc(no_purchase, -expected) if both else None
        auc_risk = None
        if both:
            risk = at_risk_scores(customers, dates, cal_end, horizon_days=horizon_days, time_unit_days=TIME_UNIT_DAYS)
            auc_risk = roc_auc(no_purchase, risk.score)
        result["holdout"] = {
            "actual": int(actual.sum()),
            "predicted": float(expected.sum()),
            "mae": mean_absolute_error(actual, expected),
            "auc_expected": auc_expected,
            "auc_risk": auc_risk,
        }
    result["runtime_seconds"] = time.perf_counter() - started
    return result
