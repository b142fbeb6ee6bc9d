#!/usr/bin/env bash
# Production smoke test (issue 25): ISF as docs/operations.md runs it, on a throw-away PostgreSQL cluster.
#   bash scripts/prod-smoke.sh            (uses .venv/bin/python; ISF_PYTHON=/path/to/python to choose another)
# ISF_DEBUG=0 with a key, migrate, collectstatic, gunicorn (2 processes) and `isf worker`; /health/, a hashed static
# file, a log-in, `isf nightly` on the empty database, an import through the worker, SIGKILL of the worker during
# an import and the import finished by a new worker, /health/ failing while the database is stopped and answering
# again after it is back (the worker reconnects). Every process is stopped and every file removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${ISF_PYTHON:-$ROOT/.venv/bin/python}
BIG_ROWS=${ISF_SMOKE_ROWS:-20000}
START=$(date +%s)
step() { printf '[%3ss] %s\n' "$(( $(date +%s) - START ))" "$*"; }
fail() { printf '[%3ss] FAILED: %s\n' "$(( $(date +%s) - START ))" "$*" >&2; exit 1; }

PGBIN=$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb | tail -n 1)")")
WORK=$(mktemp -d /tmp/isf-smoke.XXXXXX)
chmod 755 "$WORK"
PGDIR=$WORK/pg
mkdir -p "$PGDIR" "$WORK/data"
RUNAS=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$PGDIR"; RUNAS=(runuser -u postgres --); fi
WEB_PID="" WORKER_PID=""

stop_pid() {  # TERM, then KILL after 10 s; only the processes this script started
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pid "$WEB_PID"
  stop_pid "$WORKER_PID"
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
  if [ "$status" -ne 0 ]; then
    echo "--- last lines of the web server log:" >&2; tail -n 15 "$WORK/web.log" >&2 2>/dev/null || true
    echo "--- last lines of the worker logs:" >&2; tail -n 15 "$WORK"/worker*.log >&2 2>/dev/null || true
  fi
  rm -rf "$WORK"
  step "stopped web server, worker and PostgreSQL; removed $WORK (exit $status)"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg_start() {
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
    -o "-k $PGDIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
}
"${RUNAS[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
pg_start
"${RUNAS[@]}" "$PGBIN/createdb" -h "$PGDIR" -U postgres isf
step "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') cluster started in $PGDIR"

# The production environment, as the env file of docs/operations.md sets it (plain HTTP: ISF_HTTPS=0)
PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
export DATABASE_URL="postgres://postgres@/isf?host=$PGDIR"
export ISF_DEBUG=0 ISF_HTTPS=0 ISF_DATA_DIR="$WORK/data" ISF_ALLOWED_HOSTS="127.0.0.1,localhost"
export ISF_SECRET_KEY
ISF_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export ISF_WORKER_HEARTBEAT_SECONDS=1 DJANGO_SETTINGS_MODULE=config.settings
unset ISF_TASKS_IMMEDIATE ISF_DEMO 2>/dev/null || true
ISF=("$PY" -m config.cli)  # the `isf` console script, from this checkout

"${ISF[@]}" collectstatic --no-input -v 0 >"$WORK/collectstatic.log" 2>&1 &  # needs no database: beside migrate
STATIC_PID=$!
"${ISF[@]}" migrate --no-input -v 1 >"$WORK/migrate.log"
step "isf migrate: $(grep -c '  Applying .* OK' "$WORK/migrate.log") migrations applied"
wait "$STATIC_PID" || { cat "$WORK/collectstatic.log"; fail "isf collectstatic"; }
step "isf collectstatic: $("$PY" -c "import json,sys; print(len(json.load(open(sys.argv[1]))['paths']))" "$WORK/data/static/staticfiles.json") files with hashed names in the manifest"

ISF_LOG_FORMAT=json "$PY" -m gunicorn config.wsgi -w 2 -b "127.0.0.1:$PORT" --access-logfile - --graceful-timeout 5 >"$WORK/web.log" 2>&1 &
WEB_PID=$!
start_worker() {  # $1: log file name
  "${ISF[@]}" worker --interval 0.2 >"$WORK/$1" 2>&1 &
  WORKER_PID=$!
}
start_worker worker1.log
wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...: retry COMMAND every 0.2 s
  local seconds=$1 what=$2; shift 2
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$what (waited $seconds s)"
    sleep 0.2
  done
}
code() { curl -s -m 10 -o /dev/null -w '%{http_code}' "$@"; }
health_is() { [ "$(code "$BASE/health/")" = "$1" ]; }
wait_for 60 "gunicorn answers /health/" health_is 200
step "gunicorn (2 processes, pid $WEB_PID) and isf worker (pid $WORKER_PID) started on $BASE"

