#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster: bash scripts/pg.sh .venv/bin/pytest -q isf/service
set -euo pipefail
PGBIN=$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb | tail -n 1)")")
PGDIR=$(mktemp -d /tmp/isf-pg.XXXXXX)
RUNAS=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$PGDIR"; RUNAS=(runuser -u postgres --); fi
cleanup() { "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$PGDIR"; }
trap cleanup EXIT
"${RUNAS[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-k $PGDIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" start >/dev/null
# An empty "isf" database for commands that use DATABASE_URL directly (benchmarks, isf demo); tests make their own.
"${RUNAS[@]}" "$PGBIN/createdb" -h "$PGDIR" -U postgres isf
DATABASE_URL="postgres://postgres@/isf?host=$PGDIR" ISF_TEST_POSTGRES_HOST="$PGDIR" "$@"
