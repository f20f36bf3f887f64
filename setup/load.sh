#!/usr/bin/env bash
# Load test: simulated staff over HTTP/JSON-RPC against Odoo in production mode, with
# vanilla CRM measured in the same run as the baseline. Not part of the test suite.
#
#   1. builds (once, then reused) two template databases with crm demo data: one with
#      the addons and their demo data, one with vanilla crm only;
#   2. copies each into a throwaway run database, creates the simulated staff (known
#      passwords), switches off the lead enrichment (IAP) scheduled action and, in the
#      addons' database, makes every scheduled action of the addons run each minute;
#   3. serves each database with Odoo in production mode (--workers 4
#      --max-cron-threads 2, loopback only) and drives it with Locust (headless, bounded
#      users / time / requests): vanilla first, then the addons, same users and time;
#   4. prints per action: count, unexpected failures, expected refusals (a gate's
#      UserError / ValidationError), p50 / p95 and the ratio to vanilla, then the SQL
#      consistency checks of the addons' database (PASS / FAIL with counts).
# Exits non-zero when a target is missed: an unexpected error, an inconsistency, or the
# p95 of a stage move above 1.5x vanilla's.
#
# Usage: setup/load.sh [--quick] [--keep] [--rebuild]
#   --quick     5 users for 40 s after a 10 s warm-up (development)
#   --keep      keep the run databases (named in the log)
#   --rebuild   rebuild the template databases
# Environment: LOAD_USERS (20), LOAD_DURATION seconds measured (300), LOAD_WARMUP seconds
#   before them, not measured (30: logins, first requests of each worker),
#   LOAD_MAX_REQUESTS (50000),
#   LOAD_WORKERS (4), LOAD_CRON_THREADS (2), LOAD_SPAWN_RATE users/s (2),
#   LOAD_ONLY=addons|vanilla (one side only, no ratio).
# Results: bench-results/load/ (Locust CSVs, JSON per side, server logs, report).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

USERS="${LOAD_USERS:-20}"
DURATION="${LOAD_DURATION:-300}"
WARMUP="${LOAD_WARMUP:-30}"
KEEP=0
REBUILD=0
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) USERS="${LOAD_USERS:-5}"; DURATION="${LOAD_DURATION:-40}"; WARMUP="${LOAD_WARMUP:-10}"; shift ;;
        --keep) KEEP=1; shift ;;
        --rebuild) REBUILD=1; shift ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
MAX_REQUESTS="${LOAD_MAX_REQUESTS:-50000}"
WORKERS="${LOAD_WORKERS:-4}"
CRON_THREADS="${LOAD_CRON_THREADS:-2}"
SPAWN_RATE="${LOAD_SPAWN_RATE:-2}"
for value in "$USERS" "$DURATION" "$WARMUP" "$MAX_REQUESTS" "$WORKERS" "$CRON_THREADS"; do
    [[ "$value" =~ ^[0-9]+$ ]] || die "users, duration, requests, workers and cron threads are numbers, not $value"
done
SIDES=(vanilla addons)
case "${LOAD_ONLY:-}" in
    "") ;;
    addons|vanilla) SIDES=("$LOAD_ONLY") ;;
    *) die "LOAD_ONLY is addons or vanilla, not $LOAD_ONLY" ;;
esac

check_odoo
install_python_deps
pg_hold