HEALTH=$(curl -s -D "$WORK/h" "$BASE/health/")
[ "$HEALTH" = '{"status": "ok", "checks": {"database": "ok"}}' ] || fail "/health/ said $HEALTH"
RID=$(awk 'tolower($1)=="x-request-id:" {print $2}' "$WORK/h" | tr -d '\r')
[ -n "$RID" ] || fail "/health/ sent no X-Request-ID"
step "GET /health/ -> 200 $HEALTH (X-Request-ID $RID)"

CSS=$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['paths']['css/isf.css'])" "$WORK/data/static/staticfiles.json")
[ "$CSS" != "css/isf.css" ] || fail "css/isf.css has no hashed name"
curl -s -D "$WORK/s" -o /dev/null -H 'Accept-Encoding: gzip' "$BASE/static/$CSS"
head -n 1 "$WORK/s" | grep -q " 200" || fail "/static/$CSS: $(head -n 1 "$WORK/s")"
CACHE=$(awk 'tolower($1)=="cache-control:" {$1=""; print}' "$WORK/s" | tr -d '\r')
grep -qi "max-age=315360000" <<<"$CACHE" || fail "/static/$CSS is not cached for ever ($CACHE)"
grep -qi "content-encoding: gzip" "$WORK/s" || fail "/static/$CSS was not sent compressed"
[ "$(code "$BASE/static/css/isf.css")" = 200 ] || fail "the unhashed name is not served"
curl -s "$BASE/login/" | grep -q "/static/$CSS" || fail "the log-in page does not link the hashed CSS"
step "GET /static/$CSS -> 200 gzip,$CACHE; the log-in page links it"

BAD=$(curl -s -D "$WORK/b" -o /dev/null -w '%{http_code}' -H 'Host: evil.example' "$BASE/login/")
BAD_RID=$(awk 'tolower($1)=="x-request-id:" {print $2}' "$WORK/b" | tr -d '\r')
sleep 0.5
grep -c "DisallowedHost" "$WORK/web.log" | grep -qx 1 || fail "a wrong Host header did not log exactly one line"
! grep -q "Traceback" "$WORK/web.log" || fail "the web server log holds a traceback"
LOGLINE=$(grep "DisallowedHost" "$WORK/web.log")
"$PY" -c "import json,sys; d=json.loads(sys.argv[1]); assert d['request_id']==sys.argv[2] and d['level']=='ERROR', d" \
  "$LOGLINE" "$BAD_RID" || fail "log line $LOGLINE"
step "Host: evil.example -> $BAD, one JSON log line (ISF_LOG_FORMAT=json): $LOGLINE"

export DJANGO_SUPERUSER_PASSWORD="smoke-$(date +%s)-operator"
"${ISF[@]}" createsuperuser --no-input --username operator --email operator@example.com >/dev/null
JAR=$WORK/cookies
curl -s -c "$JAR" -o /dev/null "$BASE/login/"
token() { awk '$6=="csrftoken" {print $7}' "$JAR"; }
LOGIN=$(curl -s -b "$JAR" -c "$JAR" -o /dev/null -w '%{http_code} %{redirect_url}' -H "Referer: $BASE/login/" \
  --data-urlencode "csrfmiddlewaretoken=$(token)" --data-urlencode username=operator \
  --data-urlencode "password=$DJANGO_SUPERUSER_PASSWORD" "$BASE/login/")
[ "$LOGIN" = "302 $BASE/home/" ] || fail "log-in answered $LOGIN"
OPS=$(curl -s -b "$JAR" -w '%{http_code}' -o "$WORK/ops.html" "$BASE/ops/")
[ "$OPS" = 200 ] && grep -q 'data-testid="ops-queued">0<' "$WORK/ops.html" || fail "/ops/ answered $OPS"
step "isf createsuperuser + POST /login/ (CSRF) -> $LOGIN; the administrator's /ops/ -> 200"

# the nightly job as the cron line of docs/operations.md runs it: cron's empty environment, the env file
env | grep -E '^(ISF_|DATABASE_URL=)' >"$WORK/isf.env"
NIGHTLY=$(env -i PATH=/usr/bin:/bin /bin/sh -c \
  "set -a; . '$WORK/isf.env'; cd '$ROOT' && exec '$PY' -m config.cli nightly --json" 2>"$WORK/nightly.log")
STEPS=$("$PY" -c "import json,sys; r=json.loads(sys.argv[1]); print(','.join(r['steps']))" "$NIGHTLY")
[ "$STEPS" = "segmentation,lifecycle,monitoring,planning,calls,service,campaigns,imports,housekeeping" ] || fail "nightly ran $STEPS"
step "isf nightly on the empty database, from an empty environment + the env file (the cron line): every step ran ($STEPS)"

accounts_csv() {  # accounts_csv FILE FIRST COUNT
  "$PY" - "$@" <<'EOF'
import sys
path, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "w", encoding="utf-8") as f:
    f.write("erp_number;name;street;postcode;city;state;region;industry;employee_band;customer_type;potential;phone\n")
    for n in range(first, first + count):
        f.write(f"{n};Kunde {n} GmbH;Hauptstraße {n % 200 + 1};{80331 + n % 500:05d};München;BY;;F;10-49;b2b;"
                f"{n % 90 + 10}.000,00;089 {1000000 + n}\n")
