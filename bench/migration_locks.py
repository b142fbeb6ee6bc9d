"""Benchmark: how long readers of the order lines wait while customers.0005 rebuilds their indexes (PostgreSQL).

Builds a database at customers.0004 with --lines order lines (default 1,000,000; 5,000 accounts), then, while a
reader thread runs the customer screen's order-line query (one account's revenue of the last two years, by its
covering index) in a loop, changes the indexes twice:

* ``one_transaction``: what 0005 did before issue 25 - DROP INDEX x2, CREATE INDEX x2 in one transaction (the
  SQL of ``sqlmigrate``); the DROP takes an ACCESS EXCLUSIVE lock that readers wait behind until the commit;
* ``concurrent``: the migration as it is now (``manage.py migrate customers 0005``: CREATE INDEX CONCURRENTLY,
  then DROP INDEX CONCURRENTLY, outside a transaction).

Reports the duration of each change and the readers' p95 and max latency during it.
    bash scripts/pg.sh .venv/bin/python bench/migration_locks.py [--lines 1000000]
Writes bench/results/migration_locks.json.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
OLD_0005 = """
BEGIN;
DROP INDEX IF EXISTS "customers_o_order_d_a48a92_idx";
DROP INDEX IF EXISTS "customers_o_account_9c7572_idx";
CREATE INDEX "orderline_date_cover" ON "customers_orderline" ("order_date", "account_id", "net_revenue", "margin");
CREATE INDEX "orderline_account_cover" ON "customers_orderline" ("account_id", "order_date", "product_id", "net_revenue");
COMMIT;
"""
BACK_TO_0004 = """
DROP INDEX IF EXISTS "orderline_date_cover";
DROP INDEX IF EXISTS "orderline_account_cover";
CREATE INDEX IF NOT EXISTS "customers_o_order_d_a48a92_idx" ON "customers_orderline" ("order_date", "account_id");
CREATE INDEX IF NOT EXISTS "customers_o_account_9c7572_idx" ON "customers_orderline" ("account_id", "order_date");
"""
class Reader(threading.Thread):
    def __init__(self, url: str, accounts: list[int]) -> None:
        super().__init__(daemon=True)
        self.url, self.accounts = url, accounts
        self.phase = None
        self.latencies: dict[str, list[float]] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as db:
            i = 0
            while not self.stop.is_set():
                i += 1
                started = time.perf_counter()
                db.execute("SELECT sum(net_revenue) FROM customers_orderline WHERE account_id = %s "
                           "AND order_date > current_date - 730", [self.accounts[i % len(self.accounts)]]).fetchone()
                if self.phase:
                    self.latencies.setdefault(self.phase, []).append((time.perf_counter() - started) * 1000)
                time.sleep(0.01)


def insert(db, table: str, given: dict[str, str], count: int) -> None:
    """``count`` rows of generated values (``g`` = 1..count); every other NOT NULL column without a database
    default gets a neutral value of its type (Django keeps its defaults in Python)."""
    required = db.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
                          "AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'", [table]).fetchall()
    values = dict(given)
    for name, kind in required:
        values.setdefault(name, {"boolean": "false", "integer": "0", "bigint": "0", "smallint": "0", "numeric": "0",
                                 "date": "current_date", "jsonb": "'{}'"}.get(
            kind, "now()" if "timestamp" in kind else "''"))
    db.execute(f"INSERT INTO {table} ({', '.join(values)}) SELECT {', '.join(values.values())} "
               f"FROM generate_series(1, {count}) g")


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {"requests": len(ordered), "p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1), "max_ms": round(ordered[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "migrate", "customers", "0004", "-v0"], cwd=ROOT, env=env, check=True)
    with psycopg.connect(url, autocommit=True) as db:
        insert(db, "customers_productgroup", {"code": "'G'", "name": "'G'"}, 1)
        insert(db, "customers_account", {"erp_number": "(10000 + g)::text", "name": "'Kunde ' || g"}, 5000)
        insert(db, "customers_product", {"sku": "'ART-' || g", "name": "'Artikel ' || g",
                                         "group_id": "(SELECT id FROM customers_productgroup)"}, 2000)
        accounts = [r[0] for r in db.execute("SELECT id FROM customers_account").fetchall()]
        lo, hi = min(accounts), max(accounts)
        orders = args.lines // 5
        db.execute(f"INSERT INTO customers_order (id, number, account_id, date) SELECT g, 'A' || g, "
                   f"{lo} + (g * 7919) % ({hi - lo + 1}), current_date - (g * 31) % 1000 "
                   f"FROM generate_series(1, {orders}) g")
        product = db.execute("SELECT min(id) FROM customers_product").fetchone()[0]
        db.execute(f"INSERT INTO customers_orderline (order_id, line_no, account_id, order_date, product_id, quantity, "
                   f"net_revenue, margin) SELECT o.id, l, o.account_id, o.date, {product} + (o.id * l) % 2000, l, "
                   f"(o.id % 1000) + l, 1 FROM customers_order o CROSS JOIN generate_series(1, 5) l")
        db.execute("VACUUM ANALYZE customers_orderline")
        lines = db.execute("SELECT count(*) FROM customers_orderline").fetchone()[0]
    reader = Reader(url, accounts)
    reader.start()
    time.sleep(3)
    results = {}
    for phase in ("idle", "one_transaction", "concurrent"):
        reader.phase = phase
        started = time.perf_counter()
        if phase == "idle":
            time.sleep(5)
        elif phase == "one_transaction":
            with psycopg.connect(url, autocommit=True) as db:
                db.execute(OLD_0005)
        else:
            subprocess.run([*manage, "migrate", "customers", "0005", "-v0"], cwd=ROOT, env=env, check=True)
        results[phase] = {"seconds": round(time.perf_counter() - started, 2)}
        reader.phase = None
        results[phase]["readers"] = summary(reader.latencies[phase])
        print(phase, results[phase], file=sys.stderr)
        if phase == "one_transaction":
            with psycopg.connect(url, autocommit=True) as db:
                db.execute(BACK_TO_0004)
    reader.stop.set()
    reader.join()
    out = {"order_lines": lines, **results, "cpus": os.cpu_count(),
           "load_average": [round(x, 2) for x in os.getloadavg()]}
    path = ROOT / "bench" / "results" / "migration_locks.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
