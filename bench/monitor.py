"""Benchmark: `isf monitor` end to end at 100,000 accounts / ~2.8 million order lines, against pandas + lifetimes.

Builds the demo company (`isf demo --accounts 100000`) into a temporary SQLite database (or reuses one with
--data-dir), removes what monitoring wrote during the demo (flags, scores, alert tasks, phase changes by
monitoring) and its order-line cache, so the first timed run is a cold first run that reads everything, then
  * runs `isf monitor --json` in a child process (first run, as of --date): read order lines, fit, score, write
    scores, flags, tasks, phases; wall time and the child's peak memory (ru_maxrss);
  * adds one more day of orders (the orders of the same weekday a week before, copied to the next day, as the
    nightly import would bring them) and runs `isf monitor` again as of the next day (the nightly rerun);
  * runs the pipeline an analyst would write instead with pandas and `lifetimes` on the same database, once for
    each of the two days: read (pandas.read_sql), summary_data_from_transaction_data, BetaGeoFitter.fit, P(alive)
    and expected purchases for 90 days, and the scores written back into a table (DataFrame.to_sql);
and writes bench/results/monitor.json with the times and both ratios (lifetimes / ISF, above 1 = ISF faster).
Targets: ISF <= 60 s and <= 1.5 GB peak memory; ISF faster than lifetimes, first run and rerun.
Needs the [bench] extra (pandas, lifetimes).

    .venv/bin/python bench/monitor.py [--accounts 100000] [--data-dir DIR] [--date YYYY-MM-DD]
"""

import argparse
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60.0
TARGET_MB = 1536.0
RESET = """
import shutil
import django; django.setup()
from django.conf import settings
shutil.rmtree(settings.DATA_DIR / "cache", ignore_errors=True)  # the first run reads every line
from django.db import transaction
from isf.monitoring.models import AccountScore, Flag, MonitorRun
from isf.planning.models import Task
from isf.customers.models import Account
with transaction.atomic():
    try:
        from isf.lifecycle.models import PhaseChange
        for pk, old in PhaseChange.objects.filter(source="monitoring").values_list("account_id", "from_phase"):
            Account.objects.filter(pk=pk).update(phase=old)
        PhaseChange.objects.filter(source="monitoring").delete()
    except ImportError:
        pass
    Flag.objects.all().delete(); AccountScore.objects.all().delete(); MonitorRun.objects.all().delete()
    Task.objects.filter(source="monitoring").delete()
"""


def build(env: dict, accounts: int) -> float:
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "config.cli", "demo", "--accounts", str(accounts), "--quiet"],
                   cwd=ROOT, env=env, check=True)
    return time.perf_counter() - started


def run_isf(env: dict, day: str | None) -> dict:
    cmd = [sys.executable, "-m", "config.cli", "monitor", "--json", "--quiet"] + (["--date", day] if day else [])
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"isf monitor failed with status {status}")
    return {"seconds": round(seconds, 2), "peak_mb": round(usage.ru_maxrss / 1024, 1), "result": json.loads(out)}


MODEL_ONLY = """
import json, sys, time
import django; django.setup()
import numpy as np
from isf.monitoring.reading import read_order_lines
from isf.monitoring.scoring import day_number
from isf_stats.purchase.bgnbd import BGNBDFitter
from isf_stats.purchase.summary import summarize_transactions
from datetime import date
day = date.fromisoformat(sys.argv[1])
t0 = time.perf_counter(); data = read_order_lines(); t1 = time.perf_counter()
keep = data.day <= day_number(day)
s = summarize_transactions(data.account[keep], data.day[keep].astype("datetime64[D]"), np.datetime64(day, "D"), 7.0)
t2 = time.perf_counter(); m = BGNBDFitter().fit(s.x, s.t_x, s.T); t3 = time.perf_counter()
p = m.conditional_probability_alive(s.x, s.t_x, s.T)
e = m.conditional_expected_number_of_purchases_up_to_time(90 / 7.0, s.x, s.t_x, s.T); t4 = time.perf_counter()
print(json.dumps({"seconds": round(t4 - t0, 2), "timings": {"read": round(t1 - t0, 2), "summary": round(t2 - t1, 2),
      "fit": round(t3 - t2, 2), "predict": round(t4 - t3, 2)}, "params": {k: round(v, 4) for k, v in m.params_.items()}}))
"""


