#!/usr/bin/env bash
# The whole suite: lint and migration check, then pytest on SQLite and on PostgreSQL in a
# throw-away cluster (initdb in a temp dir, socket only, trust auth; removed afterwards).
# With CI set, missing Chromium or PostgreSQL fails the run instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
which_db="${1:-all}"
export ISF_LOGIN_THROTTLE=0

echo "== ruff"
$BIN/ruff check .
echo "== migrations match the models"
$BIN/python manage.py makemigrations --check --dry-run >/dev/null
$BIN/python manage.py check

if [ "$which_db" = all ] || [ "$which_db" = sqlite ]; then
  echo "== pytest on SQLite"
  $BIN/pytest -q
fi

if [ "$which_db" = all ] || [ "$which_db" = postgres ]; then
  PGBIN=$(dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -n 1)")
  if [ ! -x "$PGBIN/initdb" ]; then
    if [ -n "${CI:-}" ]; then echo "PostgreSQL (initdb) is missing: run make setup as root" >&2; exit 1; fi
    echo "PostgreSQL not installed: skipping the PostgreSQL run (CI would fail here)"; exit 0
  fi
  echo "== pytest on PostgreSQL (throw-away cluster)"
  bash scripts/pg.sh $BIN/pytest -q
fi
