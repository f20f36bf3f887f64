"""Generate the history behind the process KPI report, in set-based SQL.

``generate(env, leads)`` reuses the diagnosis generator (``leads`` leads, their
messages, activities and follow-ups) and adds, deterministically:

- one handoff per won lead (accepted on time, accepted late, or still waiting),
- two SLA timers per lead on the first active process node (met or breached).

Rows are named ``BENCH ...``; run it on a database of its own.
"""

import importlib.util
from pathlib import Path


def _diagnosis():
    path = Path(__file__).resolve().parent / "diagnosis.py"
    spec = importlib.util.spec_from_file_location("diagnosis_generator", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def already_generated(env, leads):
    return _diagnosis().already_generated(env, leads)


def generate(env, leads, seed=0.42):
    """Insert the history; returns a dict of row counts."""
    counts = _diagnosis().generate(env, leads, seed=seed)
    node = env["crm.sla.node"].search([], limit=1, order="sequence, id")
    env.cr.execute("SELECT setseed(%s)", (seed / 2,))
    env.cr.execute(
        """
        INSERT INTO crm_handoff (name, lead_id, partner_id, company_id, sender_id, state,
                                 deadline, submitted_date, accepted_date, create_date, write_date)
        SELECT 'BENCH handoff ' || l.id, l.id, l.partner_id, l.company_id,
               COALESCE(l.user_id, 1), CASE WHEN r < 0.9 THEN 'accepted' ELSE 'submitted' END,
               l.date_closed + interval '2 days', l.date_closed,
               CASE WHEN r < 0.75 THEN l.date_closed + interval '1 day'
                    WHEN r < 0.9 THEN l.date_closed + interval '3 days' END,
               l.date_closed, l.date_closed
          FROM (SELECT l.*, random() AS r FROM crm_lead l
                 WHERE l.name LIKE 'BENCH %%' AND l.won_status = 'won'
                   AND l.date_closed IS NOT NULL) l
        """
    )
    counts["handoffs"] = env.cr.rowcount
    env.cr.execute(
        """
        INSERT INTO crm_sla_timer (node_id, lead_id, user_id, team_id, company_id, date_start,
                                   date_deadline, date_stop, state, escalation_level,
                                   time_limit_hours, create_date, write_date)
        SELECT %(node)s, l.id, l.user_id, l.team_id, l.company_id, s.start,
               s.start + interval '4 hours', s.start + (s.r * 6) * interval '1 hour',
               CASE WHEN s.r * 6 <= 4 THEN 'met' ELSE 'breached' END, '0', 4,
               s.start, s.start
          FROM crm_lead l
         CROSS JOIN LATERAL (SELECT l.create_date + (g - 1) * interval '2 days' AS start,
                                    random() AS r
                               FROM generate_series(1, 2) g) s
         WHERE l.name LIKE 'BENCH %%'
        """,
        {"node": node.id},
    )
    counts["sla_timers"] = env.cr.rowcount
    # the first contact of each lead, as the addon keeps it when messages are posted
    env["crm.kpi"]._kpi_store_first_contact()
    return counts
