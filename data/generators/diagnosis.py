"""Generate a CRM history for the diagnosis benchmark, in set-based SQL.

``generate(env, leads)`` adds, deterministically (seeded ``random()``):

- ``leads / 5`` customer companies with a salesperson,
- ``leads`` leads and opportunities created over the last 7 months (won, lost,
  open; partly filled standard fields; some left unassigned),
- ``10 * leads`` chatter messages on those leads and customers (notes, emails,
  notifications, done activities),
- ``2 * leads`` activities (done on time, done late, overdue, planned),
- ``leads`` follow-ups and ``leads / 50`` complaints.

Rows are named ``BENCH ...`` so that a second call can tell they exist. Run it on
a database of its own: it is meant to be thrown away.
"""

SALESPEOPLE = 12
TEAMS = 3


def _exec(env, query, params=None):
    env.cr.execute(query, params or {})


def already_generated(env, leads):
    env.cr.execute("SELECT count(*) FROM crm_lead WHERE name LIKE 'BENCH %%'")
    return env.cr.fetchone()[0] >= leads


def _salespeople(env):
    """Sales teams and salespeople (ORM: a handful of records)."""
    users = env["res.users"].search([("login", "like", "bench_sales_%")])
    if not users:
        group = env.ref("sales_team.group_sale_salesman")
        users = env["res.users"].create(
            [
                {
                    "name": f"Bench Salesperson {i}",
                    "login": f"bench_sales_{i}",
                    "group_ids": [(6, 0, group.ids)],
                }
                for i in range(SALESPEOPLE)
            ]
        )
        for team_index in range(TEAMS):
            env["crm.team"].create(
                {
                    "name": f"Bench Team {team_index}",
                    "member_ids": [(6, 0, users[team_index::TEAMS].ids)],
                }
            )
    teams = env["crm.team"].search([("name", "like", "Bench Team %")], order="id")
    return users, teams


