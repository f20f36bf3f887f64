"""Overhead of both addons on everyday CRM work, on a CRM holding N customers.

Two databases with the same data (data/generators/crm_volume.py: N customers with a
contact each, 2 N leads, activities, notes): crm alone (the baseline) and the same
database after installing both addons in their default configuration (a company that
has configured nothing yet). Measured in this run, interleaved, best of 3, every
operation rolled back, as a salesperson who sees all leads; each with its SQL query
count (deterministic, where the wall time varies with the machine's load):

- installing both addons into the CRM with N customers (baseline: updating crm, -u,
  on the same data: both reload the registry and walk the same tables);
- creating 1 000 customers; creating 1 000 opportunities; moving 1 000 open leads to
  the next stage (one batch write); reading the pipeline list (20 pages of 80).

The database given by --db (the runner's, crm + both addons) only names the two
databases built here; they are dropped at the end.

    python3 tests/bench_install.py --db DB --size 10000
"""

import importlib.util
import time

from bench_common import (
    REPO_ROOT,
    copy_database,
    drop_database,
    emit,
    odoo_env,
    parse_args,
    pg_connect,
    run_odoo,
    vacuum_analyze,
)

from odoo import sql_db

ADDONS = "crm_process_std,crm_health_score"  # the product without sale
BATCH = 1000
PIPELINE_FIELDS = [
    "name",
    "partner_id",
    "expected_revenue",
    "stage_id",
    "user_id",
    "team_id",
    "priority",
    "tag_ids",
    "activity_date_deadline",
    "probability",
]


def generate_volume(dbname, customers):
    """Fill ``dbname`` with the CRM volume, through a connection of its own."""
    path = REPO_ROOT / "data" / "generators" / "crm_volume.py"
    spec = importlib.util.spec_from_file_location("crm_volume", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    conn = pg_connect(dbname)
    try:
        conn.autocommit = False
        with conn.cursor() as cr:
            counts = module.generate(cr, customers, seed=8)
        conn.commit()
    finally:
        conn.close()
    return counts


def salesperson(env):
    return env["res.users"].create(
        {
            "name": "Benchmark Salesperson",
            "login": "bench_salesperson",
            "group_ids": [(6, 0, [env.ref("sales_team.group_sale_salesman_all_leads").id])],
        }
    )


def create_customers(env):
    env["res.partner"].create(
        [
            {
                "name": f"Bench Customer {index}",
                "is_company": True,
                "email": f"buyer{index}@bench{index}.example.com",
                "phone": f"+8613900{index:06d}",
                "city": "Suzhou",
            }
            for index in range(BATCH)
        ]
    )


def create_leads(env):
    partners = env["res.partner"].search([("ref", "=like", "VOL-%")], limit=BATCH, order="id")
    env["crm.lead"].create(
        [
            {
                "name": f"Bench opportunity {index}",
                "type": "opportunity",
                "partner_id": partner.id,
                "expected_revenue": 1000 + index,
                "user_id": env.uid,
            }
            for index, partner in enumerate(partners)
        ]
    )


def move_leads(env):
    stages = env["crm.stage"].search([("is_won", "=", False)], order="sequence, id", limit=2)
    leads = env["crm.lead"].search(
        [("stage_id", "=", stages[0].id), ("won_status", "=", "pending")], limit=BATCH, order="id"
    )
    leads.write({"stage_id": stages[1].id})


def read_pipeline(env):
    Lead = env["crm.lead"]
    for page in range(20):
        Lead.search_read(
            [("type", "=", "opportunity")], PIPELINE_FIELDS, offset=page * 80, limit=80
        )


def timed(env, operation):
    """(wall time, SQL queries) of ``operation(env)`` flushed to the database, then
    rolled back (which also empties the record caches)."""
    savepoint = env.cr.savepoint()
    try:
        queries = sql_db.sql_counter
        start = time.perf_counter()
        operation(env)
        env.flush_all()
        return time.perf_counter() - start, sql_db.sql_counter - queries
    finally:
        savepoint.close(rollback=True)


def compare(envs, operation, repeat):
    """Best time and query count per environment, alternating them, after one warm-up
    run each (so a load peak of the machine hits both sides alike)."""
    best = {key: (None, None) for key in envs}
    for run in range(repeat + 1):
        for key, env in envs.items():
            elapsed, queries = timed(env, operation)
            if run and (best[key][0] is None or elapsed < best[key][0]):
                best[key] = (elapsed, queries)
    return best


def main():
    args = parse_args(__doc__.splitlines()[0], default_size=10000)
    base_db, addons_db = f"{args.db}_crm_only", f"{args.db}_with_addons"
    try:
        run_odoo(base_db, "-i", "crm")
        counts = generate_volume(base_db, args.size)
        copy_database(base_db, addons_db)
        upgrade_crm = run_odoo(base_db, "-u", "crm")
        install = run_odoo(addons_db, "-i", ADDONS)
        vacuum_analyze(base_db)
        vacuum_analyze(addons_db)
        data = f"{args.size:,} customers, {counts['crm.lead']:,} leads"
        emit(
            "install both addons", install, "s", upgrade_crm, max_ratio=5, note=f"{data}; vs -u crm"
        )

        with odoo_env(base_db) as base, odoo_env(addons_db) as addons:
            envs = {}
            for key, env in (("base", base), ("addons", addons)):
                envs[key] = env(user=salesperson(env))
            # figure, operation, runs, target ratio of time, target ratio of queries
            for figure, operation, repeat, max_ratio, max_queries in (
                (f"create {BATCH:,} customers", create_customers, 3, 1.5, 1.5),
                (f"create {BATCH:,} opportunities", create_leads, 3, 1.5, 1.5),
                (f"move {BATCH:,} leads to the next stage", move_leads, 3, 1.5, 1.5),
                ("read the pipeline list (20 pages of 80)", read_pipeline, 7, 1.25, 1.1),
            ):
                best = compare(envs, operation, repeat)
                (seconds, queries), (base_seconds, base_queries) = best["addons"], best["base"]
                emit(figure, seconds, "s", base_seconds, max_ratio=max_ratio, note=data)
                emit(f"{figure}: SQL queries", queries, "queries", base_queries, max_queries)
            base.cr.rollback()
            addons.cr.rollback()
    finally:
        drop_database(base_db)
        drop_database(addons_db)


if __name__ == "__main__":
    main()
