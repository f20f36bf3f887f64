"""Add a realistic CRM volume to a database: customers, contacts, leads, activities, notes.

Set-based SQL only (one INSERT ... SELECT per table), deterministic for a given seed
(every pseudo-random choice is a hash of the seed and the row number) and for a given
reference day (dates are spread around it). The rows are plain CRM data, as a company
that has used Odoo CRM for two years would have them: they carry no XML id, so
uninstalling an addon never touches them.

Command line (connection from PGHOST / PGPORT / PGUSER / PGPASSWORD)::

    python3 data/generators/crm_volume.py --db DB --customers 10000

From Python: ``generate(cursor, customers=10000)`` on a psycopg2 or Odoo cursor (the
caller commits).
"""

import argparse
import datetime
import json
import os

# Customer companies get a ``ref`` of this prefix and their number: benchmarks and
# tests find the generated rows by it.
REF_PREFIX = "VOL-"

CITIES = ["Shanghai", "Beijing", "Shenzhen", "Guangzhou", "Hangzhou", "Chengdu", "Suzhou", "Wuhan"]
INDUSTRY_WORDS = ["Machinery", "Trading", "Electronics", "Logistics", "Foods", "Textiles"]
LEAD_TOPICS = ["Annual contract", "Pilot order", "Spare parts", "Service renewal", "New line"]
NOTE_BODIES = [
    "<p>Called the buyer: budget confirmed for next quarter.</p>",
    "<p>Sent the quotation and the technical sheet.</p>",
    "<p>Customer asks for a visit of the plant.</p>",
    "<p>Decision maker is the plant manager, meeting planned.</p>",
]


def _rnd(tag, modulo):
    """SQL expression: a pseudo-random integer in [0, modulo) for row ``g``.

    A hash of (seed, tag, row number), so the value never depends on the query plan.
    """
    return (
        f"(abs(('x' || substr(md5(%(seed)s || ':{tag}:' || g), 1, 8))::bit(32)::int)"
        f" %% {int(modulo)})"
    )


def _pick(array_sql, tag):
    """SQL expression: one element of a non-empty SQL array, chosen by ``_rnd``."""
    return f"({array_sql})[1 + {_rnd(tag, 2**31 - 1)} %% cardinality({array_sql})]"


def _text_array(values):
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _one(cr, sql, params=None):
    cr.execute(sql, params)
    row = cr.fetchone()
    return row[0] if row else None


def _context(cr):
    """Ids the generated rows refer to, read from the database."""
    ctx = {
        "company_id": _one(cr, "SELECT min(id) FROM res_company"),
        "admin_partner_id": _one(
            cr, "SELECT partner_id FROM res_users WHERE id = 2 OR login = 'admin' LIMIT 1"
        ),
        "lead_model_id": _one(cr, "SELECT id FROM ir_model WHERE model = 'crm.lead'"),
        "note_subtype_id": _one(
            cr,
            "SELECT res_id FROM ir_model_data WHERE module = 'mail' AND name = 'mt_note'",
        ),
        "country_id": _one(cr, "SELECT id FROM res_country WHERE code = 'CN'"),
    }
    cr.execute(
        "SELECT coalesce(array_agg(id ORDER BY id), ARRAY[2]) FROM res_users"
        " WHERE active AND NOT share AND id <> 1"
    )
    ctx["user_ids"] = cr.fetchone()[0]
    cr.execute("SELECT array_agg(id ORDER BY sequence, id) FROM crm_stage WHERE is_won IS NOT TRUE")
    ctx["open_stage_ids"] = cr.fetchone()[0] or []
    ctx["won_stage_id"] = _one(
        cr, "SELECT id FROM crm_stage WHERE is_won ORDER BY sequence LIMIT 1"
    )
    cr.execute("SELECT coalesce(array_agg(id ORDER BY id), ARRAY[NULL]::int[]) FROM crm_team")
    ctx["team_ids"] = cr.fetchone()[0]
    cr.execute(
        "SELECT coalesce(array_agg(id ORDER BY id), ARRAY[NULL]::int[]) FROM crm_lost_reason"
    )
    ctx["lost_reason_ids"] = cr.fetchone()[0]
    cr.execute(
        "SELECT array_agg(res_id ORDER BY res_id) FROM ir_model_data WHERE module = 'mail'"
        " AND name IN ('mail_activity_data_call', 'mail_activity_data_email',"
        " 'mail_activity_data_todo', 'mail_activity_data_meeting')"
    )
    ctx["activity_type_ids"] = cr.fetchone()[0]
    if not ctx["open_stage_ids"] or not ctx["won_stage_id"]:
        raise RuntimeError("the database needs the crm module (stages) before generating leads")
    return ctx


