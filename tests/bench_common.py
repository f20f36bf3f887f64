"""Shared pieces of the benchmark scripts ``tests/bench_*.py``.

Benchmarks are not tests: ``setup/bench.sh`` runs each ``tests/bench_*.py`` as
``python3 tests/bench_x.py --db DB --size N``. A script builds the data it needs
(generators in ``data/``), measures the figure and a baseline in the same run,
and prints one line per figure through :func:`emit`; the runner collects the
``BENCH {json}`` lines into one table.
"""

import argparse
import contextlib
import json
import os
import resource
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def parse_args(description, default_size):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", required=True, help="database with both addons installed")
    parser.add_argument("--size", type=int, default=default_size, help="number of records")
    return parser.parse_args()


@contextlib.contextmanager
def odoo_env(dbname):
    """Yield a superuser environment on ``dbname``; commit on success."""
    import odoo  # noqa: F401  (Odoo 19 is a prerequisite)
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    options = [f"--addons-path={REPO_ROOT}", "-d", dbname, "--log-level=warn"]
    for var, opt in (("PGHOST", "db_host"), ("PGPORT", "db_port"), ("PGUSER", "db_user")):
        if os.environ.get(var):
            options.append(f"--{opt}={os.environ[var]}")
    config.parse_config(options)
    registry = Registry(dbname)
    with registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})


def best_of(function, repeat=3):
    """Best wall time in seconds of ``repeat`` calls of ``function()``."""
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def peak_rss_mb():
    """Peak resident memory of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(figure, value, unit, baseline=None, max_ratio=None, max_value=None, note=""):
    """Print one result row for setup/bench.sh.

    ``baseline`` is the reference measured in the same run; the row passes when
    ``value / baseline <= max_ratio`` and ``value <= max_value`` (each if given).
    """
    ratio = value / baseline if baseline else None
    passed = True
    if max_ratio is not None and ratio is not None:
        passed = passed and ratio <= max_ratio
    if max_value is not None:
        passed = passed and value <= max_value
    targets = []
    if max_value is not None:
        targets.append(f"<= {max_value:g} {unit}")
    if max_ratio is not None:
        targets.append(f"<= {max_ratio:g}x")
    row = {
        "figure": figure,
        "value": round(value, 3),
        "unit": unit,
        "baseline": None if baseline is None else round(baseline, 3),
        "ratio": None if ratio is None else round(ratio, 2),
        "target": ", ".join(targets),
        "pass": passed,
        "note": note,
    }
    print("BENCH " + json.dumps(row), flush=True)
    return row


# --- databases of their own (benchmarks comparing "with" and "without" the addons) ---


def pg_connect(dbname="postgres"):
    """A psycopg2 connection (autocommit) to ``dbname`` from the PG* variables."""
    import psycopg2

    conn = psycopg2.connect(
        dbname=dbname,
        host=os.environ.get("PGHOST", "127.0.0.1"),
        port=os.environ.get("PGPORT", "5432"),
        user=os.environ.get("PGUSER"),
        password=os.environ.get("PGPASSWORD"),
    )
    conn.autocommit = True
    return conn


def copy_database(source, target):
    """Create database ``target`` as a copy of ``source`` (nobody may be connected to it)."""
    conn = pg_connect()
    try:
        with conn.cursor() as cr:
            cr.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    finally:
        conn.close()


def drop_database(name):
    conn = pg_connect()
    try:
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()


def run_odoo(dbname, *args):
    """Run ``python -m odoo server <args> --stop-after-init`` on ``dbname`` (e.g. ``-i crm``
    to create a database holding crm only); return its wall time in seconds."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "odoo", "server", *args, "--stop-after-init"]
    command += ["-d", dbname, f"--addons-path={REPO_ROOT}", "--log-level=warn", "--no-http"]
    for var, opt in (("PGHOST", "db_host"), ("PGPORT", "db_port"), ("PGUSER", "db_user")):
        if os.environ.get(var):
            command.append(f"--{opt}={os.environ[var]}")
    if os.environ.get("ODOO_DATA_DIR"):
        command.append(f"--data-dir={os.environ['ODOO_DATA_DIR']}")
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start


def vacuum_analyze(dbname):
    """Refresh PostgreSQL's statistics of ``dbname`` after bulk inserts or a copy, so
    that both sides of a comparison get the query plans of a database in use."""
    conn = pg_connect(dbname)
    try:
        with conn.cursor() as cr:
            cr.execute("VACUUM ANALYZE")
    finally:
        conn.close()