def run_isf_model_only(env: dict, day: str) -> dict:
    """ISF's part of exactly the lifetimes pipeline: read, summary, BG/NBD fit, P(alive) and E[X(90 days)]."""
    env = {**env, "ISF_MONITOR_CACHE": "0"}  # the same steps: every line read from the database, as lifetimes does
    out = subprocess.run([sys.executable, "-c", MODEL_ONLY, day], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def add_day(db: Path, day: str) -> dict:
    """One more day of orders: the orders of the same weekday a week before ``day``, copied to ``day``."""
    source = (dt.date.fromisoformat(day) - dt.timedelta(days=7)).isoformat()
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO customers_order (number, date, account_id) SELECT 'N' || number, ?, account_id "
                     "FROM customers_order WHERE date = ?", (day, source))
        conn.execute("INSERT INTO customers_orderline (line_no, order_date, quantity, net_revenue, margin, account_id, "
                     "order_id, product_id) SELECT l.line_no, ?, l.quantity, l.net_revenue, l.margin, l.account_id, "
                     "n.id, l.product_id FROM customers_orderline l JOIN customers_order o ON o.id = l.order_id "
                     "JOIN customers_order n ON n.number = 'N' || o.number WHERE o.date = ?", (day, source))
        orders, lines = conn.execute("SELECT COUNT(DISTINCT order_id), COUNT(*) FROM customers_orderline "
                                     "WHERE order_date = ?", (day,)).fetchone()
    return {"day": day, "copied_from": source, "orders": orders, "order_lines": lines}