def generate(cr, customers, leads=None, activities=None, messages=None, seed=42, today=None):
    """Insert the volume; return the number of rows inserted per table.

    ``customers`` companies, each with one contact person; ``leads`` (default
    2 x customers: 80 % linked to a customer, 70 % open, 15 % won, 15 % lost);
    ``activities`` on open leads (default customers / 2); ``messages`` notes in the
    leads' chatter (default = leads).
    """
    leads = 2 * customers if leads is None else leads
    activities = customers // 2 if activities is None else activities
    messages = leads if messages is None else messages
    today = today or datetime.date.today()
    ctx = _context(cr)
    params = {
        "seed": str(seed),
        "today": today,
        "prefix": f"{REF_PREFIX}{seed}-",
        "customers": customers,
        "leads": leads,
        "activities": activities,
        "messages": messages,
        **{k: v for k, v in ctx.items() if not isinstance(v, list)},
        "user_ids": ctx["user_ids"],
        "open_stage_ids": ctx["open_stage_ids"],
        "team_ids": ctx["team_ids"],
        "lost_reason_ids": ctx["lost_reason_ids"],
        "activity_type_ids": ctx["activity_type_ids"],
    }
    cities = _text_array(CITIES)
    words = _text_array(INDUSTRY_WORDS)
    topics = _text_array(LEAD_TOPICS)
    notes = _text_array(NOTE_BODIES)
    counts = {}

    cr.execute(
        """
        CREATE TEMP TABLE IF NOT EXISTS crm_volume_partner (
            num int PRIMARY KEY, id int, contact_id int)
        ON COMMIT DROP
        """
    )
    cr.execute("TRUNCATE crm_volume_partner")
    # Customer companies.
    cr.execute(
        f"""
        WITH ins AS (
            INSERT INTO res_partner (
                name, complete_name, ref, is_company, type, active, partner_share, lang,
                email, email_normalized, phone, phone_sanitized, city, country_id,
                user_id, create_uid, write_uid, create_date, write_date)
            SELECT name, name, %(prefix)s || g, true, 'contact', true, true, 'en_US',
                   mail, mail, phone, phone, {_pick(cities, "city")}, %(country_id)s,
                   {_pick("%(user_ids)s::int[]", "puser")}, 2, 2, created, created
            FROM (
                SELECT g,
                       {_pick(cities, "cname")} || ' ' || {_pick(words, "word")}
                           || ' Co. ' || g AS name,
                       'buyer' || g || '@customer' || g || '.example.com' AS mail,
                       '+86138' || lpad(g::text, 8, '0') AS phone,
                       %(today)s::timestamp - ({_rnd("age", 730)} || ' days')::interval AS created
                FROM generate_series(1, %(customers)s) g
            ) src
            RETURNING id, ref
        )
        INSERT INTO crm_volume_partner (num, id)
        SELECT substr(ref, length(%(prefix)s) + 1)::int, id FROM ins
        """,
        params,
    )
    counts["res.partner (customers)"] = cr.rowcount
    cr.execute(
        "UPDATE res_partner p SET commercial_partner_id = p.id"
        " FROM crm_volume_partner v WHERE p.id = v.id"
    )
    # One contact person per customer.
    cr.execute(
        """
        WITH ins AS (
            INSERT INTO res_partner (
                name, complete_name, parent_id, commercial_partner_id, is_company, type,
                active, partner_share, lang, function, email, email_normalized,
                create_uid, write_uid, create_date, write_date)
            SELECT 'Contact ' || v.num, c.name || ', Contact ' || v.num, c.id, c.id, false,
                   'contact', true, true, 'en_US', 'Purchasing Manager',
                   'contact' || v.num || '@customer' || v.num || '.example.com',
                   'contact' || v.num || '@customer' || v.num || '.example.com',
                   2, 2, c.create_date, c.create_date
            FROM crm_volume_partner v JOIN res_partner c ON c.id = v.id
            RETURNING id, parent_id
        )
        UPDATE crm_volume_partner v SET contact_id = ins.id FROM ins WHERE ins.parent_id = v.id
        """
    )
    counts["res.partner (contacts)"] = cr.rowcount

    # Leads and opportunities: 70 % open, 15 % won, 15 % lost.
    cr.execute(
        """
        CREATE TEMP TABLE IF NOT EXISTS crm_volume_lead (
            id int PRIMARY KEY, user_id int, name varchar, is_open bool, create_date timestamp)
        ON COMMIT DROP
        """
    )
    cr.execute("TRUNCATE crm_volume_lead")
    cr.execute(
        f"""
        WITH src AS (
            SELECT g,
                   {_rnd("outcome", 100)} AS outcome,
                   CASE WHEN {_rnd("haspartner", 100)} < 80 AND %(customers)s > 0
                        THEN 1 + {_rnd("partner", max(customers, 1))} END AS num,
                   {_pick("%(user_ids)s::int[]", "luser")} AS user_id,
                   {_pick("%(team_ids)s::int[]", "team")} AS team_id,
                   {_pick("%(open_stage_ids)s::int[]", "stage")} AS open_stage_id,
                   (1 + {_rnd("revenue", 200)}) * 500 AS revenue,
                   %(today)s::timestamp - ({_rnd("created", 720)} || ' days')::interval
                       - ({_rnd("minute", 1440)} || ' minutes')::interval AS created,
                   {_pick(topics, "topic")} AS topic
            FROM generate_series(1, %(leads)s) g
        ), ins AS (
            INSERT INTO crm_lead (
                name, type, active, stage_id, team_id, user_id, company_id, partner_id,
                partner_name, contact_name, email_from, email_normalized, phone,
                expected_revenue, prorated_revenue, probability, automated_probability,
                won_status, lost_reason_id, priority, color, date_open, date_closed,
                date_last_stage_update, create_uid, write_uid, create_date, write_date)
            SELECT src.topic || ' #' || src.g,
                   CASE WHEN src.g %% 3 = 0 THEN 'lead' ELSE 'opportunity' END,
                   src.outcome < 85,
                   CASE WHEN src.outcome BETWEEN 70 AND 84 THEN %(won_stage_id)s
                        ELSE src.open_stage_id END,
                   src.team_id, src.user_id, %(company_id)s, v.id,
                   c.name, CASE WHEN v.id IS NOT NULL THEN 'Contact ' || v.num END,
                   coalesce(c.email, 'prospect' || src.g || '@lead.example.com'),
                   coalesce(c.email, 'prospect' || src.g || '@lead.example.com'), c.phone,
                   src.revenue,
                   src.revenue * CASE WHEN src.outcome < 70 THEN 0.3
                                      WHEN src.outcome < 85 THEN 1 ELSE 0 END,
                   CASE WHEN src.outcome < 70 THEN 30 WHEN src.outcome < 85 THEN 100 ELSE 0 END,
                   CASE WHEN src.outcome < 70 THEN 30 WHEN src.outcome < 85 THEN 100 ELSE 0 END,
                   CASE WHEN src.outcome < 70 THEN 'pending'
                        WHEN src.outcome < 85 THEN 'won' ELSE 'lost' END,
                   CASE WHEN src.outcome >= 85
                        THEN {_pick("%(lost_reason_ids)s::int[]", "lost")} END,
                   (src.g %% 4)::varchar, 0, src.created,
                   CASE WHEN src.outcome >= 70 THEN src.created + interval '20 days' END,
                   src.created, 2, 2, src.created, src.created
            FROM src
            LEFT JOIN crm_volume_partner v ON v.num = src.num
            LEFT JOIN res_partner c ON c.id = v.id
            RETURNING id, user_id, name, active AND won_status = 'pending' AS is_open, create_date
        )
        INSERT INTO crm_volume_lead (id, user_id, name, is_open, create_date)
        SELECT id, user_id, name, is_open, create_date FROM ins
        """,
        params,
    )
    counts["crm.lead"] = leads

    # Planned activities on open leads (some overdue, some due later).
    cr.execute(
        f"""
        INSERT INTO mail_activity (
            res_model_id, res_model, res_id, res_name, activity_type_id, user_id, summary,
            date_deadline, automated, active, create_uid, write_uid, create_date, write_date)
        SELECT %(lead_model_id)s, 'crm.lead', l.id, l.name,
               {_pick("%(activity_type_ids)s::int[]", "atype")}, coalesce(l.user_id, 2),
               'Follow up on ' || l.name,
               %(today)s::date + ({_rnd("deadline", 30)} - 10), false, true, 2, 2,
               %(today)s::timestamp, %(today)s::timestamp
        FROM (
            SELECT g, 1 + (g - 1) %% (
                SELECT greatest(count(*), 1) FROM crm_volume_lead WHERE is_open) AS rn
            FROM generate_series(1, %(activities)s) g
        ) s
        JOIN (
            SELECT row_number() OVER (ORDER BY id) AS rn, id, user_id, name
            FROM crm_volume_lead WHERE is_open
        ) l ON l.rn = s.rn
        """,
        params,
    )
    counts["mail.activity"] = cr.rowcount

    # Notes in the leads' chatter.
    cr.execute(
        f"""
        INSERT INTO mail_message (
            model, res_id, record_company_id, message_type, subtype_id, is_internal, body,
            author_id, date, create_uid, write_uid, create_date, write_date)
        SELECT 'crm.lead', l.id, %(company_id)s, 'comment', %(note_subtype_id)s, true,
               {_pick(notes, "note")}, %(admin_partner_id)s, l.create_date + interval '1 day',
               2, 2, l.create_date + interval '1 day', l.create_date + interval '1 day'
        FROM (
            SELECT g, 1 + {_rnd("msglead", 2**30)} %% (
                SELECT greatest(count(*), 1) FROM crm_volume_lead) AS rn
            FROM generate_series(1, %(messages)s) g
        ) s
        JOIN (
            SELECT row_number() OVER (ORDER BY id) AS rn, id, create_date FROM crm_volume_lead
        ) l ON l.rn = s.rn
        """,
        params,
    )
    counts["mail.message"] = cr.rowcount
    return counts


def _connect(dbname):
    import psycopg2  # only the command line needs it

    return psycopg2.connect(
        dbname=dbname,
        host=os.environ.get("PGHOST", "127.0.0.1"),
        port=os.environ.get("PGPORT", "5432"),
        user=os.environ.get("PGUSER"),
        password=os.environ.get("PGPASSWORD"),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", required=True, help="database holding the crm module")
    parser.add_argument("--customers", type=int, default=2500)
    parser.add_argument("--leads", type=int, help="default: 2 x customers")
    parser.add_argument("--activities", type=int, help="default: customers / 2")
    parser.add_argument("--messages", type=int, help="default: one note per lead")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--today", type=datetime.date.fromisoformat, help="reference day (ISO)")
    args = parser.parse_args()
    conn = _connect(args.db)
    try:
        with conn, conn.cursor() as cr:
            counts = generate(
                cr,
                args.customers,
                leads=args.leads,
                activities=args.activities,
                messages=args.messages,
                seed=args.seed,
                today=args.today,
            )
    finally:
        conn.close()
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
