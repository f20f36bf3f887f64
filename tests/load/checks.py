"""Consistency checks after a load run, in SQL (run in ``odoo shell`` by setup/load.sh).

Each check counts rows that break a rule the process promises under concurrency and
prints PASS (0) or FAIL (the count and a few examples). Tables and columns come from
the models (``_table``, relation tables of fields), so the checks follow the models
whatever addon defines them. ``start``: when the load began (UTC); gate checks look at
the leads that entered a stage since then.
"""

import json

from odoo.tools import SQL

EXAMPLES = 5


def _rows(env, query):
    env.cr.execute(query)
    return env.cr.fetchall()


def _has(env, model):
    return model in env


def check_handoffs(env, start):
    """Every lead won during the run (a write or a creation, with automatic handoffs on)
    has exactly one handoff; no lead has two open or accepted handoffs."""
    results = []
    # automatic handoffs are a setting of each company
    auto = env["res.company"].sudo().search([("crm_handoff_auto_create", "=", True)])
    if auto:
        rows = _rows(
            env,
            SQL(
                """SELECT l.id, count(h.id)
                     FROM crm_lead l
                     JOIN crm_stage s ON s.id = l.stage_id AND s.is_won
                LEFT JOIN crm_handoff h ON h.lead_id = l.id
                    WHERE l.active AND l.date_closed >= %s AND l.company_id = ANY(%s)
                 GROUP BY l.id""",
                start,
                auto.ids,
            ),
        )
        bad = [(lead, count) for lead, count in rows if count != 1]
        results.append(
            (
                "every lead won in the run has exactly one handoff",
                len(bad),
                f"{len(rows)} won leads",
                bad,
            )
        )
    rows = _rows(
        env,
        SQL(
            """SELECT lead_id, count(*) FROM crm_handoff
                WHERE state IN ('draft', 'submitted', 'accepted')
             GROUP BY lead_id HAVING count(*) > 1"""
        ),
    )
    total = _rows(env, SQL("SELECT count(*) FROM crm_handoff"))[0][0]
    results.append(
        ("no lead with two open / accepted handoffs", len(rows), f"{total} handoffs", rows)
    )
    return results


def check_duplicates(env):
    """No duplicate cadence reminder, open SLA timer, churn warning, health snapshot or
    KPI snapshot (the unique keys the code relies on)."""
    results = []
    rows = _rows(
        env,
        SQL(
            """SELECT res_model, res_id, count(*) FROM mail_activity
                WHERE active AND crm_cadence_kind = 'reminder'
             GROUP BY 1, 2 HAVING count(*) > 1"""
        ),
    )
    total = _rows(
        env,
        SQL("SELECT count(*) FROM mail_activity WHERE active AND crm_cadence_kind = 'reminder'"),
    )[0][0]
    results.append(("no duplicate cadence reminder", len(rows), f"{total} open reminders", rows))
    rows = _rows(
        env,
        SQL(
            """SELECT node_id, lead_id, complaint_id, count(*) FROM crm_sla_timer
                WHERE date_stop IS NULL AND (lead_id IS NOT NULL OR complaint_id IS NOT NULL)
             GROUP BY 1, 2, 3 HAVING count(*) > 1"""
        ),
    )
    total = _rows(env, SQL("SELECT count(*) FROM crm_sla_timer"))[0][0]
    results.append(("no duplicate open SLA timer", len(rows), f"{total} timers", rows))
    if _has(env, "crm.health.score"):
        # churn warnings: open partner activities with the summary of a churn warning
        rows = _rows(
            env,
            SQL(
                """SELECT a.res_id, count(*) FROM mail_activity a
                    WHERE a.active AND a.res_model = 'res.partner'
                      AND a.summary IN (SELECT w.summary FROM crm_health_score s
                                          JOIN mail_activity w ON w.id = s.churn_activity_id)
                 GROUP BY 1 HAVING count(*) > 1"""
            ),
        )
        total = _rows(
            env, SQL("SELECT count(*) FROM crm_health_score WHERE churn_activity_id IS NOT NULL")
        )[0][0]
        results.append(("no duplicate churn warning", len(rows), f"{total} warnings", rows))
        rows = _rows(
            env,
            SQL(
                """SELECT health_id, period_start, count(*) FROM crm_health_snapshot
                 GROUP BY 1, 2 HAVING count(*) > 1"""
            ),
        )
        total = _rows(env, SQL("SELECT count(*) FROM crm_health_snapshot"))[0][0]
        results.append(("no duplicate health snapshot", len(rows), f"{total} snapshots", rows))
        rows = _rows(
            env,
            SQL("SELECT partner_id, count(*) FROM crm_health_score GROUP BY 1 HAVING count(*) > 1"),
        )
        results.append(("one health record per customer", len(rows), "", rows))
    rows = _rows(
        env,
        SQL(
            """SELECT kind, date_from, kpi_code, company_id, count(*) FROM crm_kpi_snapshot
             GROUP BY kind, date_from, date_to, kpi_code, company_id, COALESCE(team_id, 0),
                      COALESCE(user_id, 0), COALESCE(diagnosis_id, 0)
               HAVING count(*) > 1"""
        ),
    )
    total = _rows(env, SQL("SELECT count(*) FROM crm_kpi_snapshot"))[0][0]
    results.append(("no duplicate KPI snapshot", len(rows), f"{total} snapshots", rows))
    return results


