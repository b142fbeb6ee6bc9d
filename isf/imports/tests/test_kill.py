"""Kill safety: `isf import orders` killed with SIGKILL while writing leaves nothing behind; a rerun completes.

Runs the real command in a subprocess against its own SQLite database (ISF_DATA_DIR=tmp_path), so the
transaction, WAL and index handling are exactly those of production.
"""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ROWS = 200_000

SEED = """
import django
django.setup()
from isf.customers.models import Account, Product, ProductGroup
g = ProductGroup.objects.create(code="G", name="G")
Account.objects.bulk_create([Account(erp_number=str(10000 + i), name=f"K{i}") for i in range(50)])
Product.objects.bulk_create([Product(sku=f"P{i}", name=f"P{i}", group=g) for i in range(50)])
"""


# The import as `isf import orders FILE`, except that it pauses once rows are going in: the kill then always lands
# inside the open write transaction, however fast the writing is (without the pause a fast import can commit
# before the signal arrives).
IMPORT_PAUSING_WHILE_WRITING = """
import importlib, sys, time
import django
django.setup()
command = importlib.import_module("isf.imports.management.commands.import")
progress = command._progress

def pausing(phase, done, total):
    progress(phase, done, total)
    if phase.startswith("writing") and done:
        sys.stderr.flush()
        time.sleep(60)

command._progress = pausing
from config.cli import main
main(["import", "orders", sys.argv[1]])
"""


def _env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ISF_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings")
    return env


def _count(tmp_path) -> tuple[int, int]:
    with sqlite3.connect(tmp_path / "isf.sqlite3") as db:
        return (db.execute("SELECT COUNT(*) FROM customers_order").fetchone()[0],
                db.execute("SELECT COUNT(*) FROM customers_orderline").fetchone()[0])


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite file test")
def test_sigkill_while_writing_leaves_nothing_and_rerun_completes(tmp_path):
    env = _env(tmp_path)
    py = sys.executable
    subprocess.run([py, "-m", "config.cli", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([py, "-c", SEED], cwd=ROOT, env=env, check=True)
    path = tmp_path / "orders.csv"
    with path.open("w", encoding="cp1252", newline="") as f:
        f.write("Auftragsnr;Position;Kundennr;Auftragsdatum;Artikelnr;Menge;Umsatz\r\n")
        for i in range(ROWS):
            f.write(f"A{i // 4};{i % 4 + 1};{10000 + (i // 4) % 50};15.01.2025;P{i % 50};{i % 9 + 1};{i % 997},50\r\n")
    proc = subprocess.Popen([py, "-c", IMPORT_PAUSING_WHILE_WRITING, str(path)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    killed = False
    for line in proc.stderr:
        if line.startswith("writing") and not line.startswith("writing: 0 "):  # rows are going in, not committed
            proc.send_signal(signal.SIGKILL)
            killed = True
            break
    proc.wait(timeout=600)
    assert killed and proc.returncode == -signal.SIGKILL
    assert _count(tmp_path) == (0, 0)
    rerun = subprocess.run([py, "-m", "config.cli", "import", "orders", str(path), "--json"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert _count(tmp_path) == (ROWS // 4, ROWS)
    with sqlite3.connect(tmp_path / "isf.sqlite3") as db:  # the indexes dropped for the load are back
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'customers_orderline'")}
    assert len([n for n in names if n and "orderline" in n.lower()]) >= 3
