"""`isf analytics bgnbd`: the CDNOW golden values through the command, the holdout, and bad input."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

REPO = Path(__file__).resolve().parents[3]
CDNOW = REPO / "isf_stats" / "purchase" / "tests" / "data" / "CDNOW_sample.txt"


@pytest.fixture
def cdnow_csv(tmp_path):
    path = tmp_path / "cdnow.csv"
    rows = [line.split() for line in CDNOW.read_text().splitlines() if line.strip()]
    path.write_text("master,customer,date,cds,dollars\n" + "\n".join(",".join(r) for r in rows) + "\n")
    return path


def _run(*args) -> dict:
    out = StringIO()
    call_command("analytics", "bgnbd", *map(str, args), "--json", stdout=out)
    return json.loads(out.getvalue())


def test_bgnbd_on_cdnow_reproduces_the_published_fit_and_checks_the_holdout(cdnow_csv):
    result = _run(cdnow_csv, "--customer", "customer", "--date", "date", "--calibration-end", "1997-09-30",
                  "--observation-end", "1998-06-30")

    p = result["params"]
    assert set(p) == {"r", "alpha", "a", "b"}
    assert p["r"] == pytest.approx(0.243, abs=1e-3)
    assert p["alpha"] == pytest.approx(4.414, abs=1e-3)
    assert p["a"] == pytest.approx(0.793, abs=1e-3)
    assert p["b"] == pytest.approx(2.426, abs=1e-3)
    assert result["loglik"] == pytest.approx(-9582.4, abs=0.05)
    assert set(result["standard_errors"]) == {"r", "alpha", "a", "b"}
    assert result["runtime_seconds"] > 0
    hold = result["holdout"]
    assert set(hold) == {"actual", "predicted", "mae", "auc_expected", "auc_risk"}
    assert hold["actual"] == 1882
    assert hold["predicted"] == pytest.approx(1653.4, abs=0.5)
    assert hold["auc_expected"] == pytest.approx(0.7725, abs=1e-3)
    assert hold["auc_risk"] == pytest.approx(0.7826, abs=1e-3)
    assert hold["auc_risk"] > hold["auc_expected"]


def test_bgnbd_without_observation_end_has_no_holdout_and_prints_a_table(cdnow_csv):
    out = StringIO()
    call_command("analytics", "bgnbd", str(cdnow_csv), "--customer", "customer", "--date", "date",
                 "--calibration-end", "19970930", stdout=out)
    text = out.getvalue()
    assert "r             0.2426" in text
    assert "log-likelihood -9582.43" in text
    assert "holdout" not in text


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("kunde,datum\n1,20240101\n1,20240201\n", ["--customer", "customer", "--date", "datum"],
         "column 'customer' not found in tx.csv; available columns: kunde, datum"),
        ("customer,date\n1,20240101\n1,2024-13-45\n", ["--customer", "customer", "--date", "date"],
         "row 2 (line 3): cannot parse 'date' value '2024-13-45' with date_format '%Y%m%d'"),
        ("customer,date\n1,20240101\n2,20240105\n3,20240107\n", ["--customer", "customer", "--date", "date"],
         "none of the 3 customers made a repeat purchase"),
    ],
    ids=["missing-column", "unparseable-date", "no-repeat-purchases"],
)
def test_bad_input_is_refused_with_a_message_naming_the_problem(tmp_path, content, args, message):
    path = tmp_path / "tx.csv"
    path.write_text(content)
    with pytest.raises(CommandError) as exc:
        call_command("analytics", "bgnbd", str(path), *args, "--calibration-end", "2024-06-30", stdout=StringIO())
    assert message in str(exc.value)
    assert str(exc.value).startswith("bad input: ")


def test_an_optimiser_that_does_not_converge_is_reported(tmp_path, monkeypatch):
    from isf.monitoring.management.commands import analytics
    from isf_stats.base import ConvergenceError

    def fail(*args, **kwargs):
        raise ConvergenceError("the optimiser stopped at the parameter bounds")

    monkeypatch.setattr(analytics, "run_bgnbd_analysis", fail)
    out = StringIO()
    with pytest.raises(CommandError, match="could not be fitted .*parameter bounds"):
        call_command("analytics", "bgnbd", str(tmp_path / "x.csv"), "--customer", "c", "--date", "d",
                     "--calibration-end", "2024-06-30", stdout=out)
    assert out.getvalue() == ""


def test_the_isf_command_line_exits_non_zero_with_the_message_on_stderr(tmp_path):
    path = tmp_path / "tx.csv"
    path.write_text("kunde;datum\n1;01.02.2024\n")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "ISF_DATA_DIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "config.cli", "analytics", "bgnbd", str(path), "--customer", "customer",
         "--date", "datum", "--calibration-end", "2024-06-30", "--json"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert "column 'customer' not found in tx.csv; available columns: kunde, datum" in proc.stderr