def _empty(column, ttype):
    if ttype in ("char", "text", "html", "selection"):
        return SQL("COALESCE(%s::text, '') = ''", column)
    if ttype in ("integer", "float", "monetary"):
        return SQL("COALESCE(%s, 0) = 0", column)
    if ttype == "boolean":
        return SQL("%s IS NOT TRUE", column)
    return SQL("%s IS NULL", column)


def check_requirement_gates(env, start):
    """No lead entered a stage during the run while missing a blocking field requirement,
    unless a deviation (an exception used) was recorded for it."""
    bad, checked, skipped = [], 0, []
    Lead = env["crm.lead"].sudo().with_context(active_test=False)
    rules = env["crm.stage.requirement"].sudo().search([("mode", "=", "block")])
    for rule in rules:
        if rule.kind != "field":
            skipped.append(rule.name)
            continue
        empties = []
        for field in rule.lead_field_ids:
            if field.ttype in ("one2many", "many2many"):
                skipped.append(f"{rule.name}: {field.name}")
                continue
            empties.append(_empty(SQL.identifier("l", field.name), field.ttype))
        for field in rule.partner_field_ids:
            if field.ttype in ("one2many", "many2many"):
                skipped.append(f"{rule.name}: {field.name}")
                continue
            empties.append(
                SQL("(cp.id IS NULL OR %s)", _empty(SQL.identifier("cp", field.name), field.ttype))
            )
        if not empties:
            continue
        teams = (rule.team_ids | rule.stage_id.team_ids).ids
        rows = _rows(
            env,
            SQL(
                """SELECT l.id FROM crm_lead l
                LEFT JOIN res_partner p ON p.id = l.partner_id
                LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
                    WHERE l.stage_id = %(stage)s AND l.date_last_stage_update >= %(start)s
                      AND (%(no_team)s OR l.team_id = ANY(%(teams)s))
                      AND (%(no_company)s OR l.company_id IS NULL OR l.company_id = %(company)s)
                      AND (%(empty)s)
                      AND NOT EXISTS (SELECT 1 FROM crm_stage_deviation d
                                       WHERE d.lead_id = l.id AND d.stage_id = l.stage_id
                                         AND d.date >= %(start)s)""",
                stage=rule.stage_id.id,
                start=start,
                no_team=not teams,
                teams=teams,
                no_company=not rule.company_id,
                company=rule.company_id.id or 0,
                empty=SQL(" OR ").join(empties),
            ),
        )
        ids = [lead_id for (lead_id,) in rows]
        domain = rule._get_domain()
        if ids and domain:
            ids = Lead.search([("id", "in", ids), *domain]).ids
        checked += 1
        bad += [(rule.name, lead_id) for lead_id in ids]
    note = f"{checked} blocking rules" + (f"; not checked: {', '.join(skipped)}" if skipped else "")
    return [("no lead in a gated stage with a blocking requirement unmet", len(bad), note, bad)]


def check_approval_gate(env, start):
    """No lead entered the approval stage (or a later one) during the run without every
    level its amount needs approved in its current request."""
    companies = env["res.company"].sudo().search([("crm_approval_stage_id", "!=", False)])
    if not companies:
        return [("no deal past the approval stage without its approvals", 0, "no gate set", [])]
    rows = []
    for company in companies:
        rows += _approval_gate_rows(env, start, company)
    return [("no deal past the approval stage without its approvals", len(rows), "", rows)]


