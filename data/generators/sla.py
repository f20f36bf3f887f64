"""SLA volume for the crash test and benchmarks, inserted with set-based SQL.

``generate(cr, size)`` adds ``size`` opportunities named ``BENCH sla <n>``, each with
one running SLA timer, so that every step of the SLA scheduled action
(``crm.sla.timer._cron_check_timers``) has work. By row number ``g``:

- ``g % 8 == 0``: the lead is archived (lost): its timer is cancelled;
- ``g % 8 == 1``: the lead is won and its handoff accepted 3 hours after the timer of
  the handoff node started: the timer stops, met;
- ``g % 8 in (2, 3, 4)``: the deadline passed 3 days ago: breached, then escalated to
  the team leader;
- ``g % 8 == 5``: the deadline passed an hour ago: breached, the owner reminded;
- ``g % 8 in (6, 7)``: the deadline is in 2 days: nothing to do.

Deterministic (values derive from the row number; times from now, far from every
threshold). Needs the nodes of crm_process_std's data (a node stopped by a follow-up,
one stopped by the handoff's acceptance). ``clean(cr)`` removes what it added.

Run alone: ``python3 data/generators/sla.py --db DB --size 100000``.
"""

import argparse

PREFIX = "BENCH sla "


def clean(cr):
    """Remove the generated leads, their timers, handoffs and activities."""
    leads = "SELECT id FROM crm_lead WHERE name LIKE %s"
    cr.execute(f"DELETE FROM crm_sla_timer WHERE lead_id IN ({leads})", (PREFIX + "%",))
    cr.execute(f"DELETE FROM crm_handoff WHERE lead_id IN ({leads})", (PREFIX + "%",))
    cr.execute(
        f"DELETE FROM mail_activity WHERE res_model = 'crm.lead' AND res_id IN ({leads})",
        (PREFIX + "%",),
    )
    cr.execute("DELETE FROM crm_lead WHERE name LIKE %s", (PREFIX + "%",))


def _node(cr, stop_event):
    cr.execute(
        "SELECT id, time_limit_hours FROM crm_sla_node"
        " WHERE active AND stop_event = %s ORDER BY sequence, id LIMIT 1",
        (stop_event,),
    )
    row = cr.fetchone()
    if not row:
        raise ValueError(f"no active SLA node stopped by {stop_event}")
    return row


