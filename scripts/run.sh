#!/usr/bin/env bash
# `make run`: the background worker (imports and other long jobs) and the development server together.
# The worker lives as long as the server: when the server stops (Ctrl-C, kill, crash) the worker is stopped,
# and when the worker dies the server is stopped too, so an import never waits for a worker that is gone.
# Usage: scripts/run.sh [ADDR]   (ADDR defaults to $ISF_ADDR or 127.0.0.1:8000)
set -u
cd "$(dirname "$0")/.."
ADDR="${1:-${ISF_ADDR:-127.0.0.1:8000}}"
PY="${ISF_PYTHON:-.venv/bin/python}"
export ISF_DEBUG="${ISF_DEBUG:-1}"

stop() {  # stop one process and its children (the autoreloader's child), by process id
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  pkill -TERM -P "$pid" 2>/dev/null
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  pkill -KILL -P "$pid" 2>/dev/null
  kill -KILL "$pid" 2>/dev/null
}

"$PY" manage.py worker &
WORKER=$!
echo "Background worker started (pid $WORKER); it stops with the server."
"$PY" manage.py runserver "$ADDR" &
SERVER=$!

cleanup() {
  trap - EXIT INT TERM
  stop "$SERVER"
  stop "$WORKER"
  wait 2>/dev/null
}
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap cleanup EXIT

wait -n "$SERVER" "$WORKER"
status=$?
kill -0 "$WORKER" 2>/dev/null || echo "The background worker stopped (exit $status); stopping the server." >&2
exit "$status"
