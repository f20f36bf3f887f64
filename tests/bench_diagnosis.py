"""Benchmark: the CRM diagnosis over a large history.

python3 tests/bench_diagnosis.py --db DB --size 100000

Builds (once) ``size`` leads, ``10 * size`` chatter messages, ``2 * size``
activities and ``size`` follow-ups with data/generators/diagnosis.py, then times
a full diagnosis (every figure over the last 6 months, company-wide, per team
and per salesperson, saved as "before" snapshots). Baseline: one raw SQL pass
aggregating the same tables (leads, messages, activities, follow-ups). Target:
under 30 s for 100 000 leads and 1 000 000 messages. Run it on a database of
its own: the generated rows stay.
"""

import importlib.util
import time

from bench_common import REPO_ROOT, best_of, emit, odoo_env, parse_args, peak_rss_mb

BASELINE_SQL = """
SELECT (SELECT count(*) FROM crm_lead WHERE create_date >= %(start)s),
       (SELECT count(*) FROM mail_message WHERE model IN ('crm.lead', 'res.partner')
                                            AND message_type IN ('comment', 'email')),
       (SELECT count(*) FROM mail_activity WHERE res_model = 'crm.lead'
                                             AND date_deadline >= %(start)s::date),
       (SELECT count(*) FROM crm_followup WHERE date >= %(start)s)
"""


def _generator():
    path = REPO_ROOT / "data" / "generators" / "diagnosis.py"
    spec = importlib.util.spec_from_file_location("diagnosis_generator", path)
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

    with odoo_env(args.db) as env:
        Diagnosis = env["crm.process.diagnosis"]
        diagnosis = Diagnosis.create({"name": "Benchmark diagnosis", "months": 6})
        date_from, date_to = diagnosis._window()

        def baseline():
            env.cr.execute(BASELINE_SQL, {"start": date_from})
            env.cr.fetchall()

        def run():
            diagnosis.action_run()
            env.flush_all()

        floor = best_of(baseline)
        elapsed = best_of(run, repeat=2)
        kpi = env["crm.kpi"]
        for line in diagnosis.line_ids:
            start = time.perf_counter()
            kpi._kpi_compute(line.kpi_code, date_from, date_to, by_team=True, by_user=True)
            emit(
                f"figure {line.kpi_code}",
                time.perf_counter() - start,
                "s",
                note=f"value {line.value:g} over {line.denominator:g} records",
            )
        emit(
            f"diagnosis, {args.size} leads / {10 * args.size} messages",
            elapsed,
            "s",
            baseline=floor,
            max_value=30,
            note=f"{len(diagnosis.snapshot_ids)} before snapshots; peak RSS {peak_rss_mb():.0f} MB",
        )
        env.cr.rollback()


if __name__ == "__main__":
    main()
