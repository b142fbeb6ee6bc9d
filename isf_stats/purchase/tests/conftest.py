"""Shared fixtures: the CDNOW golden data set, kept in tests/data/ (source in its README)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from isf_stats.purchase.bgnbd import BGNBDFitter
from isf_stats.purchase.summary import RFSummary, holdout_purchases, summarize_transactions

CDNOW_PATH = Path(__file__).resolve().parent / "data" / "CDNOW_sample.txt"
CALIBRATION_END = "1997-09-30"
OBSERVATION_END = "1998-06-30"
HOLDOUT_WEEKS = 39.0  # 1997-10-01 .. 1998-06-30 = 273 days


@dataclass(frozen=True)
class Transactions:
    customer: np.ndarray
    date: np.ndarray
    cds: np.ndarray
    revenue: np.ndarray


@pytest.fixture(scope="session")
def cdnow() -> Transactions:
    assert CDNOW_PATH.is_file(), f"golden data set missing: {CDNOW_PATH}"
    raw = np.loadtxt(CDNOW_PATH, dtype=str)
    dates = np.array([f"{d[:4]}-{d[4:6]}-{d[6:]}" for d in raw[:, 2]], dtype="datetime64[D]")
    return Transactions(raw[:, 1].astype(np.int64), dates, raw[:, 3].astype(int), raw[:, 4].astype(float))


@pytest.fixture(scope="session")
def cdnow_summary(cdnow) -> RFSummary:
    return summarize_transactions(cdnow.customer, cdnow.date, CALIBRATION_END)


@pytest.fixture(scope="session")
def cdnow_model(cdnow_summary) -> BGNBDFitter:
    return BGNBDFitter().fit(cdnow_summary.x, cdnow_summary.t_x, cdnow_summary.T)


@pytest.fixture(scope="session")
def cdnow_holdout(cdnow, cdnow_summary) -> np.ndarray:
    return holdout_purchases(cdnow.customer, cdnow.date, CALIBRATION_END, OBSERVATION_END, cdnow_summary.customers)
