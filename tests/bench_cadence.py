"""Benchmark: the cadence scheduled action over N open leads, 10 % of them due.

The baseline is one SQL query selecting the same due set (open leads whose last
follow-up, done activity or creation is older than the 7-day interval and that
have no open reminder), measured in the same run on the same data. The cron
must create exactly that many lead reminders, in < 60 s and within 5x of it.

    python3 tests/bench_cadence.py --db DB --size 100000
"""

import importlib.util
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from odoo import fields

from tests.bench_common import REPO_ROOT, best_of, emit, odoo_env, parse_args, peak_rss_mb

BASELINE = """
SELECT lead.id
  FROM crm_lead lead
 WHERE lead.active AND lead.won_status = 'pending'
   AND GREATEST(lead.last_contact_date, lead.create_date,
                (SELECT MAX(done.date_done)::timestamp FROM mail_activity done
                  WHERE done.res_model = 'crm.lead' AND done.res_id = lead.id
                    AND done.active IS NOT TRUE)) <= now() AT TIME ZONE 'UTC' - INTERVAL '7 days'
   AND NOT EXISTS (SELECT 1 FROM mail_activity open
                    WHERE open.res_model = 'crm.lead' AND open.res_id = lead.id
                      AND open.active AND open.crm_cadence_kind IS NOT NULL)
"""


def _generator():
    path = REPO_ROOT / "data" / "generators" / "cadence.py"
    spec = importlib.util.spec_from_file_location("cadence_generator", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _remove_new_reminders(cr, since):
    cr.execute(
        "DELETE FROM mail_activity WHERE crm_cadence_kind IS NOT NULL AND create_date >= %s",
        (since,),
    )
    cr.commit()


def main():
    args = parse_args(__doc__.splitlines()[0], default_size=100000)
    generator = _generator()
    with odoo_env(args.db) as env:
        cr = env.cr
        # Only the seeded "prospects every 7 days" lead rule, as in a fresh install.
        rules = env["crm.cadence.rule"].search([("applies_to", "=", "lead")])
        prospects = env.ref("crm_process_std_followup.cadence_rule_prospects")
        (rules - prospects).active = False
        prospects.write({"active": True, "interval_days": 7, "domain": "[]"})
        generator.clean(cr)
        start = time.perf_counter()
        due = generator.generate(cr, args.size)
        cr.commit()
        cr.execute("ANALYZE crm_lead")
        cr.execute("ANALYZE mail_activity")
        print(f"generated {args.size} leads ({due} due) in {time.perf_counter() - start:.1f} s")

        def baseline():
            cr.execute(BASELINE)
            return cr.fetchall()

        expected = len(baseline())
        baseline_s = best_of(baseline, repeat=3)

        def rule_query():
            return env.execute_query(prospects._due_records_sql(fields.Datetime.now()))

        assert len(rule_query()) == expected, "the rule selects the same due set"
        rule_query_s = best_of(rule_query, repeat=3)

        timings = []
        for _ in range(2):
            since = env.cr.now()
            env.invalidate_all()
            start = time.perf_counter()
            env["crm.cadence.rule"]._cron_create_due_activities()
            timings.append(time.perf_counter() - start)
            cr.execute(
                "SELECT count(*) FROM mail_activity WHERE res_model = 'crm.lead'"
                " AND crm_cadence_kind = 'reminder' AND active AND create_date >= %s",
                (since,),
            )
            created = cr.fetchone()[0]
            assert created == expected, f"cron created {created} reminders, expected {expected}"
            _remove_new_reminders(cr, since)
        cron_s = min(timings)

        emit("cadence due set (1 SQL query)", baseline_s, "s", note=f"{expected} due")
        emit(
            "cadence rule's own due-set query",
            rule_query_s,
            "s",
            baseline=baseline_s,
            note="the selection step of the cron",
        )
        emit(
            f"cadence cron, {args.size} open leads",
            cron_s,
            "s",
            baseline=baseline_s,
            max_ratio=5,
            max_value=60,
            note=f"{expected} reminders created; peak RSS {peak_rss_mb():.0f} MB",
        )
        emit(
            "cadence cron, reminders created per second",
            expected / cron_s,
            "/s",
            note="set-based insert of mail.activity in batches of 1000",
        )
        generator.clean(cr)
        cr.commit()


if __name__ == "__main__":
    main()
