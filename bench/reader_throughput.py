"""Throughput of the import reader: stream a German ERP-style CSV and parse its decimal and date columns.

Why this exists: the importer must handle order exports with millions of rows inside a request-independent
task, and the target is >= 300,000 rows/s for reading + parsing the typed columns.  The generated file mimics a
real export - cp1252 (Windows "ANSI"), ";" delimiter, decimal comma with thousands separators, DD.MM.YYYY dates
spread over three years, umlauts, and an occasional quoted field - so the number reflects the common path
rather than a best case.

Usage:  .venv/bin/python bench/reader_throughput.py [rows] [--repeat N]
"""

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from isf.imports.reader import open_table  # noqa: E402 - needs the sys.path tweak when run as a script
from isf.imports.values import parse_date, parse_decimal  # noqa: E402

NAMES = ["Müller GmbH", "Bäckerei Schäfer", "Weiß & Söhne KG", "Hoffmann AG", "Straßenbau Nord", "Koch OHG"]


def generate(path: Path, rows: int, seed: int = 42) -> None:
    rnd = random.Random(seed)
    start = date(2023, 1, 1)
    with path.open("w", encoding="cp1252", newline="") as f:
        f.write("Auftragsnr;Kunde;Betrag;Auftragsdatum;Menge;Bemerkung\r\n")
        for i in range(rows):
            cents = rnd.randrange(-50_000, 5_000_000)
            euros, rest = divmod(abs(cents), 100)
            amount = f"{'-' if cents < 0 else ''}{euros:,}".replace(",", ".") + f",{rest:02d}"
            day = (start + timedelta(days=rnd.randrange(3 * 365))).strftime("%d.%m.%Y")
            note = '"Lieferung; bitte ""eilig"""' if i % 50 == 0 else ""
            f.write(f"A{100000 + i};{NAMES[i % len(NAMES)]};{amount};{day};{rnd.randrange(1, 500)};{note}\r\n")


def run(path: Path) -> tuple[int, float, float]:
    started, cpu_started = time.perf_counter(), time.process_time()
    n = 0
    with open_table(path) as table:
        sep = table.dialect.decimal_separator
        fmt = table.dialect.date_format
        assert (sep, fmt) == (",", "%d.%m.%Y"), table.dialect
        for _, row in table:
            parse_decimal(row["Betrag"], sep)
            parse_date(row["Auftragsdatum"], fmt)
            n += 1
    return n, time.perf_counter() - started, time.process_time() - cpu_started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best one is reported")
    args = parser.parse_args()
    path = Path("/tmp") / f"isf_reader_bench_{args.rows}.csv"
    if not path.exists():
        t0 = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f}s")
    best_wall = best_cpu = float("inf")
    n = 0
    for i in range(args.repeat):
        n, wall, cpu = run(path)
        print(f"run {i + 1}: {n:,} rows in {wall:.2f}s = {n / wall:,.0f} rows/s (CPU time {cpu:.2f}s)")
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
    # Wall time is what users feel; CPU time shows what the code costs when other processes share the machine.
    print(f"best: {n / best_wall:,.0f} rows/s wall clock, {n / best_cpu:,.0f} rows/s of CPU time")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
