"""Benchmark: scorecard backtest against one nightly recompute.

``python3 tests/bench_health_backtest.py --db DB --size 100000`` fills DB (once) with
``size`` customers and ``10 * size`` interactions (``data/generators/health.py``),
scores them once (the first recompute creates the health records), then measures in
the same run:

- one nightly recompute (``crm.health.engine._run``, every customer already scored):
  the baseline;
- the backtest of the standard scorecard over 12 month-ends with a 90-day horizon
  (``crm.health.backtest.action_run``): every customer scored as of each month-end and
  as of the end of its horizon, aggregated per combination of points;
- Propose Weights on that backtest (fitting on the aggregate: no target, shown for
  information).

Targets: backtest under 60 s and within 15x of the nightly recompute.
Use a database of its own: the data stays there.
"""

import sys
import time

from bench_common import REPO_ROOT, emit, odoo_env, parse_args, peak_rss_mb


def nightly(env):
    from odoo import fields

    env.invalidate_all()
    start = time.perf_counter()
    done = env["crm.health.engine"]._run(fields.Datetime.now(), commit=True)
    elapsed = time.perf_counter() - start
    assert done, "the run did not finish"
    return elapsed


def main():
    args = parse_args("Scorecard backtest benchmark", default_size=10_000)
    sys.path.insert(0, str(REPO_ROOT))
    from data.generators.health import existing_customers, generate

    with odoo_env(args.db) as env:
        if existing_customers(env) < args.size:
            start = time.perf_counter()
            counts = generate(env, args.size)
            env.cr.commit()
            print(f"generated {counts} in {time.perf_counter() - start:.1f} s", flush=True)
        first = nightly(env)
        print(f"first recompute {first:.1f} s", flush=True)
        time.sleep(1)  # the nightly run recomputes everything computed before it starts
        baseline = nightly(env)

        card = env.ref("crm_health_score.crm_health_scorecard_default")
        backtest = env["crm.health.backtest"].create(
            {"scorecard_id": card.id, "months": 12, "horizon_days": 90, "fit_thresholds": True}
        )
        env.cr.commit()
        env.invalidate_all()
        start = time.perf_counter()
        backtest.action_run()
        env.flush_all()
        elapsed = time.perf_counter() - start
        env.cr.commit()

        note = (
            f"{len(backtest.line_ids) // 3} month-ends {backtest.date_first} to "
            f"{backtest.date_last}, {backtest.customer_count} customer-months scored, "
            f"{backtest.churned_customer_count} customers churned, "
            f"{len(backtest.sudo().cell_data)} combinations of points, AUC {backtest.auc:.3f}"
        )
        emit("health backtest, 12 month-ends", elapsed, "s", baseline, 15, 60, note)
        emit("health nightly recompute (baseline)", baseline, "s")

        from odoo.exceptions import UserError

        start = time.perf_counter()
        proposed = backtest.enough_data
        if proposed:
            try:
                backtest.action_propose_weights()
            except UserError as error:  # no better weights: said, not a failure
                print(f"propose weights: {error}", flush=True)
                proposed = False
        fit = time.perf_counter() - start
        env.cr.commit()
        if proposed:
            emit(
                "health propose weights (fitting on the backtest's aggregate)",
                fit,
                "s",
                note=f"AUC {backtest.auc:.3f} -> {backtest.proposed_auc:.3f}",
            )
        emit("health backtest peak RSS", peak_rss_mb(), "MB", max_value=1536)


if __name__ == "__main__":
    main()
