import shutil

import pytest

from isf_stats.purchase.analyst import AnalystInputError, run_bgnbd_analysis
from isf_stats.purchase.bgnbd import BGNBDFitter
from isf_stats.purchase.simulate import simulate_transactions
from isf_stats.purchase.summary import holdout_purchases, summarize_transactions

from .conftest import CDNOW_PATH


@pytest.fixture
def cdnow_csv(tmp_path):
    """CDNOW as an analyst would get it: whitespace-separated, with a header row added."""
    path = tmp_path / "cdnow.txt"
    path.write_text("master customer date cds dollars\n" + CDNOW_PATH.read_text())
    return path


def test_cdnow_analysis_end_to_end(cdnow_csv):
    out = run_bgnbd_analysis(cdnow_csv, "customer", "date", "%Y%m%d", "1997-09-30", "1998-06-30")
    assert set(out) == {"params", "loglik", "standard_errors", "runtime_seconds", "customers", "holdout"}
    assert out["customers"] == 2357
    for k, v in {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}.items():
        assert out["params"][k] == pytest.approx(v, abs=0.001)
        assert 0 < out["standard_errors"][k] < v
    assert out["loglik"] == pytest.approx(-9582.4, abs=0.05)
    assert 0 < out["runtime_seconds"] < 60
    h = out["holdout"]
    assert h["actual"] == 1882
    assert h["predicted"] == pytest.approx(1653.4, abs=0.5)
    assert h["mae"] == pytest.approx(0.785, abs=0.002)
    assert h["auc_expected"] == pytest.approx(0.7725, abs=0.001)
    assert h["auc_risk"] > h["auc_expected"]


def test_calibration_only_has_no_holdout(cdnow_csv):
    out = run_bgnbd_analysis(cdnow_csv, "customer", "date", "%Y%m%d", "19970930")
    assert "holdout" not in out and out["customers"] == 2357


@pytest.mark.parametrize("delim", [";", ",", "\t"])
def test_german_export_with_sniffed_delimiter(tmp_path, delim):
    """dd.mm.yyyy dates, UTF-8 with BOM, string ids: same estimates as fitting the arrays directly."""
    tr = simulate_transactions(0.5, 6.0, 0.7, 2.5, n=1500, start="2023-01-01", end="2024-06-30", seed=8)
    amount = "12,50" if delim != "," else "12.50"  # a decimal comma is only unquoted with ';' or tab
    lines = [delim.join(["Kunde", "Datum", "Betrag"])]
    lines += [
        delim.join([f"K-{c:05d}", d.astype(object).strftime("%d.%m.%Y"), amount])
        for c, d in zip(tr.customer, tr.date, strict=True)
    ]
    path = tmp_path / "export.csv"
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    out = run_bgnbd_analysis(path, "Kunde", "Datum", "%d.%m.%Y", "31.12.2023", "30.06.2024")
    s = summarize_transactions(tr.customer, tr.date, "2023-12-31")
    direct = BGNBDFitter().fit(s.x, s.t_x, s.T)
    assert out["customers"] == len(s)
    for k, v in direct.params_.items():
        assert out["params"][k] == pytest.approx(v, rel=1e-6)
    assert out["holdout"]["actual"] == int(
        holdout_purchases(tr.customer, tr.date, "2023-12-31", "2024-06-30", s.customers).sum()
    )


def test_missing_column_names_it_and_lists_the_available_ones(cdnow_csv):
    with pytest.raises(AnalystInputError, match=r"'kunde' not found .*available columns: master, customer, date"):
        run_bgnbd_analysis(cdnow_csv, "kunde", "date", "%Y%m%d", "1997-09-30")


def test_bad_date_names_row_and_value(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("cust;day\n1;2024-01-02\n1;2024-01-09\n2;2024-02-30\n")
    with pytest.raises(AnalystInputError, match=r"row 3 \(line 4\).*'2024-02-30'"):
        run_bgnbd_analysis(path, "cust", "day", "%Y-%m-%d", "2024-03-31")


def test_no_repeat_purchases_is_a_clear_error(tmp_path):
    path = tmp_path / "once.csv"
    path.write_text("cust,day\n1,2024-01-02\n2,2024-01-09\n3,2024-02-03\n1,2024-05-01\n")
    with pytest.raises(AnalystInputError, match="none of the 3 customers made a repeat purchase"):
        run_bgnbd_analysis(path, "cust", "day", "%Y-%m-%d", "2024-03-31")


def test_argument_errors(cdnow_csv, tmp_path):
    assert issubclass(AnalystInputError, ValueError)
    with pytest.raises(AnalystInputError, match="must be after"):
        run_bgnbd_analysis(cdnow_csv, "customer", "date", "%Y%m%d", "1997-09-30", "1997-01-01")
    with pytest.raises(AnalystInputError, match="calibration_end 'soon'"):
        run_bgnbd_analysis(cdnow_csv, "customer", "date", "%Y%m%d", "soon")
    with pytest.raises(AnalystInputError, match="cannot read"):
        run_bgnbd_analysis(tmp_path / "missing.csv", "customer", "date", "%Y%m%d", "1997-09-30")
    empty = tmp_path / "empty.csv"
    shutil.copy(cdnow_csv, empty)
    empty.write_text("customer,date\n")
    with pytest.raises(AnalystInputError, match="no data rows"):
        run_bgnbd_analysis(empty, "customer", "date", "%Y%m%d", "1997-09-30")