def generate(env, leads, seed=0.42):
    """Insert the history; returns a dict of row counts."""
    users, teams = _salespeople(env)
    company = env.company.id
    stages = env["crm.stage"].search([], order="sequence, id")
    won_stage = stages.filtered("is_won")[:1] or stages[-1:]
    open_stages = (stages - won_stage).ids or won_stage.ids
    staff_partners = users.partner_id.ids
    activity_type = env.ref("mail.mail_activity_data_todo").id
    note = env.ref("mail.mt_note").id
    comment = env.ref("mail.mt_comment").id
    lead_model = env["ir.model"]._get_id("crm.lead")
    params = {
        "customers": max(leads // 5, 1),
        "leads": leads,
        "messages": 10 * leads,
        "activities": 2 * leads,
        "complaints": max(leads // 50, 1),
        "users": users.ids,
        "teams": teams.ids,
        "staff": staff_partners,
        "company": company,
        "won_stage": won_stage.id,
        "open_stages": open_stages,
        "activity_type": activity_type,
        "note": note,
        "comment": comment,
        "lead_model": lead_model,
    }
    env.flush_all()
    _exec(env, "SELECT setseed(%(seed)s)", {"seed": seed})
    # customers: companies, each with a salesperson
    _exec(
        env,
        """
        INSERT INTO res_partner (name, complete_name, is_company, active, type, user_id,
                                 email, phone, create_date, write_date)
        SELECT 'BENCH Customer ' || i, 'BENCH Customer ' || i, TRUE, TRUE, 'contact',
               (%(users)s::int[])[1 + (i %% array_length(%(users)s::int[], 1))],
               'buyer' || i || '@bench.example.com', '+86 21 5' || lpad(i::text, 7, '0'),
               now(), now()
          FROM generate_series(1, %(customers)s) i
        """,
        params,
    )
    _exec(
        env,
        """UPDATE res_partner SET commercial_partner_id = id
            WHERE name LIKE 'BENCH Customer %%' AND commercial_partner_id IS NULL""",
    )
    # leads over the last 7 months: 20 %% won, 30 %% lost, the rest open
    _exec(
        env,
        """
        CREATE TEMP TABLE bench_customer ON COMMIT DROP AS
        SELECT id, row_number() OVER (ORDER BY id) AS n FROM res_partner
         WHERE name LIKE 'BENCH Customer %%';
        INSERT INTO crm_lead (name, type, active, stage_id, team_id, user_id, company_id,
                              partner_id, create_date, write_date, date_open, date_closed,
                              date_conversion, won_status, probability, expected_revenue,
                              phone, email_from, function, contact_name, description,
                              priority, date_last_stage_update)
        SELECT 'BENCH Lead ' || g.i,
               CASE WHEN g.r_type < 0.4 THEN 'lead' ELSE 'opportunity' END,
               NOT (g.r_state >= 0.2 AND g.r_state < 0.5),
               CASE WHEN g.r_state < 0.2 THEN %(won_stage)s
                    ELSE (%(open_stages)s::int[])[
                        1 + (g.i %% array_length(%(open_stages)s::int[], 1))]
               END,
               (%(teams)s::int[])[1 + (g.i %% array_length(%(teams)s::int[], 1))],
               CASE WHEN g.r_user < 0.08 THEN NULL
                    ELSE (%(users)s::int[])[1 + (g.i %% array_length(%(users)s::int[], 1))] END,
               %(company)s,
               CASE WHEN g.r_partner < 0.7 THEN c.id END,
               g.created, g.created,
               CASE WHEN g.r_user >= 0.08 THEN g.created + (g.r_delay * interval '3 days') END,
               CASE WHEN g.r_state < 0.5 THEN g.created + (g.r_delay * interval '40 days') END,
               CASE WHEN g.r_type >= 0.4 AND g.r_type < 0.6
                    THEN g.created + (g.r_delay * interval '5 days') END,
               CASE WHEN g.r_state < 0.2 THEN 'won' WHEN g.r_state < 0.5 THEN 'lost'
                    ELSE 'pending' END,
               CASE WHEN g.r_state < 0.2 THEN 100 WHEN g.r_state < 0.5 THEN 0 ELSE 30 END,
               round((1000 + g.r_revenue * g.r_revenue * 500000)::numeric, 2),
               CASE WHEN g.r_fill < 0.7 THEN '+86 21 6' || lpad(g.i::text, 7, '0') END,
               CASE WHEN g.r_fill < 0.6 THEN 'contact' || g.i || '@bench.example.com' END,
               CASE WHEN g.r_fill < 0.4 THEN 'Purchasing Manager' END,
               CASE WHEN g.r_fill < 0.8 THEN 'Contact ' || g.i END,
               CASE WHEN g.r_fill < 0.3 THEN '<p>Reduce production costs</p>' END,
               '0', g.created
          FROM (SELECT i, random() AS r_type, random() AS r_state, random() AS r_user,
                       random() AS r_partner, random() AS r_delay, random() AS r_revenue,
                       random() AS r_fill,
                       now() AT TIME ZONE 'UTC' - random() * interval '210 days' AS created,
                       1 + (random() * (%(customers)s - 1))::int AS customer
                  FROM generate_series(1, %(leads)s) i) g
          JOIN bench_customer c ON c.n = g.customer
        """,
        params,
    )
    _exec(
        env,
        """
        CREATE TEMP TABLE bench_lead ON COMMIT DROP AS
        SELECT id, partner_id, user_id, create_date, row_number() OVER (ORDER BY id) AS n
          FROM crm_lead WHERE name LIKE 'BENCH Lead %%';
        CREATE INDEX ON bench_lead (n);
        ANALYZE bench_lead;
        """,
    )
    # messages: 80 %% on leads, 20 %% on customers
    _exec(
        env,
        """
        INSERT INTO mail_message (model, res_id, message_type, subtype_id, author_id, date,
                                  body, mail_activity_type_id, create_date, write_date)
        SELECT CASE WHEN g.r_model < 0.8 OR l.partner_id IS NULL THEN 'crm.lead'
                    ELSE 'res.partner' END,
               CASE WHEN g.r_model < 0.8 OR l.partner_id IS NULL THEN l.id ELSE l.partner_id END,
               CASE WHEN g.r_kind < 0.35 THEN 'comment' WHEN g.r_kind < 0.55 THEN 'email'
                    ELSE 'notification' END,
               CASE WHEN g.r_kind < 0.2 THEN %(note)s ELSE %(comment)s END,
               CASE WHEN g.r_kind >= 0.35 AND g.r_kind < 0.55 THEN l.partner_id
                    ELSE (%(staff)s::int[])[1 + (g.i %% array_length(%(staff)s::int[], 1))] END,
               LEAST(l.create_date + g.r_delay * g.r_delay * interval '120 days',
                     now() AT TIME ZONE 'UTC'),
               '<p>Discussed the proposal with the customer.</p>',
               CASE WHEN g.r_kind >= 0.9 THEN %(activity_type)s END,
               now(), now()
          FROM (SELECT i, random() AS r_model, random() AS r_kind, random() AS r_delay,
                       1 + (random() * (%(leads)s - 1))::int AS lead_n
                  FROM generate_series(1, %(messages)s) i) g
          JOIN bench_lead l ON l.n = g.lead_n
        """,
        params,
    )
    # activities on leads: done (on time or late), overdue, planned
    _exec(
        env,
        """
        INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name, activity_type_id,
                                   date_deadline, date_done, active, user_id, automated,
                                   summary, create_date, write_date)
        SELECT %(lead_model)s, 'crm.lead', l.id, 'BENCH Lead ' || l.n, %(activity_type)s,
               g.deadline,
               CASE WHEN g.r_state < 0.75 THEN g.deadline + ((g.r_late * 6)::int - 3) END,
               g.r_state >= 0.75,
               COALESCE(l.user_id, (%(users)s::int[])[1]), FALSE, 'Follow up', now(), now()
          FROM (SELECT i, random() AS r_state, random() AS r_late,
                       (now() AT TIME ZONE 'UTC' - random() * interval '200 days'
                        + interval '10 days')::date AS deadline,
                       1 + (random() * (%(leads)s - 1))::int AS lead_n
                  FROM generate_series(1, %(activities)s) i) g
          JOIN bench_lead l ON l.n = g.lead_n
        """,
        params,
    )
    # structured follow-ups and complaints of the customers
    _exec(
        env,
        """
        INSERT INTO crm_followup (partner_id, lead_id, date, channel, user_id, company_id,
                                  create_date, write_date)
        SELECT l.partner_id, l.id, l.create_date + g.r_delay * interval '20 days',
               (ARRAY['phone', 'email', 'visit', 'meeting', 'wechat'])[1 + g.i %% 5],
               COALESCE(l.user_id, (%(users)s::int[])[1]), %(company)s, now(), now()
          FROM (SELECT i, random() AS r_delay, 1 + (random() * (%(leads)s - 1))::int AS lead_n
                  FROM generate_series(1, %(leads)s) i) g
          JOIN bench_lead l ON l.n = g.lead_n
         WHERE l.partner_id IS NOT NULL;
        INSERT INTO crm_complaint (name, partner_id, lead_id, severity, state, date_open,
                                   resolved_date, user_id, company_id, create_date, write_date)
        SELECT 'BENCH Complaint ' || g.i, l.partner_id, l.id,
               CASE WHEN g.r_sev < 0.2 THEN 'urgent' ELSE 'normal' END,
               CASE WHEN g.r_state < 0.8 THEN 'resolved' ELSE 'open' END,
               l.create_date + interval '30 days',
               CASE WHEN g.r_state < 0.8
                    THEN l.create_date + interval '30 days' + g.r_sev * interval '96 hours' END,
               COALESCE(l.user_id, (%(users)s::int[])[1]), %(company)s, now(), now()
          FROM (SELECT i, random() AS r_sev, random() AS r_state,
                       1 + (random() * (%(leads)s - 1))::int AS lead_n
                  FROM generate_series(1, %(complaints)s) i) g
          JOIN bench_lead l ON l.n = g.lead_n
         WHERE l.partner_id IS NOT NULL;
        ANALYZE crm_lead; ANALYZE mail_message; ANALYZE mail_activity; ANALYZE res_partner;
        ANALYZE crm_followup; ANALYZE crm_complaint;
        """,
        params,
    )
    env.invalidate_all()
    return {
        "leads": leads,
        "messages": params["messages"],
        "activities": params["activities"],
        "customers": params["customers"],
    }
