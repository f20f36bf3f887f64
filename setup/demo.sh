#!/usr/bin/env bash
# Run the demo: embedded PostgreSQL + database "crm_demo" (crm + both addons
# + demo data) + Odoo served on 127.0.0.1:${HTTP_PORT:-8069}. Login admin / admin.
# Usage: setup/demo.sh [--port N] [--db NAME] [--no-serve]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

HTTP_PORT="${HTTP_PORT:-8069}"
DB="${CRM_DEMO_DB:-crm_demo}"
SERVE=1
while [ $# -gt 0 ]; do
    case "$1" in
        --port) HTTP_PORT="$2"; shift 2 ;;
        --db) DB="$2"; shift 2 ;;
        --no-serve) SERVE=0; shift ;;
        -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done

check_odoo
install_python_deps
start_postgres

if [ "$SERVE" = "1" ] && "$PYTHON" - "$HTTP_PORT" <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PY
then
    die "port $HTTP_PORT is busy (another Odoo?): stop it or use --port N."
fi

if db_exists "$DB"; then
    log "database $DB exists: installing missing addons, updating the others"
    odoo_cmd -d "$DB" -i "$ADDONS" -u "$ALL_ADDONS" --stop-after-init --log-level=warn
else
    log "creating database $DB with crm, both addons and demo data (a few minutes)"
    install_log="$(mktemp)"
    odoo_cmd -d "$DB" -i "crm,$ADDONS" --with-demo --stop-after-init --log-level=warn 2>&1 \
        | tee "$install_log" >&2
    [ "${PIPESTATUS[0]}" = 0 ] || die "creating $DB failed"
    # Odoo only warns when demo data fails to load: say so instead of serving a half demo.
    if grep -q "demo data failed to install" "$install_log"; then
        die "the addons' demo data failed to load (see the traceback above)"
    fi
    rm -f "$install_log"
fi

if [ "$SERVE" = "1" ]; then
    log "serving Odoo on http://127.0.0.1:$HTTP_PORT (login admin / admin; Ctrl+C stops)"
    exec "$PYTHON" -m odoo server --addons-path="$REPO_ROOT" -d "$DB" --db-filter="^$DB\$" \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" ${PGPASSWORD:+--db_password="$PGPASSWORD"} \
        --http-interface=127.0.0.1 --http-port="$HTTP_PORT" --log-level=info
fi
