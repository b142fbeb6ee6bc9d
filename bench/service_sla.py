"""SLA clock throughput: due times through the service code path (team calendars, holidays, pauses).

    .venv/bin/python bench/service_sla.py

Writes bench/results/service_sla.json: due-time computations per second for 8- and 40-business-hour
service levels with and without pauses, across all 16 federal states (holidays cached per state and year).
"""

import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from isf.service import clock  # noqa: E402

STATES = ["BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"]


def run(n: int = 20000) -> dict:
    rng = random.Random(7)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    starts = [base + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60)) for _ in range(n)]
    calendars = [clock.calendar_from_spec(state=s) for s in STATES]
    results = {}
    for label, hours, paused in (("8h", 8, False), ("40h", 40, False), ("8h_paused", 8, True)):
        started = time.perf_counter()
        for i, start in enumerate(starts):
            pauses = [(start + timedelta(hours=2), start + timedelta(hours=20))] if paused else ()
            clock.compute_due(calendars[i % len(calendars)], start, hours * 3600, pauses)
        seconds = time.perf_counter() - started
        results[label] = {"n": n, "seconds": round(seconds, 3), "per_second": round(n / seconds)}
    return results


if __name__ == "__main__":
    out = run()
    Path(__file__).parent.joinpath("results").mkdir(exist_ok=True)
    Path(__file__).parent.joinpath("results", "service_sla.json").write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))
