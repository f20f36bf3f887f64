#!/usr/bin/env bash
# Shared helpers for the setup/ commands. Source it; do not run it.
# Odoo 19 is a prerequisite. When this Python cannot import it, check_odoo offers to
# install it into a project-local virtual environment (.venv) from Odoo's official
# source; nothing of Odoo is ever copied into this repository.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The project-local environment, once created, is the default interpreter.
VENV_DIR="${CRM_STD_VENV:-$REPO_ROOT/.venv}"
if [ -z "${PYTHON:-}" ] && [ -x "$VENV_DIR/bin/python" ]; then PYTHON="$VENV_DIR/bin/python"; fi
PYTHON="${PYTHON:-python3}"
ADDONS="crm_process_std,crm_health_score,crm_process_std_sale,spreadsheet_dashboard_crm_process_std"
# The integration tests of the whole product, as an addon (installed by setup/test.sh only)
TEST_ADDONS="test_crm_process_std"
# Every addon of the repository (one folder per addon at the root, as OCA repositories).
ADDON_DIRS=()
for manifest in "$REPO_ROOT"/*/__manifest__.py; do ADDON_DIRS+=("$(basename "$(dirname "$manifest")")"); done
# -u list: every addon of the repository (updating the meta addon alone would leave its parts)
ALL_ADDONS="$(IFS=,; echo "${ADDON_DIRS[*]}")"

log() { printf '[crm-std] %s\n' "$*" >&2; }
die() { printf '[crm-std] ERROR: %s\n' "$*" >&2; exit 1; }

# --- Odoo -------------------------------------------------------------------
odoo_series() { "$1" -c 'import odoo.release as r; print(r.series)' 2>/dev/null; }

check_odoo() {
    local version
    if ! version="$(odoo_series "$PYTHON")"; then
        if [ -x "$VENV_DIR/bin/python" ] && version="$(odoo_series "$VENV_DIR/bin/python")"; then
            PYTHON="$VENV_DIR/bin/python"
            log "using Odoo $version of the project environment $VENV_DIR"
        elif install_odoo; then
            version="$(odoo_series "$PYTHON")" || die "Odoo was installed but cannot be imported by $PYTHON"
        else
            cat >&2 <<'MSG'
[crm-std] ERROR: Odoo 19 is not importable by this Python ("import odoo" failed).
  These addons run on Odoo 19.0. Either install it yourself from its official source:
    - packages / nightly builds: https://nightly.odoo.com (19.0), or
    - source: git clone -b 19.0 --depth 1 https://github.com/odoo/odoo
      then, in that checkout: pip install -r requirements.txt && pip install -e .
    and set PYTHON=/path/to/python if Odoo lives in another interpreter;
  or let these scripts install it into a project-local environment (.venv):
    CRM_STD_INSTALL_ODOO=1 bash setup/demo.sh                 (clones the 19.0 branch)
    CRM_STD_INSTALL_ODOO=1 ODOO_SRC=/path/to/odoo bash setup/demo.sh   (a tree you have)
  See https://www.odoo.com/documentation/19.0/administration/on_premise.html
MSG
            exit 3
        fi
    fi
    [ "$version" = "19.0" ] || die "Odoo $version found, but these addons need Odoo 19.0."
}

# Install Odoo 19.0 into $VENV_DIR: asks first (or CRM_STD_INSTALL_ODOO=1 / =0).
# Source: $ODOO_SRC (an Odoo 19 source tree on this machine) or a shallow clone of the
# official 19.0 branch, kept outside the repository (~/.cache/crm_std/odoo-19.0).
install_odoo() {
    local answer="${CRM_STD_INSTALL_ODOO:-}" src="${ODOO_SRC:-}" base="$PYTHON"
    if [ -z "$answer" ]; then
        if [ -t 0 ]; then
            read -r -p "[crm-std] Odoo 19.0 is not installed for $PYTHON. Install it into $VENV_DIR from ${src:-the official 19.0 branch}? [y/N] " answer
        else
            answer=0
        fi
    fi
    case "$answer" in y|Y|yes|1) ;; *) return 1 ;; esac
    if [ -z "$src" ]; then
        src="${XDG_CACHE_HOME:-$HOME/.cache}/crm_std/odoo-19.0"
        if [ ! -f "$src/odoo/release.py" ]; then
            log "cloning Odoo 19.0 (official source, shallow) into $src"
            mkdir -p "$(dirname "$src")"
            git clone --quiet --branch 19.0 --depth 1 https://github.com/odoo/odoo.git "$src" \
                || die "could not clone Odoo 19.0 into $src"
        fi
    fi
    src="$(cd "$src" && pwd)" || die "ODOO_SRC=$src is not a folder"
    [ -f "$src/odoo/release.py" ] && [ -f "$src/requirements.txt" ] \
        || die "$src is not an Odoo source tree (odoo/release.py, requirements.txt)"
    grep -Eq "^version_info = \\(19, 0," "$src/odoo/release.py" \
        || die "$src is not Odoo 19.0 (see its odoo/release.py)"
    command -v "$base" >/dev/null 2>&1 || base=python3
    log "creating $VENV_DIR with Odoo from $src"
    "$base" -m venv "$VENV_DIR" || die "could not create $VENV_DIR (Debian: apt-get install python3-venv)"
    local venv_python="$VENV_DIR/bin/python" reqs
    reqs="$(mktemp)"
    # Odoo pins older versions for older Pythons, which would be built from source;
    # the pins of the newest Python it names install as wheels on 3.10+ too.
    # python-ldap (auth_ldap only) needs system headers: left out.
    "$venv_python" - "$src/requirements.txt" > "$reqs" <<'PY' || die "could not read $src/requirements.txt"
import re, sys
from pip._vendor.packaging.requirements import Requirement
lines = [l.split(" #")[0].strip() for l in open(sys.argv[1])]
lines = [l for l in lines if l and not l.startswith("#")]
versions = sorted({tuple(map(int, v.split("."))) for l in lines
                   for v in re.findall(r"python_version\s*[<>=!]+\s*'([\d.]+)'", l)} or {(3, 12)})
newest = ".".join(map(str, versions[-1]))
for line in lines:
    req = Requirement(line)
    if req.name == "python-ldap":
        continue
    if req.marker is None or req.marker.evaluate({"python_version": newest, "python_full_version": newest + ".0"}):
        req.marker = None
        print(req)
PY
    PIP_ROOT_USER_ACTION=ignore "$venv_python" -m pip install -q --disable-pip-version-check -r "$reqs" \
        || die "pip could not install Odoo's requirements (see above)"
    rm -f "$reqs"
    # Odoo is used from its tree (no copy): a path entry in the environment.
    "$venv_python" -c 'import sysconfig, sys; open(sysconfig.get_paths()["purelib"] + "/odoo-src.pth", "w").write(sys.argv[1] + "\n")' "$src"
    PYTHON="$venv_python"
    log "Odoo 19.0 installed in $VENV_DIR: the setup/ scripts use it from now on"
}

install_python_deps() {
    # Idempotent: pip only installs what is missing.
    if [ "${CRM_STD_SKIP_PIP:-0}" = "1" ]; then return 0; fi
    log "checking Python dependencies (requirements.txt)"
    PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install -q --disable-pip-version-check -r "$REPO_ROOT/requirements.txt" >&2 \
        || die "pip could not install requirements.txt"
}

# --- PostgreSQL ---------------------------------------------------------------
# An existing server is used when PGHOST is set; otherwise an embedded,
# project-local PostgreSQL cluster is started on loopback.
pg_bin() {
    local d
    for d in "${PG_BINDIR:-}" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [ -n "$d" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
    done
    command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return 0; }
    die "PostgreSQL server binaries (pg_ctl, initdb) not found: install PostgreSQL 15+ (Debian: apt-get install postgresql) or set PGHOST to use an existing server."
}

as_pg_owner() {
    # PostgreSQL refuses to run as root: run cluster commands as 'postgres' then.
    if [ "$(id -u)" = "0" ]; then
        su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
    else
        "$@"
    fi
}

pg_data_dir() {
    if [ -n "${CRM_STD_PGDATA:-}" ]; then echo "$CRM_STD_PGDATA"; return; fi
    local local_dir="$REPO_ROOT/.pgdata"
    if [ "$(id -u)" != "0" ]; then echo "$local_dir"; return; fi
    # As root the cluster belongs to 'postgres', which must reach the folder.
    mkdir -p "$local_dir" && chown postgres: "$local_dir" 2>/dev/null || true
    if su postgres -s /bin/bash -c "test -w '$local_dir'" 2>/dev/null; then
        echo "$local_dir"
    else
        rmdir "$local_dir" 2>/dev/null || true
        echo "${TMPDIR:-/tmp}/crm_std_pgdata"
    fi
}

export_pg_env() {
    # Once decided in this command, keep it (PGHOST is exported for the embedded one too).
    [ -n "${CRM_STD_EMBEDDED:-}" ] && return 0
    if [ -n "${PGHOST:-}" ]; then
        export PGHOST PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-$(id -un)}"
        CRM_STD_EMBEDDED=0
    else
        # The embedded cluster keeps the port it was first given (crm_std_port in its
        # data directory), so two checkouts each run their own cluster side by side.
        local saved=""
        [ -z "${PGPORT:-}" ] && saved="$(cat "$(pg_data_dir)/crm_std_port" 2>/dev/null || true)"
        export PGHOST=127.0.0.1 PGPORT="${PGPORT:-${saved:-54329}}" PGUSER="${PGUSER:-odoo}"
        CRM_STD_EMBEDDED=1
    fi
}

free_port_from() {
    # First port from $1 on which nothing listens on loopback.
    "$PYTHON" - "$1" <<'PY'
import socket, sys
port = int(sys.argv[1])
while port < int(sys.argv[1]) + 100:
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", port)) != 0:
            print(port)
            break
    port += 1
PY
}

start_postgres() {
    export_pg_env
    if [ "$CRM_STD_EMBEDDED" = "0" ]; then
        log "using existing PostgreSQL at $PGHOST:$PGPORT as $PGUSER"
        "$(pg_bin)/pg_isready" -q -t 5 || die "PostgreSQL at $PGHOST:$PGPORT does not answer."
        return 0
    fi
    local bin data
    bin="$(pg_bin)"
    data="$(pg_data_dir)"
    if [ ! -s "$data/PG_VERSION" ]; then
        log "creating PostgreSQL cluster in $data"
        mkdir -p "$data"
        [ "$(id -u)" = "0" ] && chown postgres: "$data"
        as_pg_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
            || die "initdb failed for $data"
    fi
    if as_pg_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        log "PostgreSQL already running ($data)"
    else
        # A stale pid file from a killed server would make pg_ctl refuse to start.
        if [ -f "$data/postmaster.pid" ]; then
            log "removing stale postmaster.pid"
            rm -f "$data/postmaster.pid"
        fi
        if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" -t 1; then
            # Another checkout's cluster (or another server) holds the port: take the
            # next free one and keep it for this cluster.
            local port
            port="$(free_port_from "$((PGPORT + 1))")"
            [ -n "$port" ] || die "port $PGPORT is used by another server and no free port follows it: set PGPORT, or PGHOST to use that server."
            log "port $PGPORT is used by another server: this cluster takes $port"
            export PGPORT="$port"
        fi
        echo "$PGPORT" > "$data/crm_std_port"
        log "starting PostgreSQL on 127.0.0.1:$PGPORT"
        CRM_STD_STARTED_PG=1
        as_pg_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 \
            -o "-h 127.0.0.1 -p $PGPORT -k $data" start >/dev/null \
            || die "PostgreSQL did not start: see $data/server.log"
    fi
    # The role Odoo connects with (Odoo refuses the 'postgres' superuser).
    "$bin/psql" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_roles WHERE rolname='$PGUSER'" | grep -q 1 \
        || "$bin/psql" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres \
            -c "CREATE ROLE \"$PGUSER\" LOGIN SUPERUSER CREATEDB" >/dev/null
}

# A command that started the embedded cluster stops it when it ends, unless another
# command of this checkout still uses it; a cluster found running is left running.
pg_hold() {
    start_postgres
    [ "$CRM_STD_EMBEDDED" = "1" ] || return 0
    local data
    data="$(pg_data_dir)"
    CRM_STD_PG_TOKEN="$data/crm_std_users/$$"
    mkdir -p "$data/crm_std_users" && touch "$CRM_STD_PG_TOKEN"
    [ "${CRM_STD_STARTED_PG:-0}" = "1" ] && touch "$data/crm_std_users/.started"
    return 0
}

pg_release() {
    [ -n "${CRM_STD_PG_TOKEN:-}" ] || return 0
    local dir token pid
    dir="$(dirname "$CRM_STD_PG_TOKEN")"
    rm -f "$CRM_STD_PG_TOKEN"
    for token in "$dir"/*; do
        [ -e "$token" ] || continue
        pid="$(basename "$token")"
        if kill -0 "$pid" 2>/dev/null; then return 0; fi
        rm -f "$token"
    done
    if [ -e "$dir/.started" ] && [ "${CRM_STD_KEEP_PG:-0}" != "1" ]; then
        rm -f "$dir/.started"
        stop_postgres
    fi
}

stop_postgres() {
    export_pg_env
    if [ "$CRM_STD_EMBEDDED" = "0" ]; then
        log "PGHOST is set: the external server is not ours to stop"; return 0
    fi
    local bin data
    bin="$(pg_bin)"
    data="$(pg_data_dir)"
    if [ -s "$data/PG_VERSION" ] && as_pg_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        as_pg_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null && log "PostgreSQL stopped"
    else
        log "PostgreSQL is not running"
    fi
}

db_exists() {
    "$(pg_bin)/psql" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1
}

odoo_cmd() {
    # Odoo server/CLI with this repository on the addons path.
    "$PYTHON" -m odoo "$@" --addons-path="$REPO_ROOT" --http-interface=127.0.0.1 \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" ${PGPASSWORD:+--db_password="$PGPASSWORD"}
}
