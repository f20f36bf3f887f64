"""Open leads for the cadence benchmark and demos, inserted with set-based SQL.

``generate(cr, size, due_share=0.1)`` adds ``size`` open opportunities named
``BENCH cadence <n>``: one in ``1 / due_share`` was last contacted 8 to 12 days
ago (due under a 7-day cadence), the others 0 to 6 days ago; every other lead
also has a done call in its history, older than its last contact. Deterministic
(no randomness: values derive from the row number). ``clean(cr)`` removes them.

Run alone: ``python3 data/generators/cadence.py --db DB --size 100000``.
"""

import argparse

PREFIX = "BENCH cadence "


def clean(cr):
    """Remove the generated leads and every activity attached to them."""
    cr.execute(
        "DELETE FROM mail_activity WHERE res_model = 'crm.lead' AND res_id IN "
        "(SELECT id FROM crm_lead WHERE name LIKE %s)",
        (PREFIX + "%",),
    )
    cr.execute(
        "DELETE FROM mail_followers WHERE res_model = 'crm.lead' AND res_id IN "
        "(SELECT id FROM crm_lead WHERE name LIKE %s)",
        (PREFIX + "%",),
    )
    cr.execute("DELETE FROM crm_lead WHERE name LIKE %s", (PREFIX + "%",))


def generate(cr, size, due_share=0.1):
    """Insert ``size`` open leads, ``due_share`` of them due; return the due count."""
    step = round(1 / due_share)
    cr.execute(
        "SELECT id FROM res_users WHERE active AND share IS NOT TRUE AND id > 1 ORDER BY id LIMIT 5"
    )
    users = [row[0] for row in cr.fetchall()]
    cr.execute("SELECT id FROM crm_stage WHERE is_won IS NOT TRUE ORDER BY sequence, id LIMIT 1")
    stage_id = cr.fetchone()[0]
    cr.execute("SELECT id FROM crm_team WHERE active ORDER BY id LIMIT 1")
    team_id = cr.fetchone()[0]
    cr.execute("SELECT id FROM res_company ORDER BY id LIMIT 1")
    company_id = cr.fetchone()[0]
    cr.execute(
        """
        INSERT INTO crm_lead (
            name, type, active, user_id, team_id, company_id, stage_id, won_status,
            probability, automated_probability, expected_revenue, priority,
            create_uid, write_uid, create_date, write_date, date_open,
            date_last_stage_update, last_contact_date, last_contact_channel)
        SELECT %(prefix)s || g, 'opportunity', TRUE, (%(users)s::int[])[1 + g %% %(n_users)s],
               %(team)s, %(company)s, %(stage)s, 'pending', 10, 10, 1000 + g %% 50 * 100, '1',
               1, 1, now() - INTERVAL '30 days', now() - INTERVAL '30 days',
               now() - INTERVAL '30 days', now() - INTERVAL '1 day',
               CASE WHEN g %% %(step)s = 0
                    THEN now() - (8 + g %% 5) * INTERVAL '1 day'
                    ELSE now() - (g %% 7) * INTERVAL '1 day' - (g %% 23) * INTERVAL '1 hour'
               END,
               'phone'
          FROM generate_series(1, %(size)s) AS g
        """,
        {
            "prefix": PREFIX,
            "users": users,
            "n_users": len(users),
            "team": team_id,
            "company": company_id,
            "stage": stage_id,
            "step": step,
            "size": size,
        },
    )
    # Their owners follow them, as when leads are created through the ORM.
    cr.execute(
        """
        INSERT INTO mail_followers (res_model, res_id, partner_id)
        SELECT 'crm.lead', lead.id, users.partner_id
          FROM crm_lead lead JOIN res_users users ON users.id = lead.user_id
         WHERE lead.name LIKE %s
        ON CONFLICT DO NOTHING
        """,
        (PREFIX + "%",),
    )
    # History: a done call before the last contact on every other lead.
    cr.execute(
        """
        INSERT INTO mail_activity (
            res_model_id, res_model, res_id, res_name, activity_type_id, summary,
            date_deadline, date_done, user_id, active, automated,
            create_uid, write_uid, create_date, write_date)
        SELECT model.id, 'crm.lead', lead.id, lead.name, type.id, 'Call',
               (lead.last_contact_date - INTERVAL '1 day')::date,
               (lead.last_contact_date - INTERVAL '1 day')::date,
               lead.user_id, FALSE, FALSE, 1, 1, now(), now()
          FROM crm_lead lead
          JOIN ir_model model ON model.model = 'crm.lead'
          JOIN LATERAL (SELECT id FROM mail_activity_type WHERE category = 'phonecall'
                        ORDER BY id LIMIT 1) type ON TRUE
         WHERE lead.name LIKE %s AND lead.id %% 2 = 0
        """,
        (PREFIX + "%",),
    )
    return size // step


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.bench_common import odoo_env

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--size", type=int, default=100000)
    args = parser.parse_args()
    with odoo_env(args.db) as env:
        clean(env.cr)
        print(f"{generate(env.cr, args.size)} of {args.size} leads due")