RESULTS="$REPO_ROOT/bench-results/load"
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.json "$RESULTS"/*.csv "$RESULTS"/*.log "$RESULTS"/*.txt
export ODOO_DATA_DIR="${ODOO_DATA_DIR:-${TMPDIR:-/tmp}/crm_std_load_data}"
mkdir -p "$ODOO_DATA_DIR"
export PYTHONPATH="$REPO_ROOT${PYTHONPATH:+:$PYTHONPATH}"

# --- Locust, in its own environment (it pins web libraries Odoo pins otherwise) ------
LOCUST_VENV="${CRM_STD_LOCUST_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/crm_std/locust-venv}"
if ! "$LOCUST_VENV/bin/python" -c "import locust" 2>/dev/null; then
    log "installing Locust into $LOCUST_VENV"
    python3 -m venv "$LOCUST_VENV" || die "could not create $LOCUST_VENV (Debian: apt-get install python3-venv)"
    PIP_ROOT_USER_ACTION=ignore "$LOCUST_VENV/bin/python" -m pip install -q --disable-pip-version-check \
        "locust>=2.30,<3" || die "pip could not install Locust"
fi

# --- Template databases (reused) ---------------------------------------------------
TEMPLATE_ADDONS="crm_process_std,crm_health_score,crm_process_std_sale"
declare -A TEMPLATE=([vanilla]=crm_std_load_vanilla_tpl [addons]=crm_std_load_addons_tpl)
declare -A MODULES=([vanilla]=crm [addons]="crm,$TEMPLATE_ADDONS")
for side in "${SIDES[@]}"; do
    tpl="${TEMPLATE[$side]}"
    if [ "$REBUILD" = "1" ] && db_exists "$tpl"; then
        "$(pg_bin)/dropdb" --force "$tpl"
        rm -rf "${ODOO_DATA_DIR:?}/filestore/$tpl"
    fi
    if ! db_exists "$tpl"; then
        log "building template database $tpl (${MODULES[$side]} + demo data, a few minutes)"
        odoo_cmd -d "$tpl" -i "${MODULES[$side]}" --with-demo --stop-after-init --log-level=warn \
            --data-dir="$ODOO_DATA_DIR" >"$RESULTS/build-$side.log" 2>&1 \
            || { tail -30 "$RESULTS/build-$side.log" >&2; "$(pg_bin)/dropdb" --if-exists "$tpl"; die "building $tpl failed"; }
        if grep -q "demo data failed to install" "$RESULTS/build-$side.log"; then
            "$(pg_bin)/dropdb" --if-exists "$tpl"
            die "demo data failed to load into $tpl (see $RESULTS/build-$side.log)"
        fi
    fi
done

# --- Run -------------------------------------------------------------------------
SERVER_PID=""
RUN_DBS=()
stop_server() {
    [ -n "$SERVER_PID" ] || return 0
    # the prefork master stops its workers, cron threads and gevent child on SIGTERM
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}
cleanup() {
    stop_server
    if [ "$KEEP" = "1" ]; then
        [ ${#RUN_DBS[@]} -gt 0 ] && log "kept databases: ${RUN_DBS[*]}"
    else
        local d
        for d in "${RUN_DBS[@]}"; do
            "$(pg_bin)/dropdb" --if-exists --force "$d" 2>/dev/null || true
            rm -rf "${ODOO_DATA_DIR:?}/filestore/$d" 2>/dev/null || true
        done
    fi
    pg_release
}
trap cleanup EXIT
trap 'exit 130' INT TERM

shell_on() {
    # Odoo shell on database $1, script on stdin.
    odoo_cmd shell -d "$1" --no-http --log-level=warn --data-dir="$ODOO_DATA_DIR"
}

wait_http() {
    local port="$1" deadline=$((SECONDS + 180))
    while [ $SECONDS -lt $deadline ]; do
        kill -0 "$SERVER_PID" 2>/dev/null || return 1
        "$PYTHON" - "$port" <<'PY' && return 0
import sys, urllib.request
try:
    urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/web/login", timeout=5)
except Exception:
    sys.exit(1)
PY
        sleep 1
    done
    return 1
}

for side in "${SIDES[@]}"; do
    db="crm_std_load_${side}_$$"
    RUN_DBS+=("$db")
    "$(pg_bin)/createdb" -T "${TEMPLATE[$side]}" "$db" || die "could not copy ${TEMPLATE[$side]}"
    if [ -d "$ODOO_DATA_DIR/filestore/${TEMPLATE[$side]}" ]; then
        cp -r "$ODOO_DATA_DIR/filestore/${TEMPLATE[$side]}" "$ODOO_DATA_DIR/filestore/$db"
    fi
    log "[$side] preparing $db: staff users, scheduled actions"
    shell_on "$db" >"$RESULTS/prepare-$side.log" 2>&1 <<PY || { tail -30 "$RESULTS/prepare-$side.log" >&2; die "preparing $db failed"; }
from tests.load.prepare import prepare
prepare(env, "$side", "$RESULTS/setup-$side.json")
env.cr.commit()
PY
    port="$(free_port_from 18069)"
    gevent_port="$(free_port_from $((port + 1)))"
    log "[$side] serving $db on 127.0.0.1:$port (--workers $WORKERS --max-cron-threads $CRON_THREADS)"
    # The odoo-bin style launcher: the prefork server re-executes sys.argv[0] for its
    # websocket (gevent) child, which `python -m odoo` cannot be.
    "$PYTHON" "$REPO_ROOT/tests/load/odoo_server.py" server --addons-path="$REPO_ROOT" \
        -d "$db" --db-filter="^$db\$" --no-database-list \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" ${PGPASSWORD:+--db_password="$PGPASSWORD"} \
        --http-interface=127.0.0.1 --http-port="$port" --gevent-port="$gevent_port" \
        --workers="$WORKERS" --max-cron-threads="$CRON_THREADS" --db_maxconn=32 \
        --limit-time-cpu=600 --limit-time-real=1200 --limit-memory-soft=4294967296 \
        --limit-memory-hard=5368709120 --data-dir="$ODOO_DATA_DIR" \
        --log-level=warn --logfile="$RESULTS/server-$side.log" &
    SERVER_PID=$!
    wait_http "$port" || { tail -30 "$RESULTS/server-$side.log" >&2; die "[$side] Odoo did not answer on port $port"; }
    start="$(date -u '+%Y-%m-%d %H:%M:%S')"
    # Odoo's cache-clear signals so far: the checks count those sent during the run
    signaled="$("$PYTHON" - "$db" <<'PY'
import json, os, sys
import psycopg2
from tests.load.checks import signaling_sequences
with psycopg2.connect(dbname=sys.argv[1], host=os.environ["PGHOST"], port=os.environ["PGPORT"],
                      user=os.environ["PGUSER"], password=os.environ.get("PGPASSWORD")) as conn:
    print(json.dumps(signaling_sequences(conn.cursor())))
PY
)"
    # the machine's load around the run (other jobs share it): printed with the table
    uptime >"$RESULTS/uptime-$side.txt" 2>/dev/null || true
    log "[$side] Locust: $USERS users, ${WARMUP}s warm-up + ${DURATION}s measured, at most $MAX_REQUESTS requests"
    LOAD_SIDE="$side" LOAD_DB="$db" LOAD_SETUP="$RESULTS/setup-$side.json" \
        LOAD_STATS="$RESULTS/stats-$side.json" LOAD_MAX_REQUESTS="$MAX_REQUESTS" LOAD_WARMUP="$WARMUP" \
        "$LOCUST_VENV/bin/locust" -f "$REPO_ROOT/tests/load/locustfile.py" --headless \
        --host "http://127.0.0.1:$port" -u "$USERS" -r "$SPAWN_RATE" -t "$((WARMUP + DURATION))s" \
        --stop-timeout 30 --only-summary --csv "$RESULTS/locust-$side" \
        --loglevel WARNING >"$RESULTS/locust-$side.log" 2>&1 \
        || log "[$side] Locust exited non-zero (see $RESULTS/locust-$side.log); the report counts the failures"
    uptime >>"$RESULTS/uptime-$side.txt" 2>/dev/null || true
    # the scheduled actions may still be in a run: let them end before the checks
    stop_server
    if [ "$side" = "addons" ]; then
        log "[$side] consistency checks"
        shell_on "$db" >"$RESULTS/checks-$side.log" 2>&1 <<PY || { tail -30 "$RESULTS/checks-$side.log" >&2; die "the consistency checks crashed"; }
from tests.load.checks import run_checks
run_checks(env, "$start", "$RESULTS/checks-addons.json", signaled_at_start=$signaled)
env.cr.rollback()
PY
    fi
done

uptime_now="$(uptime)"
set +e
"$PYTHON" "$REPO_ROOT/tests/load/report.py" "$RESULTS" --users "$USERS" --duration "$DURATION" \
    --workers "$WORKERS" --cron-threads "$CRON_THREADS" --uptime "$uptime_now" | tee "$RESULTS/report.txt"
rc=${PIPESTATUS[0]}
set -e
exit "$rc"
