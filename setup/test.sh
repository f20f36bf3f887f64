#!/usr/bin/env bash
# Run the tests: a fresh throwaway database with crm demo data and both addons,
# then the whole pytest-odoo suite (each addon's tests/ and the top-level tests/).
# Prints pytest's summary and returns its exit code; the databases are dropped after.
# Usage: setup/test.sh [pytest arguments, e.g. -k stage, or test paths]
# Developers: CRM_STD_KEEP_DB=name keeps and reuses a database (addons updated
# with -u on each run) instead of building a throwaway one.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

check_odoo
install_python_deps
pg_hold

ODOO_DATA_DIR="${ODOO_DATA_DIR:-${TMPDIR:-/tmp}/crm_std_odoo_data}"
mkdir -p "$ODOO_DATA_DIR"
export ODOO_DATA_DIR

# A CRM-only template database (crm + its demo data) is built first: the test
# database and the lifecycle tests (install / upgrade / uninstall) copy it.
if [ -n "${CRM_STD_KEEP_DB:-}" ]; then
    DB="$CRM_STD_KEEP_DB"
    BASE_DB="${CRM_STD_KEEP_DB}_base"
else
    DB="crm_std_test_$$"
    BASE_DB="crm_std_base_$$"
    cleanup() {
        local d
        for d in "$DB" "$BASE_DB"; do
            "$(pg_bin)/dropdb" --if-exists "$d" 2>/dev/null || true
            rm -rf "${ODOO_DATA_DIR:?}/filestore/$d" 2>/dev/null || true
        done
        pg_release
    }
    trap cleanup EXIT
fi
# A kept database keeps its cluster running for the next run (setup/stop.sh stops it).
[ -n "${CRM_STD_KEEP_DB:-}" ] && CRM_STD_KEEP_PG=1

if ! db_exists "$BASE_DB"; then
    log "creating template database $BASE_DB (crm + demo data)"
    odoo_cmd -d "$BASE_DB" -i crm --with-demo --stop-after-init --log-level=warn \
        --data-dir="$ODOO_DATA_DIR" || die "installing crm failed"
fi
if db_exists "$DB"; then
    log "updating the addons in $DB"
    odoo_cmd -d "$DB" -i "$ADDONS,$TEST_ADDONS" -u "$ALL_ADDONS" --stop-after-init --log-level=warn \
        --data-dir="$ODOO_DATA_DIR" || die "updating the addons failed"
else
    "$(pg_bin)/createdb" -T "$BASE_DB" "$DB" || die "could not copy $BASE_DB"
    if [ -d "$ODOO_DATA_DIR/filestore/$BASE_DB" ]; then
        cp -r "$ODOO_DATA_DIR/filestore/$BASE_DB" "$ODOO_DATA_DIR/filestore/$DB"
    fi
    log "installing both addons into $DB"
    install_log="$(mktemp)"
    odoo_cmd -d "$DB" -i "$ADDONS,$TEST_ADDONS" --stop-after-init --log-level=warn \
        --data-dir="$ODOO_DATA_DIR" 2>&1 | tee "$install_log" >&2
    [ "${PIPESTATUS[0]}" = 0 ] || die "installing the addons failed"
    # Odoo only warns when demo data fails to load: treat it as the failure it is.
    if grep -q "demo data failed to install" "$install_log"; then
        die "the addons' demo data failed to load (see the traceback above)"
    fi
    rm -f "$install_log"
fi
export CRM_STD_TEMPLATE_DB="$BASE_DB"

# The browser tour needs Chromium: install Debian's package when missing and possible.
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    log "installing chromium for the browser tour"
    (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 \
        || log "chromium could not be installed: the browser tour will be skipped"
fi

# Default targets unless the caller names test paths.
targets=()
for addon in "${ADDON_DIRS[@]}"; do [ -d "$REPO_ROOT/$addon/tests" ] && targets+=("$addon/tests"); done
targets+=(tests)
for arg in "$@"; do
    case "$arg" in -*) ;; *) [ -e "$REPO_ROOT/$arg" ] || [ -e "$arg" ] && targets=() ;; esac
done

cd "$REPO_ROOT"
set +e
"$PYTHON" -m pytest -p no:cacheprovider --rootdir="$REPO_ROOT" \
    --odoo-database="$DB" --odoo-addons-path="$REPO_ROOT" --odoo-log-level=warn \
    --odoo-extra="db_host=$PGHOST" --odoo-extra="db_port=$PGPORT" --odoo-extra="db_user=$PGUSER" \
    --odoo-extra="data-dir=$ODOO_DATA_DIR" --odoo-http \
    "${targets[@]}" "$@"
rc=$?
set -e
exit $rc
