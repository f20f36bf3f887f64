#!/usr/bin/env bash
# Run the benchmarks: every tests/bench_*.py on a throwaway database (crm + both
# addons, no demo data; each script gets its own copy), one table of figure, value,
# baseline measured in the same run, ratio, target and pass / fail, printed and
# written to bench-results/latest.md. Exits non-zero when a figure misses its target
# or a script crashes. Not part of the test suite (minutes to an hour by size).
# Usage: setup/bench.sh [--size N] [--only NAME] [--keep]
#   --size N     records per benchmark (e.g. 10000 or 100000 customers); default:
#                each script's own size
#   --only NAME  run tests/bench_NAME.py only (repeatable)
#   --keep       keep the databases (named in the log) for inspection
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SIZE=""
ONLY=()
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --size) SIZE="${2:?--size needs a number}"; shift 2 ;;
        --only) ONLY+=("${2:?--only needs a name}"); shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
[ -z "$SIZE" ] || [[ "$SIZE" =~ ^[0-9]+$ ]] || die "--size must be a number, not $SIZE"

check_odoo
install_python_deps
start_postgres

scripts=()
for path in "$REPO_ROOT"/tests/bench_*.py; do
    name="$(basename "$path" .py)"
    name="${name#bench_}"
    [ "$name" = "common" ] && continue
    if [ ${#ONLY[@]} -gt 0 ] && [[ ! " ${ONLY[*]} " =~ " $name " ]]; then continue; fi
    scripts+=("$name")
done
[ ${#scripts[@]} -gt 0 ] || die "no benchmark matches: tests/bench_<name>.py (--only ${ONLY[*]:-})"
for name in "${ONLY[@]}"; do
    [ -f "$REPO_ROOT/tests/bench_$name.py" ] || die "no benchmark tests/bench_$name.py"
done

RESULTS="$REPO_ROOT/bench-results"
mkdir -p "$RESULTS"
export ODOO_DATA_DIR="${ODOO_DATA_DIR:-${TMPDIR:-/tmp}/crm_std_bench_data}"
mkdir -p "$ODOO_DATA_DIR"
DB="crm_std_bench_$$"
DBS=("$DB")
cleanup() {
    local d
    if [ "$KEEP" = "1" ]; then log "kept databases: ${DBS[*]}"; return; fi
    for d in "${DBS[@]}"; do
        "$(pg_bin)/dropdb" --if-exists --force "$d" 2>/dev/null || true
        rm -rf "${ODOO_DATA_DIR:?}/filestore/$d" 2>/dev/null || true
    done
}
trap cleanup EXIT

# The two addons only: the sale bridge would pull sale and accounting, whose required
# partner columns the set-based SQL generators in data/ do not fill.
BENCH_ADDONS="crm_process_std,crm_health_score"
log "creating benchmark database $DB (crm + both addons, no demo data)"
odoo_cmd -d "$DB" -i "crm,$BENCH_ADDONS" --stop-after-init --log-level=warn \
    --data-dir="$ODOO_DATA_DIR" >"$RESULTS/setup-db.log" 2>&1 \
    || { tail -20 "$RESULTS/setup-db.log" >&2; die "installing crm and the addons failed"; }

# Both import styles of the scripts work: `from bench_common import ...` and
# `from tests.bench_common import ...` / `from data.generators.x import ...`.
export PYTHONPATH="$REPO_ROOT:$REPO_ROOT/tests${PYTHONPATH:+:$PYTHONPATH}"
status_file="$RESULTS/status.txt"
: >"$status_file"
for name in "${scripts[@]}"; do
    copy="${DB}_$name"
    DBS+=("$copy")
    "$(pg_bin)/createdb" -T "$DB" "$copy" || die "could not copy $DB"
    log "running tests/bench_$name.py ${SIZE:+--size $SIZE }(log: bench-results/$name.log)"
    start=$(date +%s)
    set +e
    (cd "$REPO_ROOT" && "$PYTHON" "tests/bench_$name.py" --db "$copy" ${SIZE:+--size "$SIZE"}) \
        >"$RESULTS/$name.out" 2>"$RESULTS/$name.log"
    rc=$?
    set -e
    log "tests/bench_$name.py: exit $rc after $(($(date +%s) - start)) s"
    [ "$rc" = "0" ] || tail -15 "$RESULTS/$name.log" >&2
    printf '%s %s\n' "$name" "$rc" >>"$status_file"
    if [ "$KEEP" != "1" ]; then
        "$(pg_bin)/dropdb" --if-exists --force "$copy" 2>/dev/null || true
    fi
done

PG_VERSION="$("$(pg_bin)/psql" -d postgres -tAc 'SHOW server_version' | cut -d' ' -f1)"
set +e
"$PYTHON" - "$RESULTS" "${SIZE:-default}" "$PG_VERSION" <<'PY'
import datetime, json, os, sys
from pathlib import Path

results, size, pg_version = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
import odoo.release

def number(value, unit=""):
    if value is None:
        return "-"
    text = f"{value:,.3f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    return f"{text} {unit}".strip()

rows, failed = [], 0
for line in (results / "status.txt").read_text().splitlines():
    name, rc = line.split()
    figures = []
    for out in (results / f"{name}.out").read_text(errors="replace").splitlines():
        if out.startswith("BENCH "):
            try:
                figures.append(json.loads(out[len("BENCH "):]))
            except ValueError:
                figures.append({"figure": f"{name}: unreadable BENCH line", "pass": False})
    if rc != "0" or not figures:
        why = f"exit {rc}" if rc != "0" else "no BENCH line"
        figures.append({"figure": f"bench_{name}.py crashed ({why}, see bench-results/{name}.log)",
                        "pass": False})
    for row in figures:
        failed += not row.get("pass")
        unit = row.get("unit", "")
        figure = row["figure"] + (f" ({row['note']})" if row.get("note") else "")
        rows.append([
            figure,
            number(row.get("value"), unit),
            number(row.get("baseline"), unit),
            "-" if row.get("ratio") is None else f"{row['ratio']:g}x",
            row.get("target") or "-",
            "pass" if row.get("pass") else "**FAIL**",
        ])

header = ["figure", "value", "baseline", "ratio", "target", "pass"]
lines = [
    f"Benchmarks: size {size}, {datetime.date.today().isoformat()}, {os.cpu_count()} CPU cores, "
    f"Odoo {odoo.release.version}, PostgreSQL {pg_version}.",
    "",
    "| " + " | ".join(header) + " |",
    "|" + "|".join(["---"] + ["---:"] * 3 + ["---", "---"]) + "|",
]
lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
text = "\n".join(lines) + "\n"
(results / "latest.md").write_text(text)
print(text)
sys.exit(1 if failed else 0)
PY
rc=$?
set -e
log "table written to bench-results/latest.md"
exit $rc