def _approval_gate_rows(env, start, company):
    """Leads of ``company`` past its approval stage without their approvals."""
    gate = company.crm_approval_stage_id
    teams = env["crm.approval.level"]._fields["team_ids"]
    return _rows(
        env,
        SQL(
            """SELECT l.id, lv.id FROM crm_lead l
                 JOIN crm_stage s ON s.id = l.stage_id
            LEFT JOIN crm_team t ON t.id = l.team_id
                 JOIN crm_approval_level lv ON lv.active
                  AND lv.min_amount <= abs(COALESCE(l.expected_revenue, 0))
                  AND (COALESCE(l.company_id, t.company_id) IS NULL
                       OR lv.company_id = COALESCE(l.company_id, t.company_id))
                  AND (NOT EXISTS (SELECT 1 FROM %(rel)s r WHERE r.%(level)s = lv.id)
                       OR EXISTS (SELECT 1 FROM %(rel)s r
                                   WHERE r.%(level)s = lv.id AND r.%(team)s = l.team_id))
                WHERE (s.id = %(gate)s OR s.sequence >= %(sequence)s)
                  AND COALESCE(l.company_id, t.company_id) = %(company)s
                  AND l.date_last_stage_update >= %(start)s
                  AND NOT EXISTS (SELECT 1 FROM crm_lead_approval a
                                   WHERE a.lead_id = l.id AND a.level_id = lv.id
                                     AND a.is_current AND a.state = 'approved')""",
            rel=SQL.identifier(teams.relation),
            level=SQL.identifier(teams.column1),
            team=SQL.identifier(teams.column2),
            gate=gate.id,
            sequence=gate.sequence,
            company=company.id,
            start=start,
        ),
    )


def check_handoff_gate(env, start):
    """No lead entered the handoff stage during the run before its handoff was accepted."""
    companies = env["res.company"].sudo().search([("crm_handoff_stage_id", "!=", False)])
    if not companies:
        return [("no lead in the handoff stage without an accepted handoff", 0, "no gate", [])]
    rows = _rows(
        env,
        SQL(
            """SELECT l.id FROM crm_lead l JOIN res_company c ON c.id = l.company_id
                WHERE l.stage_id = c.crm_handoff_stage_id AND c.id = ANY(%(companies)s)
                  AND l.date_last_stage_update >= %(start)s
                  AND NOT EXISTS (SELECT 1 FROM crm_handoff h
                                   WHERE h.lead_id = l.id AND h.state = 'accepted')""",
            companies=companies.ids,
            start=start,
        ),
    )
    entered = _rows(
        env,
        SQL(
            "SELECT count(*) FROM crm_lead"
            " WHERE stage_id = ANY(%s) AND date_last_stage_update >= %s",
            companies.crm_handoff_stage_id.ids,
            start,
        ),
    )[0][0]
    return [
        (
            "no lead in the handoff stage without an accepted handoff",
            len(rows),
            f"{entered} entered",
            rows,
        )
    ]


def check_counters(env):
    """Stored counters and dates equal to the rows behind them."""
    results = []
    for table in ("crm_lead", "crm_complaint"):
        column = "lead_id" if table == "crm_lead" else "complaint_id"
        rows = _rows(
            env,
            SQL(
                """SELECT r.id, r.sla_breach_count, COALESCE(b.breaches, 0),
                          r.sla_overdue, COALESCE(b.open_breaches, 0) > 0
                     FROM %(table)s r
                LEFT JOIN (SELECT %(column)s AS record_id, count(*) AS breaches,
                                  count(*) FILTER (WHERE date_stop IS NULL) AS open_breaches
                             FROM crm_sla_timer WHERE state = 'breached' GROUP BY 1) b
                       ON b.record_id = r.id
                    WHERE COALESCE(r.sla_breach_count, 0) != COALESCE(b.breaches, 0)
                       OR COALESCE(r.sla_overdue, FALSE) != (COALESCE(b.open_breaches, 0) > 0)""",
                table=SQL.identifier(table),
                column=SQL.identifier(column),
            ),
        )
        results.append((f"{table}: SLA breach count and overdue flag", len(rows), "", rows))
    for table, column in (("crm_lead", "lead_id"), ("res_partner", "commercial_partner_id")):
        rows = _rows(
            env,
            SQL(
                """SELECT r.id, r.last_contact_date, f.last
                     FROM %(table)s r
                LEFT JOIN (SELECT %(column)s AS record_id, max(date) AS last
                             FROM crm_followup WHERE %(column)s IS NOT NULL GROUP BY 1) f
                       ON f.record_id = r.id
                    WHERE r.last_contact_date IS DISTINCT FROM f.last""",
                table=SQL.identifier(table),
                column=SQL.identifier(column),
            ),
        )
        results.append((f"{table}: last contact = latest follow-up", len(rows), "", rows))
    rows = _rows(
        env,
        SQL(
            """SELECT id, quality_rating, quality_score FROM crm_handoff
                WHERE COALESCE(quality_score, 0) != COALESCE(NULLIF(quality_rating, '')::int, 0)"""
        ),
    )
    results.append(("handoff quality score = rating", len(rows), "", rows))
    return results


