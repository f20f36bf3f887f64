"""Generate open leads for the stage-requirement benchmark (set-based SQL).

``generate(env, size, team, stage, seed=42)`` inserts ``size`` opportunities of
``team`` in ``stage`` with every standard field filled, each linked to one of a
few customer companies that have an industry, and returns them as a recordset.
Deterministic for a given seed.
"""

import random

from odoo.tools import SQL


def generate(env, size, team, stage, seed=42):
    rng = random.Random(seed)
    industry = env.ref("base.res_partner_industry_C")
    companies = env["res.partner"].create(
        [
            {"name": f"Bench Customer {index}", "is_company": True, "industry_id": industry.id}
            for index in range(10)
        ]
    )
    decision_maker = env["res.partner"].create(
        {"name": "Bench Decision Maker", "parent_id": companies[0].id}
    )
    env.flush_all()
    revenues = [rng.choice((20_000, 80_000, 150_000, 400_000)) for _index in range(size)]
    partners = [companies[rng.randrange(len(companies))].id for _index in range(size)]
    env.cr.execute(
        SQL(
            """
            INSERT INTO crm_lead (
                name, type, active, team_id, stage_id, user_id, company_id, partner_id,
                phone, email_from, expected_revenue, prorated_revenue, core_need,
                need_priority, decision_maker_id, probability, won_status,
                date_last_stage_update, date_open, create_date, write_date,
                create_uid, write_uid
            )
            SELECT 'Bench lead ' || n, 'opportunity', TRUE, %(team)s, %(stage)s, %(user)s,
                   %(company)s, (%(partners)s::int[])[n], '+86 138 0013 ' || lpad(n::text, 4, '0'),
                   'bench' || n || '@example.com', (%(revenues)s::numeric[])[n], 0,
                   'Lower production costs', 'high', %(maker)s, 10, 'pending',
                   now() at time zone 'UTC', now() at time zone 'UTC',
                   now() at time zone 'UTC', now() at time zone 'UTC', %(user)s, %(user)s
            FROM generate_series(1, %(size)s) AS n
            RETURNING id
            """,
            team=team.id,
            stage=stage.id,
            user=env.uid,
            company=env.company.id,
            partners=partners,
            revenues=revenues,
            maker=decision_maker.id,
            size=size,
        )
    )
    ids = [row[0] for row in env.cr.fetchall()]
    return env["crm.lead"].browse(ids)
