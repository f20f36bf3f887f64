"""Benchmark: the process KPI report pivot grouped by month x sales team.

python3 tests/bench_kpi_pivot.py --db DB --size 100000

Builds (once) ``size`` leads with their messages, activities, follow-ups,
handoffs and SLA timers (data/generators/kpi_report.py), then times what the
pivot view asks for: ``formatted_read_grouping_sets`` on ``crm.kpi.report``
with the grouping sets of a month x team pivot and every KPI measure, as a
salesperson with "all documents" would. Baseline: a plain ``formatted_read_group``
on ``crm.lead`` grouped by creation month x team in the same run. Target: under
2 s for 100 000 leads. Run it on a database of its own: the generated rows stay.
"""

import importlib.util
import time

from bench_common import REPO_ROOT, best_of, emit, odoo_env, parse_args, peak_rss_mb

MEASURES = [
    "lead_count:sum",
    "converted_count:sum",
    "lead_to_opportunity_rate:avg",
    "completeness_rate:avg",
    "first_response_hours:avg",
    "won_count:sum",
    "lost_count:sum",
    "conversion_rate:avg",
    "handoff_due_count:sum",
    "handoff_ontime_rate:avg",
    "sla_breach_count:sum",
    "sla_breach_rate:avg",
]
GROUPING_SETS = [[], ["date:month"], ["team_id"], ["date:month", "team_id"]]


def _generator():
    path = REPO_ROOT / "data" / "generators" / "kpi_report.py"
    spec = importlib.util.spec_from_file_location("kpi_report_generator", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    args = parse_args(__doc__.splitlines()[0], default_size=100_000)
    generator = _generator()
    with odoo_env(args.db) as env:
        if not generator.already_generated(env, args.size):
            start = time.perf_counter()
            counts = generator.generate(env, args.size)
            env.cr.commit()
            emit("generate history", time.perf_counter() - start, "s", note=str(counts))
        env.cr.execute("ANALYZE")

    with odoo_env(args.db) as env:
        manager = env.ref("base.user_admin")
        report = env["crm.kpi.report"].with_user(manager)
        leads = env["crm.lead"].with_user(manager).with_context(active_test=False)

        def baseline():
            leads.formatted_read_group(
                [], ["create_date:month", "team_id"], ["__count", "expected_revenue:sum"]
            )

        def pivot():
            return report.formatted_read_grouping_sets([], GROUPING_SETS, MEASURES)

        floor = best_of(baseline)
        elapsed = best_of(pivot)
        groups = pivot()
        rows = report.search_count([])
        emit(
            f"KPI pivot month x team, {args.size} leads ({rows} report rows)",
            elapsed,
            "s",
            baseline=floor,
            max_value=2,
            note=f"{len(groups[-1])} month x team cells; peak RSS {peak_rss_mb():.0f} MB",
        )
        start = time.perf_counter()
        report.formatted_read_group([], ["date:month", "team_id"], MEASURES)
        emit("KPI graph/read_group month x team", time.perf_counter() - start, "s", max_value=2)
        env.cr.rollback()


if __name__ == "__main__":
    main()
