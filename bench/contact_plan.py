"""Benchmark: lifecycle run, contact plan (`isf plan`) and coverage on 100,000 accounts.

Reuses a loaded demo (`--data-dir DIR` holding the demo's SQLite database, or the database of
DATABASE_URL under `bash scripts/pg.sh`) or builds one with `isf demo --accounts N`. In a fresh
process it times: `lifecycle_update_all()` (no change pending), the plan from scratch (all planned
tasks removed first), the idempotent second run (must create 0), and the coverage page's two
selectors. Writes bench/results/contact_plan.json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MEASURE = r"""
import json, time
from datetime import timedelta
import django
django.setup()
from django.db import connection
from django.utils import timezone
from isf.customers.models import Account
from isf.lifecycle.services import lifecycle_update_all
from isf.planning.coverage import overdue_accounts, planned_vs_done
from isf.planning.models import Task
from isf.planning.plan import plan_run

def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    result = fn()
    return {"wall_seconds": round(time.perf_counter() - w, 2), "cpu_seconds": round(time.process_time() - c, 2)}, result

today = timezone.localdate()
life, life_result = timed(lambda: lifecycle_update_all(today=today))
# The demo already planned the next 90 days; planning from day 90 on is a first run of the same size
# (a fresh horizon, nothing planned there yet), and its repetition the idempotent second run.
ahead = today + timedelta(days=90)
first, r1 = timed(lambda: plan_run(today=ahead))
second, r2 = timed(lambda: plan_run(today=ahead))
cov_rows, rows = timed(lambda: planned_vs_done(days=90, group="segment"))
cov_overdue, overdue = timed(lambda: overdue_accounts())
print(json.dumps({
    "vendor": connection.vendor, "accounts": Account.objects.count(), "tasks": Task.objects.count(),
    "lifecycle_update_all": {**life, "changed": life_result["changed"]},
    "plan_first_run": {**first, "created": r1["created"], "cancelled": r1["cancelled"]},
    "plan_second_run": {**second, "created": r2["created"], "cancelled": r2["cancelled"]},
    "coverage_planned_vs_done": {**cov_rows, "segments": len(rows)},
    "coverage_overdue_accounts": {**cov_overdue, "overdue": overdue[0]},
    "created_by_kind": r1["created_by_kind"],
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000, help="accounts in the generated demo (default 100000)")
    parser.add_argument("--data-dir", help="reuse the demo loaded in this ISF_DATA_DIR instead of building one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or tmp
        env = {**os.environ, "ISF_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "config.settings",
               "PYTHONPATH": str(ROOT)}
        demo_seconds = None
        if not args.data_dir:
            subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "config.cli", "demo", "--accounts", str(args.accounts)], cwd=ROOT,
                           env=env, check=True, stdout=subprocess.DEVNULL)
            demo_seconds = round(time.perf_counter() - started, 1)
        out = subprocess.run([sys.executable, "-c", MEASURE], cwd=ROOT, env=env, capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(out.stderr[-3000:])
        result = json.loads(out.stdout.strip().splitlines()[-1])
    result["demo_seconds"] = demo_seconds
    target = ROOT / "bench" / "results" / "contact_plan.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
