"""Benchmark: customer health recompute.

``python3 tests/bench_health.py --db DB --size 100000`` fills DB (once) with
``size`` customers and ``10 * size`` interactions (``data/generators/health.py``),
then measures in the same run:

- the raw SQL aggregate reading the same inputs (every dimension of every
  customer in one statement, rows fetched): the floor;
- the first recompute (creates the health records, snapshots, churn warnings and
  intervention activities) and a nightly re-run, both through the scheduled
  action's path (``crm.health.engine._run`` with committed batches).

Targets: under 120 s, within 5x of the raw aggregate, peak memory under 1.5 GB.
Use a database of its own: the data stays there.
"""

import sys
import time

from bench_common import REPO_ROOT, best_of, emit, odoo_env, parse_args, peak_rss_mb

RAW_AGGREGATE = """
WITH members AS (
    SELECT id AS member_id, commercial_partner_id AS partner_id FROM res_partner
), staff AS (
    SELECT partner_id FROM res_users WHERE share IS NOT TRUE AND partner_id <> %(root)s
), touches AS (
    SELECT m.partner_id, f.date::date AS day
      FROM crm_followup f JOIN members m ON m.member_id = f.partner_id
    UNION ALL
    SELECT m.partner_id, msg.date::date
      FROM mail_message msg JOIN members m ON msg.res_id = m.member_id
     WHERE msg.model = 'res.partner' AND msg.message_type = ANY(%(types)s)
       AND msg.mail_activity_type_id IS NULL AND msg.author_id IN (SELECT partner_id FROM staff)
    UNION ALL
    SELECT m.partner_id, msg.date::date
      FROM mail_message msg JOIN crm_lead l ON msg.res_id = l.id
      JOIN members m ON m.member_id = l.partner_id
     WHERE msg.model = 'crm.lead' AND msg.message_type = ANY(%(types)s)
       AND msg.mail_activity_type_id IS NULL AND msg.author_id IN (SELECT partner_id FROM staff)
    UNION ALL
    SELECT m.partner_id, a.date_done
      FROM mail_activity a JOIN members m ON a.res_id = m.member_id
     WHERE a.res_model = 'res.partner' AND a.active IS NOT TRUE AND a.date_done IS NOT NULL
    UNION ALL
    SELECT m.partner_id, a.date_done
      FROM mail_activity a JOIN crm_lead l ON a.res_id = l.id
      JOIN members m ON m.member_id = l.partner_id
     WHERE a.res_model = 'crm.lead' AND a.active IS NOT TRUE AND a.date_done IS NOT NULL
    UNION ALL
    SELECT m.partner_id, e.start::date
      FROM calendar_event e JOIN calendar_event_res_partner_rel r ON r.calendar_event_id = e.id
      JOIN members m ON m.member_id = r.res_partner_id
     WHERE e.active
), touch_agg AS (
    SELECT partner_id, max(day) AS last_day, count(*) FILTER (WHERE day >= %(since)s) AS recent
      FROM touches WHERE day <= %(today)s GROUP BY partner_id
), complaint_agg AS (
    SELECT m.partner_id, count(*) AS total, count(*) FILTER (WHERE k.state <> 'resolved') AS open
      FROM crm_complaint k JOIN members m ON m.member_id = k.partner_id
     WHERE k.date_open >= %(complaints_since)s GROUP BY m.partner_id
), order_agg AS (
    SELECT m.partner_id,
           count(*) FILTER (WHERE l.won_status = 'won' AND l.date_closed >= %(since)s) AS won,
           count(*) FILTER (WHERE l.won_status = 'pending' AND l.active) AS pending
      FROM crm_lead l JOIN members m ON m.member_id = l.partner_id GROUP BY m.partner_id
)
SELECT s.partner_id, p.needs_match, t.last_day, t.recent, c.total, c.open, o.won, o.pending
  FROM crm_health_score s
  JOIN res_partner p ON p.id = s.partner_id
  LEFT JOIN touch_agg t ON t.partner_id = s.partner_id
  LEFT JOIN complaint_agg c ON c.partner_id = s.partner_id
  LEFT JOIN order_agg o ON o.partner_id = s.partner_id
"""


def raw_aggregate(env):
    from dateutil.relativedelta import relativedelta

    from odoo import fields

    today = fields.Date.today()
    env.cr.execute(
        RAW_AGGREGATE,
        {
            "root": env.ref("base.partner_root").id,
            "types": ["comment", "email", "email_outgoing", "sms"],
            "since": today - relativedelta(months=3),
            "complaints_since": today - relativedelta(months=6),
            "today": today,
        },
    )
    return len(env.cr.fetchall())


def recompute(env):
    from odoo import fields

    env.invalidate_all()
    start = time.perf_counter()
    done = env["crm.health.engine"]._run(fields.Datetime.now(), commit=True)
    elapsed = time.perf_counter() - start
    assert done, "the run did not finish"
    return elapsed


def main():
    args = parse_args("Customer health recompute benchmark", default_size=10_000)
    sys.path.insert(0, str(REPO_ROOT))
    from data.generators.health import existing_customers, generate

    with odoo_env(args.db) as env:
        if existing_customers(env) < args.size:
            start = time.perf_counter()
            counts = generate(env, args.size)
            env.cr.commit()
            print(f"generated {counts} in {time.perf_counter() - start:.1f} s", flush=True)

        first = recompute(env)
        env.cr.execute("SELECT count(*), count(*) FILTER (WHERE churn_risk) FROM crm_health_score")
        records, churn = env.cr.fetchone()
        env.cr.execute("SELECT risk_level, count(*) FROM crm_health_score GROUP BY 1 ORDER BY 1")
        spread = dict(env.cr.fetchall())
        time.sleep(1)  # the nightly run recomputes everything computed before it starts
        nightly = recompute(env)
        baseline = best_of(lambda: raw_aggregate(env), repeat=3)
        rows = raw_aggregate(env)

        note = f"{records} customers ({rows} aggregated), risk {spread}, {churn} churn risks"
        emit("health first recompute", first, "s", baseline, 5, 120, note)
        emit("health nightly recompute", nightly, "s", baseline, 5, 120, note)
        emit("health raw SQL aggregate (baseline)", baseline, "s")
        emit("health peak RSS", peak_rss_mb(), "MB", max_value=1536)


if __name__ == "__main__":
    main()