EOF
}
upload() {  # upload FILE -> prints the job id; uploads, then starts the import with the detected columns
  local location job
  location=$(curl -s -b "$JAR" -c "$JAR" -o /dev/null -w '%{redirect_url}' -H "Referer: $BASE/imports/" \
    -F "csrfmiddlewaretoken=$(token)" -F kind=accounts -F "file=@$1;type=text/csv" "$BASE/imports/")
  job=$(sed -E 's#.*/imports/jobs/([0-9]+)/$#\1#' <<<"$location")
  [[ "$job" =~ ^[0-9]+$ ]] || fail "upload of $1 answered $location"
  [ "$(curl -s -b "$JAR" -o /dev/null -w '%{http_code}' -H "Referer: $BASE/imports/jobs/$job/" \
    --data-urlencode "csrfmiddlewaretoken=$(token)" "$BASE/imports/jobs/$job/")" = 302 ] || fail "starting job $job"
  echo "$job"
}
job_field() { curl -s -m 10 -b "$JAR" "$BASE/imports/jobs/$1/status.json" | "$PY" -c "import json,sys; print(json.load(sys.stdin)['$2'])"; }
job_is() { curl -s -m 10 -b "$JAR" "$BASE/imports/jobs/$1/status.json" | grep -q "\"status\": \"$2\""; }
accounts() { "$PY" manage.py shell -v 0 -c "from isf.customers.models import Account; print(Account.objects.count())"; }

accounts_csv "$WORK/small.csv" 100001 200
JOB=$(upload "$WORK/small.csv")
wait_for 60 "import job $JOB done" job_is "$JOB" done
CREATED=$(job_field "$JOB" created) STORED=$(accounts)
[ "$CREATED $STORED" = "200 200" ] || fail "job $JOB created $CREATED accounts, $STORED stored"
step "import through the worker: 200 accounts uploaded on /imports/, job $JOB done, 200 accounts stored"

accounts_csv "$WORK/big.csv" 200001 "$BIG_ROWS"
JOB=$(upload "$WORK/big.csv")
wait_for 60 "import job $JOB running" job_is "$JOB" running
kill -KILL "$WORKER_PID"
wait "$WORKER_PID" 2>/dev/null || true
job_is "$JOB" running || fail "job $JOB finished before the worker was killed: raise ISF_SMOKE_ROWS"
step "SIGKILL of the worker (pid $WORKER_PID) while it imported $BIG_ROWS accounts (job $JOB running)"
STALE=$("${ISF[@]}" jobs --json | "$PY" -c "import json,sys; d=json.load(sys.stdin); print(d['stale'], [j['subject'] for j in d['jobs']])")
[ "$STALE" = "1 ['import job $JOB']" ] || fail "isf jobs says $STALE"
[ "$(accounts)" = 200 ] || fail "the killed import left $(accounts) accounts"
step "isf jobs: 1 stale job (import job $JOB); nothing of it stored (200 accounts)"
start_worker worker2.log
wait_for 120 "import job $JOB done by the new worker" job_is "$JOB" done
EXPECTED=$(( 200 + BIG_ROWS ))
[ "$(accounts)" = "$EXPECTED" ] || fail "$(accounts) accounts after the retry, expected $EXPECTED"
EVENT=$("${ISF[@]}" jobs --json | "$PY" -c "import json,sys; e=json.load(sys.stdin)['events'][0]; print(e['action'], e['subject'])")
[ "$EVENT" = "retried import job $JOB" ] || fail "recorded event: $EVENT"
step "a new worker (pid $WORKER_PID) queued job $JOB again and finished it: $EXPECTED accounts, each once; event: $EVENT"

"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null
DOWN=$(curl -s -w ' %{http_code}' "$BASE/health/")
[ "$DOWN" = '{"status": "fail", "checks": {"database": "fail: OperationalError"}, "failed": ["database"]} 503' ] \
  || fail "/health/ with the database stopped: $DOWN"
step "PostgreSQL stopped: GET /health/ -> $DOWN"
sleep 2
pg_start
wait_for 30 "/health/ answers 200 after the restart" health_is 200
kill -0 "$WORKER_PID" 2>/dev/null || fail "the worker exited while the database was down"
wait_for 30 "the worker beats again" grep -q "database answers again" "$WORK/worker2.log"
step "PostgreSQL started again: /health/ -> 200, the worker (pid $WORKER_PID) reconnected and beats again"
step "worker log: $(grep -m1 "heartbeat failed" "$WORK/worker2.log")"
step "worker log: $(grep -m1 "database answers again" "$WORK/worker2.log")"
step "all checks passed in $(( $(date +%s) - START )) s"
