"""Benchmark: `isf demo --accounts 100000` into a fresh SQLite database (target: under 3 minutes).

Writes bench/results/demo_load.json with wall time, peak memory and row counts.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    accounts = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ISF_DATA_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-m", "config.cli", "demo", "--accounts", str(accounts), "--quiet"],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        ).stdout
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = {"benchmark": "demo_load", "accounts": accounts, "seconds": round(seconds, 1),
              "peak_memory_mb": round(peak_mb), "target_seconds": 180, "output": out.strip().splitlines()[0]}
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "demo_load.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    if seconds > 180:
        sys.exit(f"demo load took {seconds:.0f} s, target 180 s")


if __name__ == "__main__":
    main()