# Odoo's inter-process cache signaling (Registry.setup_signaling): one row per cache
# clear committed by any process of any server.
SIGNALED_CACHES = ("registry", "default", "stable", "groups", "templates", "routing", "assets")
LATEST_SIGNAL = {cache: f"SELECT max(id) FROM orm_signaling_{cache}" for cache in SIGNALED_CACHES}


def signaling_sequences(cr):
    """The latest cache-clear signal of each cache (system data), from any cursor
    (Odoo's, or psycopg2's before the load starts)."""
    sequences = {}
    for cache in SIGNALED_CACHES:
        cr.execute(LATEST_SIGNAL[cache])
        sequences[cache] = cr.fetchone()[0] or 0
    return sequences


def check_cache_clears(env, signaled_at_start):
    """Staff work and scheduled actions clear no cache: each clear (a configuration
    parameter or a cached configuration written) makes every worker of every server
    rebuild its caches, access rules and views on its next request."""
    if not signaled_at_start:
        return []
    now = signaling_sequences(env.cr)
    cleared = {
        cache: now[cache] - signaled_at_start.get(cache, 0)
        for cache in SIGNALED_CACHES
        if now[cache] != signaled_at_start.get(cache, 0)
    }
    return [
        (
            "no cache cleared during the run (configuration written by work or crons)",
            sum(cleared.values()),
            "",
            sorted(cleared.items()),
        )
    ]


def run_checks(env, start, out_path, signaled_at_start=None):
    """Run every check, print PASS / FAIL lines, write them as JSON to ``out_path``.

    :param signaled_at_start: ``signaling_sequences`` when the load began
    """
    env.flush_all()
    results = [
        *check_cache_clears(env, signaled_at_start),
        *check_handoffs(env, start),
        *check_duplicates(env),
        *check_requirement_gates(env, start),
        *check_approval_gate(env, start),
        *check_handoff_gate(env, start),
        *check_counters(env),
    ]
    activity = _rows(
        env,
        SQL(
            """SELECT (SELECT count(*) FROM crm_lead WHERE create_date >= %(s)s),
                      (SELECT count(*) FROM crm_lead WHERE date_closed >= %(s)s),
                      (SELECT count(*) FROM crm_followup WHERE create_date >= %(s)s),
                      (SELECT count(*) FROM crm_lead_approval WHERE write_date >= %(s)s),
                      (SELECT count(*) FROM crm_handoff WHERE write_date >= %(s)s),
                      (SELECT count(*) FROM crm_stage_deviation WHERE date >= %(s)s),
                      (SELECT count(*) FROM crm_sla_timer WHERE write_date >= %(s)s)""",
            s=start,
        ),
    )[0]
    data = {
        "start": start,
        "activity": dict(
            zip(
                (
                    "leads created",
                    "leads won",
                    "follow-ups",
                    "approvals written",
                    "handoffs written",
                    "deviations",
                    "SLA timers written",
                ),
                activity,
                strict=True,
            )
        ),
        "checks": [
            {
                "name": name,
                "failures": failures,
                "note": note,
                "examples": [list(map(str, row)) for row in rows[:EXAMPLES]],
            }
            for name, failures, note, rows in results
        ],
    }
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=1)
    for check in data["checks"]:
        status = "PASS" if not check["failures"] else "FAIL"
        print(f"{status} {check['name']}: {check['failures']} ({check['note']})")
    return data
