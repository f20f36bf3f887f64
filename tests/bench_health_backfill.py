"""Benchmark: health history backfilled from the data, against one nightly recompute.

``python3 tests/bench_health_backfill.py --db DB --size 100000`` fills DB (once) with
``size`` customers and ``10 * size`` interactions (``data/generators/health.py``),
scores them once (the first recompute creates the health records and this week's
snapshots) and refreshes the statistics, then measures in the same run:

- one nightly recompute (``crm.health.engine._run``, every customer already scored):
  the reference;
- Backfill History of 12 months of weekly snapshots as the scheduled action runs it
  (``crm.health.engine._cron_backfill``, committed batches): every customer scored as
  of the last day of each week of the year, its snapshots inserted (the current week
  is the nightly recompute's: 52 weekly snapshots per customer with it);
- the same backfill run again (nothing changed: no snapshot rewritten), for
  information.

Target: the backfill of 52 weekly snapshots under 120 s.
Use a database of its own: the data stays there.
"""

import sys
import time

from bench_common import REPO_ROOT, emit, odoo_env, parse_args, peak_rss_mb, vacuum_analyze


def nightly(env):
    from odoo import fields

    env.invalidate_all()
    start = time.perf_counter()
    done = env["crm.health.engine"]._run(fields.Datetime.now(), commit=True)
    elapsed = time.perf_counter() - start
    assert done, "the run did not finish"
    return elapsed


def backfill(env):
    """Ask for 12 months of history and run the scheduled action until done."""
    engine, Run = env["crm.health.engine"], env["crm.health.backfill.run"]
    # The install's backfill (asked for when the addons were installed on the empty
    # database, before the data was generated): not the one measured.
    Run.search([("state", "=", "waiting")]).write({"state": "done"})
    run = engine._backfill_request(12)
    env.cr.commit()
    env.invalidate_all()
    start = time.perf_counter()
    while run.state == "waiting":
        engine._cron_backfill()
        env.invalidate_all()
    elapsed = time.perf_counter() - start
    env.cr.commit()
    return elapsed


def history(env):
    env.cr.execute(
        """SELECT count(*) FILTER (WHERE backfilled),
                  count(*) FILTER (WHERE backfilled IS NOT TRUE),
                  count(DISTINCT period_start), count(DISTINCT health_id),
                  count(*) FILTER (WHERE backfilled AND state = 'insufficient_data')
             FROM crm_health_snapshot"""
    )
    return env.cr.fetchone()


def main():
    args = parse_args("Health history backfill benchmark", default_size=10_000)
    sys.path.insert(0, str(REPO_ROOT))
    from data.generators.health import existing_customers, generate

    with odoo_env(args.db) as env:
        if existing_customers(env) < args.size:
            start = time.perf_counter()
            counts = generate(env, args.size)
            env.cr.commit()
            print(f"generated {counts} in {time.perf_counter() - start:.1f} s", flush=True)
        env["ir.config_parameter"].sudo().set_param("crm_health_score.snapshot_period", "week")
        env.cr.commit()
        first = nightly(env)
        print(f"first recompute {first:.1f} s", flush=True)
        # The query plans of a database in use: the first recompute wrote every
        # health record and snapshot since the last statistics. (Committed first:
        # VACUUM waits for the locks of an open transaction.)
        env.cr.commit()
        vacuum_analyze(args.db)
        time.sleep(1)  # the nightly run recomputes everything computed before it starts
        baseline = nightly(env)

        elapsed = backfill(env)
        backfilled, recorded, periods, customers, insufficient = history(env)
        again = backfill(env)

        note = (
            f"{periods} weeks x {customers} customers: {backfilled} snapshots backfilled "
            f"({insufficient} of them insufficient data), {recorded} recorded by the "
            "nightly recompute kept"
        )
        emit("health backfill, 52 weekly snapshots", elapsed, "s", baseline, None, 120, note)
        emit("health nightly recompute (reference)", baseline, "s")
        emit(
            "health backfill run again (nothing to rewrite)",
            again,
            "s",
            note=f"{history(env)[0]} snapshots backfilled after it",
        )
        emit("health backfill peak RSS", peak_rss_mb(), "MB", max_value=1536)


if __name__ == "__main__":
    main()