def generate(cr, size):
    """Insert ``size`` leads with one running timer each; return {kind: count}."""
    research_node, research_hours = _node(cr, "followup_logged")
    handoff_node, handoff_hours = _node(cr, "handoff_accepted")
    cr.execute(
        "SELECT id FROM res_users WHERE active AND share IS NOT TRUE AND id > 1 ORDER BY id LIMIT 5"
    )
    users = [row[0] for row in cr.fetchall()]
    cr.execute("SELECT id FROM crm_stage WHERE is_won IS NOT TRUE ORDER BY sequence, id LIMIT 1")
    open_stage = cr.fetchone()[0]
    cr.execute("SELECT id FROM crm_stage WHERE is_won ORDER BY sequence, id LIMIT 1")
    won_stage = cr.fetchone()[0]
    # a team with a leader: level 2 escalates to it
    cr.execute("SELECT id FROM crm_team WHERE active ORDER BY user_id IS NULL, id LIMIT 1")
    team_id = cr.fetchone()[0]
    cr.execute("SELECT id FROM res_company ORDER BY id LIMIT 1")
    company_id = cr.fetchone()[0]
    params = {
        "prefix": PREFIX,
        "users": users,
        "n_users": len(users),
        "team": team_id,
        "company": company_id,
        "open_stage": open_stage,
        "won_stage": won_stage,
        "size": size,
    }
    cr.execute(
        """
        INSERT INTO crm_lead (
            name, type, active, user_id, team_id, company_id, stage_id, won_status,
            probability, automated_probability, expected_revenue, priority,
            create_uid, write_uid, create_date, write_date, date_open,
            date_last_stage_update, date_closed)
        SELECT %(prefix)s || g, 'opportunity', g %% 8 != 0,
               (%(users)s::int[])[1 + g %% %(n_users)s], %(team)s, %(company)s,
               CASE WHEN g %% 8 = 1 THEN %(won_stage)s ELSE %(open_stage)s END,
               CASE WHEN g %% 8 = 1 THEN 'won' WHEN g %% 8 = 0 THEN 'lost' ELSE 'pending' END,
               CASE WHEN g %% 8 = 1 THEN 100 ELSE 10 END, 10, 1000 + g %% 50 * 100, '1',
               1, 1, now() - INTERVAL '10 days', now() - INTERVAL '10 days',
               now() - INTERVAL '10 days', now() - INTERVAL '5 days',
               CASE WHEN g %% 8 = 1 THEN now() - INTERVAL '1 day' END
          FROM generate_series(1, %(size)s) AS g
        """,
        params,
    )
    lead_rows = """
        SELECT l.id, l.user_id, substring(l.name FROM length(%(prefix)s) + 1)::int AS g
          FROM crm_lead l WHERE l.name LIKE %(prefix)s || '%%'
    """
    cr.execute(
        f"""
        INSERT INTO crm_handoff (name, lead_id, company_id, sender_id, state,
                                 submitted_date, accepted_date, accepted_by_id,
                                 create_uid, write_uid, create_date, write_date)
        SELECT 'Handoff: BENCH sla ' || x.g, x.id, %(company)s, x.user_id, 'accepted',
               now() - INTERVAL '22 hours', now() - INTERVAL '21 hours', 1,
               1, 1, now() - INTERVAL '1 day', now() - INTERVAL '21 hours'
          FROM ({lead_rows}) AS x WHERE x.g %% 8 = 1
        """,
        params,
    )
    cr.execute(
        f"""
        INSERT INTO crm_sla_timer (node_id, lead_id, user_id, team_id, company_id,
                                   date_start, date_deadline, time_limit_hours, state,
                                   escalation_level, escalated, duration_hours,
                                   create_uid, write_uid, create_date, write_date)
        SELECT CASE WHEN x.g %% 8 = 1 THEN %(handoff_node)s ELSE %(research_node)s END,
               x.id, x.user_id, %(team)s, %(company)s, s.start,
               s.start + CASE WHEN x.g %% 8 = 1 THEN %(handoff_hours)s ELSE %(research_hours)s END
                         * INTERVAL '1 hour',
               CASE WHEN x.g %% 8 = 1 THEN %(handoff_hours)s ELSE %(research_hours)s END,
               'running', '0', FALSE, 0, 1, 1, s.start, s.start
          FROM ({lead_rows}) AS x
          CROSS JOIN LATERAL (SELECT CASE
                WHEN x.g %% 8 = 1 THEN now() - INTERVAL '1 day'
                WHEN x.g %% 8 IN (2, 3, 4) THEN now() - INTERVAL '3 days'
                     - %(research_hours)s * INTERVAL '1 hour'
                WHEN x.g %% 8 = 5 THEN now() - INTERVAL '1 hour'
                     - %(research_hours)s * INTERVAL '1 hour'
                ELSE now() + INTERVAL '2 days' - %(research_hours)s * INTERVAL '1 hour'
                END AS start) AS s
        """,
        {
            **params,
            "research_node": research_node,
            "research_hours": research_hours,
            "handoff_node": handoff_node,
            "handoff_hours": handoff_hours,
        },
    )
    cr.execute(
        """
        SELECT CASE WHEN g %% 8 = 0 THEN 'cancel' WHEN g %% 8 = 1 THEN 'stop'
                    WHEN g %% 8 IN (2, 3, 4) THEN 'escalate' WHEN g %% 8 = 5 THEN 'breach'
                    ELSE 'wait' END, count(*)
          FROM generate_series(1, %(size)s) AS g GROUP BY 1
        """,
        params,
    )
    return dict(cr.fetchall())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--clean", action="store_true", help="remove generated rows first")
    args = parser.parse_args()
    import psycopg2

    with psycopg2.connect(dbname=args.db) as conn, conn.cursor() as cr:
        if args.clean:
            clean(cr)
        print(generate(cr, args.size))


if __name__ == "__main__":
    main()
