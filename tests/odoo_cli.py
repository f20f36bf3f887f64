"""Run Odoo's command line against throwaway copies of the CRM template database.

setup/test.sh builds a database holding only ``crm`` and its demo data and
exports its name as ``CRM_STD_TEMPLATE_DB``; lifecycle tests copy it, so they
never touch the database the other tests run in.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2

REPO_ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("crm_process_std", "crm_health_score", "crm_process_std_sale")


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
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    conn = _connect()
    try:
        with conn.cursor() as cr:
            cr.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_db()}"')
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
    return subprocess.run(
        command, input=stdin, capture_output=True, text=True, timeout=timeout, check=False
    )
