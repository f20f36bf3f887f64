"""Run Odoo's command line against throwaway copies of the CRM template database.

setup/test.sh builds a database holding only ``crm`` and its demo data and
exports its name as ``CRM_STD_TEMPLATE_DB``; lifecycle tests copy it, so they
never touch the database the other tests run in.
"""

import ast
import importlib.util
import os
import re
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2

REPO_ROOT = Path(__file__).resolve().parent.parent
# Every addon of the repository (one folder per addon at the root): the product's meta
# addon and the health score first (installing those two gives the product without
# sale), then its parts and bridges. The dashboard (spreadsheet_dashboard) stays out.
ADDONS = (
    "crm_process_std",
    "crm_health_score",
    *sorted(
        path.parent.name
        for path in REPO_ROOT.glob("*/__manifest__.py")
        if path.parent.name
        not in ("crm_process_std", "crm_health_score", "spreadsheet_dashboard_crm_process_std")
    ),
)


def manifest(addon):
    return ast.literal_eval((REPO_ROOT / addon / "__manifest__.py").read_text())


def with_dependents(addon):
    """``addon`` and the repository's addons depending on it, directly or not (what
    uninstalling it takes along)."""
    found = {addon}
    changed = True
    while changed:
        changed = False
        for name in ADDONS:
            if name not in found and found & set(manifest(name).get("depends", ())):
                found.add(name)
                changed = True
    return found


def template_db():
    return os.environ.get("CRM_STD_TEMPLATE_DB")


def _connect(dbname="postgres"):
    conn = psycopg2.connect(
        dbname=dbname,
        host=os.environ.get("PGHOST", "127.0.0.1"),
        port=os.environ.get("PGPORT", "5432"),
        user=os.environ.get("PGUSER"),
    )
    conn.autocommit = True
    return conn


def copy_template(prefix="crm_std_life"):
    return copy_db(template_db(), prefix)


def copy_db(source, prefix):
    """Create a copy of database ``source`` (no open connection allowed on it)."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    conn = _connect()
    try:
        with conn.cursor() as cr:
            cr.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    finally:
        conn.close()
    return name


def drop_db(name):
    conn = _connect()
    try:
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()


def query(dbname, sql, params=None):
    conn = _connect(dbname)
    try:
        with conn.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall()
    finally:
        conn.close()


def odoo(dbname, *args, stdin=None, timeout=900):
    """Run ``python -m odoo <args>`` on ``dbname``; return the completed process.

    ``args`` starts with the sub-command (``server``, ``shell``).
    """
    return subprocess.run(
        odoo_command(dbname, *args),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def odoo_command(dbname, *args):
    """The command line of ``python -m odoo <args>`` on ``dbname``."""
    command = [
        sys.executable,
        "-m",
        "odoo",
        *args,
        "-d",
        dbname,
        f"--addons-path={REPO_ROOT}",
        f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
        f"--db_port={os.environ.get('PGPORT', '5432')}",
        f"--db_user={os.environ.get('PGUSER', '')}",
        "--log-level=warn",
    ]
    if os.environ.get("ODOO_DATA_DIR"):
        command.append(f"--data-dir={os.environ['ODOO_DATA_DIR']}")
    return command


def free_port():
    """A TCP port free on loopback right now (for a server started by a test)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_errors(output):
    """ERROR / CRITICAL log lines and tracebacks of an Odoo run's output."""
    return [
        line
        for line in output.splitlines()
        if " ERROR " in line or " CRITICAL " in line or line.startswith("Traceback")
    ]


# Odoo's test report line: "0 failed, 0 error(s) of 141 tests" (odoo/tests/result.py).
TEST_REPORT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")


def generate_volume(dbname, customers, seed=42):
    """Add CRM volume to ``dbname`` with data/generators/crm_volume.py; return its counts."""
    path = REPO_ROOT / "data" / "generators" / "crm_volume.py"
    spec = importlib.util.spec_from_file_location("crm_volume", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    conn = _connect(dbname)
    conn.autocommit = False
    try:
        with conn.cursor() as cr:
            counts = module.generate(cr, customers, seed=seed)
        conn.commit()
    finally:
        conn.close()
    return counts
