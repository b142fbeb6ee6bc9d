"""Print the date CI runs the SQLite suite on a second time (ISF_TEST_TODAY), derived from a commit.

The date is more than a year away and moves with every commit, turning through four kinds of day
that break date code: a leap day, a year end, the spring daylight-saving change in Germany and an
ordinary weekday. Reproduce a red run with `ISF_TEST_TODAY=<the printed date> make test-sqlite`.

    python scripts/shifted_date.py [COMMIT]     # default: git rev-parse HEAD
"""

import calendar
import datetime as dt
import subprocess
import sys


def shifted_date(commit: str, today: dt.date) -> dt.date:
    n = int(commit[:12], 16)
    year = today.year + 2 + (n // 4) % 3
    kind = n % 4
    if kind == 0:  # leap day
        while not calendar.isleap(year):
            year += 1
        return dt.date(year, 2, 29)
    if kind == 1:  # year end
        return dt.date(year, 12, 31)
    if kind == 2:  # last Sunday of March: clocks go forward in Europe/Berlin
        last = dt.date(year, 3, 31)
        return last - dt.timedelta(days=(last.weekday() - 6) % 7)
    ordinary = dt.date(year, 1, 1) + dt.timedelta(days=(n // 12) % 360)
    return ordinary + dt.timedelta(days=(2 - ordinary.weekday()) % 7)  # the Wednesday after


def main(argv: list[str]) -> int:
    commit = argv[1] if len(argv) > 1 else subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    print(shifted_date(commit, dt.datetime.now(dt.UTC).date()).isoformat())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
