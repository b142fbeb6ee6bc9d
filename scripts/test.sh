#!/usr/bin/env bash
# The whole suite: lint and migration check, then pytest on SQLite and on PostgreSQL in a
# throw-away cluster (initdb in a temp dir, socket only, trust auth; removed afterwards).
# Both databases always run; the exit status is non-zero when either failed, so one run shows all
# that is red. ISF_TEST_TODAY=YYYY-MM-DD runs every test as if that were the date (see conftest.py).
# With CI set, missing Chromium or PostgreSQL fails the run instead of skipping.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
which_db="${1:-all}"
export ISF_LOGIN_THROTTLE=0
[ -n "${ISF_TEST_TODAY:-}" ] && echo "== the suite runs on ${ISF_TEST_TODAY} (ISF_TEST_TODAY)"

echo "== ruff"
$BIN/ruff check . || exit 1
echo "== import contracts (layers, docs/architecture.md)"
$BIN/python scripts/import_contracts.py --write && $BIN/lint-imports --no-cache >/dev/null || { $BIN/lint-imports --no-cache | sed -n '/Broken contracts/,$p'; exit 1; }
echo "== migrations match the models"
$BIN/python manage.py makemigrations --check --dry-run >/dev/null || exit 1
$BIN/python manage.py check || exit 1

sqlite_status="not run"
postgres_status="not run"
smoke_status="not run"
failed=0

if [ "$which_db" = all ] || [ "$which_db" = sqlite ]; then
  echo "== pytest on SQLite"
  if $BIN/pytest -q; then sqlite_status=passed; else sqlite_status=FAILED; failed=1; fi
fi

if [ "$which_db" = all ] || [ "$which_db" = postgres ]; then
  PGBIN=$(dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -n 1)")
  if [ ! -x "$PGBIN/initdb" ]; then
    if [ -n "${CI:-}" ]; then echo "PostgreSQL (initdb) is missing: run make setup as root" >&2; exit 1; fi
    echo "PostgreSQL not installed: skipping the PostgreSQL run (CI would fail here)"
    postgres_status="skipped (not installed)"
  else
    echo "== pytest on PostgreSQL (throw-away cluster)"
    if bash scripts/pg.sh $BIN/pytest -q; then postgres_status=passed; else postgres_status=FAILED; failed=1; fi
  fi
fi

# The production path end to end (gunicorn, worker, WhiteNoise, health, a killed worker's job recovered, a
# database restart): only with the whole suite, it needs PostgreSQL.
if [ "$which_db" = all ] && [ "$postgres_status" != "skipped (not installed)" ]; then
  echo "== production smoke test (scripts/prod-smoke.sh)"
  if bash scripts/prod-smoke.sh; then smoke_status=passed; else smoke_status=FAILED; failed=1; fi
fi

echo "== summary${ISF_TEST_TODAY:+ on $ISF_TEST_TODAY}: SQLite $sqlite_status, PostgreSQL $postgres_status, production smoke $smoke_status"
exit $failed
