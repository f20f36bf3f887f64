"""Generate customers and their history for the health-score benchmark.

Set-based SQL only, deterministic for a given seed (pseudo-random values come
from PostgreSQL's ``hashint4``, never ``random()``): ``size`` commercial
customers and ``10 * size`` interactions spread over the last year, made of
follow-ups (40 %), staff notes on the customer (40 %), opportunities (15 %, four
in five won) and complaints (5 %, half of them unresolved). Each customer gets an
activity profile (busy, occasional or dormant) so that every risk level shows up.

Usage from a script holding an Odoo environment::

    from data.generators.health import generate
    counts = generate(env, size=100_000)
"""

from odoo.tools import SQL

MARKER = "Bench Customer "


def _rand(expression, modulo, seed):
    """SQL for a deterministic pseudo-random integer in [0, modulo)."""
    return SQL(
        "((hashint4((%s)::int # %s) & 2147483647) %% %s)",
        SQL(expression),
        seed,
        modulo,
    )


def existing_customers(env):
    env.cr.execute("SELECT count(*) FROM res_partner WHERE name LIKE %s", [MARKER + "%"])
    return env.cr.fetchone()[0]


def generate(env, size, seed=42):
    """Insert ``size`` customers and ``10 * size`` interactions; return the counts."""
    cr = env.cr
    uid = env.uid
    company = env.ref("base.main_company").id
    sellers = env["res.users"].search([("share", "=", False)], order="id").ids or [uid]
    staff_partners = env["res.users"].browse(sellers).partner_id.ids
    won_stage = env["crm.stage"].search([("is_won", "=", True)], limit=1).id
    open_stage = env["crm.stage"].search([("is_won", "=", False)], limit=1).id
    team = env["crm.team"].search([], limit=1).id
    note = env.ref("mail.mt_note").id

    # Customers: profile 0 (busy) .. 9 (dormant) drives how far back their history goes.
    cr.execute(
        SQL(
            """
        INSERT INTO res_partner (
            name, complete_name, is_company, active, type, partner_share, lang,
            user_id, customer_success_user_id, needs_match,
            create_uid, create_date, write_uid, write_date)
        SELECT %(marker)s || i, %(marker)s || i, TRUE, TRUE, 'contact', TRUE, 'en_US',
               (%(sellers)s::int[])[1 + %(seller)s],
               CASE WHEN %(success)s < 3 THEN (%(sellers)s::int[])[1 + %(seller)s] END,
               (ARRAY['high', 'medium', 'low', NULL])[1 + %(needs)s],
               %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
          FROM generate_series(1, %(size)s) AS i
            """,
            marker=MARKER,
            sellers=sellers,
            seller=_rand("i", len(sellers), seed),
            success=_rand("i", 10, seed + 1),
            needs=_rand("i", 4, seed + 2),
            uid=uid,
            size=size,
        )
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id "
        "WHERE commercial_partner_id IS NULL AND name LIKE %s",
        [MARKER + "%"],
    )
    cr.execute(
        "CREATE TEMP TABLE bench_customer ON COMMIT DROP AS "
        "SELECT row_number() OVER (ORDER BY id) AS n, id, user_id FROM res_partner "
        "WHERE name LIKE %s",
        [MARKER + "%"],
    )
    cr.execute("CREATE INDEX ON bench_customer (n)")

    def interactions(table_sql, count, salt):
        """INSERT ... SELECT over ``count`` interactions, each tied to a customer
        and a day within its profile's horizon: 60 % busy customers (45 days),
        25 % occasional ones (120 days), 15 % dormant ones (365 days)."""
        cr.execute(
            SQL(
                """
            WITH picks AS (
                SELECT j, 1 + %(customer)s AS n FROM generate_series(1, %(count)s) AS j
            ), drawn AS (
                SELECT p.j, c.id AS partner_id, c.user_id,
                       (now() at time zone 'UTC')::date - (
                           %(day)s %% CASE WHEN %(profile)s < 60 THEN 45
                                           WHEN %(profile)s < 85 THEN 120 ELSE 365 END
                       ) AS day
                  FROM picks p JOIN bench_customer c ON c.n = p.n
            )
            %(insert)s
                """,
                customer=_rand("j", size, seed + salt),
                count=count,
                day=_rand("j", 1000, seed + salt + 1),
                profile=_rand("c.n", 100, seed + 3),
                insert=table_sql,
            )
        )
        return cr.rowcount

    counts = {"customers": size}
    counts["followups"] = interactions(
        SQL(
            """
        INSERT INTO crm_followup (partner_id, date, channel, user_id, company_id,
                                  create_uid, create_date, write_uid, write_date)
        SELECT partner_id, day + time '10:00',
               (ARRAY['phone', 'email', 'visit', 'wechat'])[1 + j %% 4],
               COALESCE(user_id, %(uid)s), %(company)s,
               %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
          FROM drawn
            """,
            uid=uid,
            company=company,
        ),
        4 * size,
        10,
    )
    counts["messages"] = interactions(
        SQL(
            """
        INSERT INTO mail_message (model, res_id, message_type, subtype_id, author_id, body,
                                  date, create_uid, create_date, write_uid, write_date)
        SELECT 'res.partner', partner_id, 'comment', %(note)s,
               (%(staff)s::int[])[1 + j %% %(staff_count)s],
               '<p>Called the customer.</p>', day + time '15:00',
               %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
          FROM drawn
            """,
            note=note,
            staff=staff_partners,
            staff_count=len(staff_partners),
            uid=uid,
        ),
        4 * size,
        20,
    )
    counts["opportunities"] = interactions(
        SQL(
            """
        INSERT INTO crm_lead (name, type, active, partner_id, user_id, team_id, company_id,
                              stage_id, probability, won_status, date_closed, date_open,
                              expected_revenue, priority,
                              create_uid, create_date, write_uid, write_date)
        SELECT 'Bench order ' || j, 'opportunity', TRUE, partner_id, user_id, %(team)s,
               %(company)s,
               CASE WHEN j %% 5 = 0 THEN %(open_stage)s ELSE %(won_stage)s END,
               CASE WHEN j %% 5 = 0 THEN 20 ELSE 100 END,
               CASE WHEN j %% 5 = 0 THEN 'pending' ELSE 'won' END,
               CASE WHEN j %% 5 = 0 THEN NULL ELSE day + time '12:00' END,
               day - 30, 1000 * (1 + j %% 50), '0',
               %(uid)s, day - 30, %(uid)s, now() at time zone 'UTC'
          FROM drawn
            """,
            team=team,
            company=company,
            open_stage=open_stage,
            won_stage=won_stage,
            uid=uid,
        ),
        size * 3 // 2,
        30,
    )
    counts["complaints"] = interactions(
        SQL(
            """
        INSERT INTO crm_complaint (name, partner_id, severity, state, date_open, resolved_date,
                                   company_id, create_uid, create_date, write_uid, write_date)
        SELECT 'Bench complaint ' || j, partner_id,
               CASE WHEN j %% 4 = 0 THEN 'urgent' ELSE 'normal' END,
               CASE WHEN j %% 2 = 0 THEN 'resolved' ELSE 'open' END,
               day + time '09:00',
               CASE WHEN j %% 2 = 0 THEN day + 3 + time '09:00' END,
               %(company)s, %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
          FROM drawn
            """,
            company=company,
            uid=uid,
        ),
        size // 2,
        40,
    )
    cr.execute("ANALYZE res_partner, crm_followup, mail_message, crm_lead, crm_complaint")
    env.invalidate_all()
    return counts