def run_lifetimes(db: Path, day: str) -> dict:
    import numpy as np
    import pandas as pd
    from lifetimes import BetaGeoFitter
    from lifetimes.utils import summary_data_from_transaction_data

    timings = {}
    t0 = time.perf_counter()
    with sqlite3.connect(db) as conn:
        df = pd.read_sql("SELECT account_id, order_date, net_revenue FROM customers_orderline", conn,
                         parse_dates=["order_date"])
    timings["read"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    df = df[df["order_date"] <= pd.Timestamp(day)]
    summary = summary_data_from_transaction_data(df, "account_id", "order_date", observation_period_end=day, freq="D")
    summary["recency"] /= 7.0  # weeks at day resolution, as ISF
    summary["T"] /= 7.0
    timings["summary"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    bgf = BetaGeoFitter(penalizer_coef=0.0).fit(summary["frequency"], summary["recency"], summary["T"])
    timings["fit"] = time.perf_counter() - t2
    t3 = time.perf_counter()
    p_alive = bgf.conditional_probability_alive(summary["frequency"], summary["recency"], summary["T"])
    expected = bgf.conditional_expected_number_of_purchases_up_to_time(
        90 / 7.0, summary["frequency"], summary["recency"], summary["T"]
    )
    timings["predict"] = time.perf_counter() - t3
    t4 = time.perf_counter()
    scores = pd.DataFrame({"account_id": summary.index, "as_of": day, "p_alive": np.asarray(p_alive),
                           "expected_orders_90d": np.asarray(expected)})
    with sqlite3.connect(db) as conn:  # the scores back into the database, where the team's tools read them
        scores.to_sql("analyst_scores", conn, if_exists="replace", index=False)
    timings["write"] = time.perf_counter() - t4
    total = time.perf_counter() - t0
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE IF EXISTS analyst_scores")
    return {
        "seconds": round(total, 2),
        "timings": {k: round(v, 2) for k, v in timings.items()},
        "customers": int(len(summary)),
        "params": {k: round(float(v), 4) for k, v in bgf.params_.items()},
        "nan_predictions": int(np.isnan(np.asarray(p_alive)).sum() + np.isnan(np.asarray(expected)).sum()),
        "note": "read + summary + fit + predictions + scores written back; no risk score, flags or tasks",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--data-dir", help="reuse a demo database in this ISF_DATA_DIR instead of building one")
    parser.add_argument("--date", default=None, help="business date (default: today)")
    args = parser.parse_args()
    tmp = None
    if args.data_dir:
        data_dir = Path(args.data_dir)
        build_seconds = None
    else:
        tmp = tempfile.TemporaryDirectory(prefix="isf-bench-monitor-")
        data_dir = Path(tmp.name)
    env = {**os.environ, "ISF_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    if not args.data_dir:
        print(f"building the demo with {args.accounts:,} accounts in {data_dir} …", file=sys.stderr)
        build_seconds = round(build(env, args.accounts), 1)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "-c", RESET], cwd=ROOT, env=env, check=True)
    day = args.date or time.strftime("%Y-%m-%d")
    next_day = (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()
    db = data_dir / "isf.sqlite3"
    print("isf monitor (cold first run) …", file=sys.stderr)
    isf = run_isf(env, day)
    print(f"  {isf['seconds']} s, peak {isf['peak_mb']} MB", file=sys.stderr)
    print("pandas + lifetimes …", file=sys.stderr)
    lt = run_lifetimes(db, day)
    print(f"  {lt['seconds']} s", file=sys.stderr)
    added = add_day(db, next_day)
    print(f"one more day of orders: {added['orders']:,} orders, {added['order_lines']:,} lines on {next_day}",
          file=sys.stderr)
    print("isf monitor again, the next day …", file=sys.stderr)
    rerun = run_isf(env, next_day)
    print(f"  {rerun['seconds']} s, peak {rerun['peak_mb']} MB", file=sys.stderr)
    print("pandas + lifetimes, the next day …", file=sys.stderr)
    lt_next = run_lifetimes(db, next_day)
    print(f"  {lt_next['seconds']} s", file=sys.stderr)
    print("ISF, the same steps as lifetimes (read, summary, fit, predictions) …", file=sys.stderr)
    same = run_isf_model_only(env, next_day)
    print(f"  {same['seconds']} s", file=sys.stderr)
    r, rr = isf["result"], rerun["result"]
    report = {
        "accounts": args.accounts,
        "order_lines": r["order_lines"],
        "accounts_scored": r["accounts"],
        "build_seconds": build_seconds,
        "isf": {"seconds": isf["seconds"], "peak_mb": isf["peak_mb"], "stages": r["seconds"], "read": r.get("read"),
                "flags_raised": r["flags_raised"], "tasks_created": r["tasks_created"],
                "owner_notices": r["owner_notices"], "phase_changes": r["phase_changes"], "params": r["params"],
                "method": r["method"]},
        "one_more_day": added,
        "isf_rerun_next_day": {"seconds": rerun["seconds"], "peak_mb": rerun["peak_mb"], "stages": rr["seconds"],
                               "read": rr.get("read"), "order_lines": rr["order_lines"],
                               "flags_raised": rr["flags_raised"], "flags_resolved": rr["flags_resolved"],
                               "tasks_created": rr["tasks_created"], "params": rr["params"]},
        "lifetimes": lt,
        "lifetimes_next_day": lt_next,
        "isf_same_steps_as_lifetimes": same,
        "ratio_lifetimes_to_isf_same_steps": round(lt_next["seconds"] / same["seconds"], 2),
        "ratio_lifetimes_to_isf_first_run": round(lt["seconds"] / isf["seconds"], 2),
        "ratio_lifetimes_to_isf_rerun": round(lt_next["seconds"] / rerun["seconds"], 2),
        "targets": {"seconds": TARGET_SECONDS, "peak_mb": TARGET_MB},
        "ok": (isf["seconds"] <= TARGET_SECONDS and isf["peak_mb"] <= TARGET_MB
               and lt["seconds"] > isf["seconds"] and lt_next["seconds"] > rerun["seconds"]),
        "cpu_load_1min": round(os.getloadavg()[0], 1),
    }
    out = ROOT / "bench" / "results" / "monitor.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
