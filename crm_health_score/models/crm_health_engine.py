# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .crm_health_band import NEEDS_MATCH_VALUES

_logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
# Message types that are a person talking to or about the customer (not tracking).
STAFF_MESSAGE_TYPES = ["comment", "email", "email_outgoing", "sms"]


class CrmHealthEngine(models.AbstractModel):
    """Set-based recompute of the health records: a few SQL statements read every
    dimension for a batch of customers, Python applies the scorecard, and one
    statement per table writes the batch back."""

    _name = "crm.health.engine"
    _description = "Health Score Recompute Engine"

    # ------------------------------------------------------------------
    # Run orchestration
    # ------------------------------------------------------------------
    @api.model
    def _run(self, run_start=None, commit=False, batch_size=BATCH_SIZE):
        """Recompute every current health record not computed since ``run_start``.

        With ``commit`` (the scheduled action), each batch is committed through
        ``ir.cron._commit_progress`` and the run stops when the cron's time is up;
        the next call resumes with the records still older than ``run_start``.

        :return: True when every record is done
        """
        run_start = run_start or fields.Datetime.now()
        self._sync_scope()
        while True:
            health_ids = self._pending_ids(run_start, batch_size)
            if not health_ids:
                break
            self._recompute(health_ids)
            if commit:
                remaining = self._pending_count(run_start)
                if self.env["ir.cron"]._commit_progress(len(health_ids), remaining=remaining) <= 0:
                    return False
        self._purge_snapshots()
        return True

    def _pending_where(self, run_start):
        return SQL(
            "state <> 'frozen' AND (computed_on IS NULL OR computed_on < %s)", run_start
        )

    def _pending_ids(self, run_start, limit):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM crm_health_score WHERE %s ORDER BY id LIMIT %s",
                self._pending_where(run_start),
                limit,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _pending_count(self, run_start):
        self.env.cr.execute(
            SQL("SELECT count(*) FROM crm_health_score WHERE %s", self._pending_where(run_start))
        )
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------
    # Scope: which customers have a health record
    # ------------------------------------------------------------------
    def _lost_partner_sql(self, alias):
        """SQL condition true for customers marked lost by the standard customer
        information (``customer_type`` of crm_process_std), when that field exists."""
        field = self.env["res.partner"]._fields.get("customer_type")
        if field and field.store and field.type == "selection":
            return SQL("%s.customer_type = 'lost'", SQL.identifier(alias))
        return SQL("FALSE")

    @api.model
    def _sync_scope(self, partner_ids=None):
        """Create the missing records of commercial customers, freeze the records of
        archived or lost customers and thaw those active again. Set-based.

        A commercial customer is any company or individual without parent that is
        not a user or one of our companies and that has a lead or opportunity, a
        follow-up or a complaint, a needs match or a customer-success manager.
        """
        self.env.flush_all()
        only, asked = SQL(), SQL()
        if partner_ids is not None:
            # Customers asked for by name get a record even without CRM history.
            only = SQL("AND p.id = ANY(%s)", list(partner_ids))
            asked = SQL("UNION SELECT unnest(%s::int[])", list(partner_ids))
        lost = self._lost_partner_sql("p")
        uid = self.env.uid
        self.env.cr.execute(
            SQL(
                """
            WITH candidates AS (
                SELECT c.commercial_partner_id AS id
                  FROM crm_lead l JOIN res_partner c ON c.id = l.partner_id
                UNION
                SELECT c.commercial_partner_id
                  FROM crm_followup f JOIN res_partner c ON c.id = f.partner_id
                UNION
                SELECT c.commercial_partner_id
                  FROM crm_complaint k JOIN res_partner c ON c.id = k.partner_id
                UNION
                SELECT id FROM res_partner
                 WHERE needs_match IS NOT NULL OR customer_success_user_id IS NOT NULL
                %(asked)s
            )
            INSERT INTO crm_health_score (
                partner_id, company_id, customer_success_user_id, state, score,
                computed_score, trend, churn_risk, override_active,
                create_uid, create_date, write_uid, write_date)
            SELECT p.id, COALESCE(p.company_id, %(company)s), p.customer_success_user_id,
                   'insufficient_data', 0, 0, 0, FALSE, FALSE,
                   %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
              FROM candidates
              JOIN res_partner p ON p.id = candidates.id
             WHERE p.id = p.commercial_partner_id
               AND p.active AND p.partner_share IS NOT FALSE AND NOT (%(lost)s)
               AND p.id NOT IN (SELECT partner_id FROM res_company WHERE partner_id IS NOT NULL)
               %(only)s
            ON CONFLICT (partner_id) DO NOTHING
            """,
                company=self.env.company.id,
                uid=uid,
                lost=lost,
                only=only,
                asked=asked,
            )
        )
        only_score = (
            SQL("AND s.partner_id = ANY(%s)", list(partner_ids))
            if partner_ids is not None
            else SQL()
        )
        # Archived or lost customers keep their last score, frozen: no churn, no
        # new score, no intervention.
        self.env.cr.execute(
            SQL(
                """
            UPDATE crm_health_score s
               SET state = 'frozen', churn_risk = FALSE, write_date = now() at time zone 'UTC'
              FROM res_partner p
             WHERE p.id = s.partner_id AND s.state <> 'frozen'
               AND (NOT p.active OR %(lost)s) %(only)s
            """,
                lost=lost,
                only=only_score,
            )
        )
        self.env.cr.execute(
            SQL(
                """
            UPDATE crm_health_score s
               SET state = 'insufficient_data', computed_on = NULL
              FROM res_partner p
             WHERE p.id = s.partner_id AND s.state = 'frozen'
               AND p.active AND NOT (%(lost)s) %(only)s
            """,
                lost=lost,
                only=only_score,
            )
        )
        self.env["crm.health.score"].invalidate_model()

    def _expire_overrides(self, health_ids):
        """Give the computed score back where a manual override has expired."""
        expired = (
            self.env["crm.health.score"]
            .sudo()
            .search(
                [
                    ("id", "in", list(health_ids)),
                    ("override_active", "=", True),
                    ("override_expiry", "<", fields.Date.today()),
                ]
            )
        )
        if expired:
            expired.write({"override_active": False})
            expired._message_log_batch(
                {
                    record.id: self.env._(
                        "The manual override expired on %s: the computed score applies again.",
                        record.override_expiry,
                    )
                    for record in expired
                },
                author_id=self.env.ref("base.partner_root").id,
            )

    def _purge_snapshots(self):
        months = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_health_score.snapshot_retention_months", 24)
        )
        limit = fields.Date.today() - relativedelta(months=months)
        self.env.cr.execute(
            SQL("DELETE FROM crm_health_snapshot WHERE period_start < %s", limit)
        )

    # ------------------------------------------------------------------
    # Reading the dimensions
    # ------------------------------------------------------------------
    def _aggregate(self, health_ids, today, since_interactions, since_complaints):
        """One row per health record with every raw input of the customer: the
        customer and its contacts, their leads, follow-ups, staff messages, done
        activities, meetings and complaints."""
        self.env.cr.execute(
            SQL(
                """
            WITH h AS (
                SELECT s.id AS health_id, s.partner_id FROM crm_health_score s
                 WHERE s.id = ANY(%(ids)s) AND s.state <> 'frozen'
            ), members AS (
                SELECT h.partner_id, c.id AS member_id
                  FROM h JOIN res_partner c ON c.commercial_partner_id = h.partner_id
            ), leads AS (
                SELECT m.partner_id, l.id AS lead_id, l.user_id, l.team_id, l.company_id,
                       l.create_date
                  FROM members m JOIN crm_lead l ON l.partner_id = m.member_id
            ), staff AS (
                SELECT partner_id FROM res_users
                 WHERE share IS NOT TRUE AND partner_id <> %(root)s
            ), touches AS (
                SELECT m.partner_id, f.date::date AS day
                  FROM members m JOIN crm_followup f ON f.partner_id = m.member_id
                UNION ALL
                SELECT m.partner_id, msg.date::date
                  FROM members m JOIN mail_message msg
                    ON msg.model = 'res.partner' AND msg.res_id = m.member_id
                 WHERE msg.message_type = ANY(%(types)s) AND msg.mail_activity_type_id IS NULL
                   AND msg.author_id IN (SELECT partner_id FROM staff)
                UNION ALL
                SELECT l.partner_id, msg.date::date
                  FROM leads l JOIN mail_message msg
                    ON msg.model = 'crm.lead' AND msg.res_id = l.lead_id
                 WHERE msg.message_type = ANY(%(types)s) AND msg.mail_activity_type_id IS NULL
                   AND msg.author_id IN (SELECT partner_id FROM staff)
                UNION ALL
                SELECT m.partner_id, a.date_done
                  FROM members m JOIN mail_activity a
                    ON a.res_model = 'res.partner' AND a.res_id = m.member_id
                 WHERE a.active IS NOT TRUE AND a.date_done IS NOT NULL
                UNION ALL
                SELECT l.partner_id, a.date_done
                  FROM leads l JOIN mail_activity a
                    ON a.res_model = 'crm.lead' AND a.res_id = l.lead_id
                 WHERE a.active IS NOT TRUE AND a.date_done IS NOT NULL
                UNION ALL
                SELECT m.partner_id, e.start::date
                  FROM members m
                  JOIN calendar_event_res_partner_rel r ON r.res_partner_id = m.member_id
                  JOIN calendar_event e ON e.id = r.calendar_event_id
                 WHERE e.active
            ), touch_agg AS (
                SELECT partner_id, max(day) AS last_day,
                       count(*) FILTER (WHERE day >= %(since)s) AS recent
                  FROM touches WHERE day <= %(today)s GROUP BY partner_id
            ), complaint_agg AS (
                SELECT m.partner_id, count(*) AS total,
                       count(*) FILTER (WHERE k.state <> 'resolved') AS unresolved
                  FROM members m JOIN crm_complaint k ON k.partner_id = m.member_id
                 WHERE k.date_open >= %(complaints_since)s
                 GROUP BY m.partner_id
            ), last_lead AS (
                SELECT DISTINCT ON (partner_id) partner_id, user_id, team_id, company_id
                  FROM leads ORDER BY partner_id, create_date DESC, lead_id DESC
            )
            SELECT h.health_id, h.partner_id, p.needs_match,
                   COALESCE(p.user_id, ll.user_id) AS user_id,
                   COALESCE(ll.team_id, u.sale_team_id) AS team_id,
                   COALESCE(p.company_id, ll.company_id, s.company_id) AS company_id,
                   p.customer_success_user_id,
                   t.last_day, COALESCE(t.recent, 0) AS recent,
                   COALESCE(ca.total, 0) AS complaints, COALESCE(ca.unresolved, 0) AS unresolved,
                   s.override_active, s.override_score, s.override_risk_level,
                   s.churn_risk, s.churn_since, s.churn_activity_id
              FROM h
              JOIN crm_health_score s ON s.id = h.health_id
              JOIN res_partner p ON p.id = h.partner_id
              LEFT JOIN last_lead ll ON ll.partner_id = h.partner_id
              LEFT JOIN res_users u ON u.id = COALESCE(p.user_id, ll.user_id)
              LEFT JOIN touch_agg t ON t.partner_id = h.partner_id
              LEFT JOIN complaint_agg ca ON ca.partner_id = h.partner_id
            """,
                ids=list(health_ids),
                root=self.env.ref("base.partner_root").id,
                types=STAFF_MESSAGE_TYPES,
                since=since_interactions,
                today=today,
                complaints_since=since_complaints,
            )
        )
        return self.env.cr.dictfetchall()

    @staticmethod
    def _raw_from_row(row, compiled):
        """Raw dimension values of one customer; None where data is missing."""
        has_touch = row["last_day"] is not None
        complaints = row["complaints"] or 0
        unresolved = row["unresolved"] or 0
        return {
            "recency": row["recency_days"] if has_touch else None,
            "frequency": round(row["recent"] / 3.0, 2) if has_touch else None,
            "orders": row["orders"] or 0,
            "complaints": (complaints - unresolved) + unresolved * compiled["factor"],
            "needs": NEEDS_MATCH_VALUES.get(row["needs_match"]),
        }

    @api.model
    def _read_scored_inputs(self, company_id=None):
        """The raw inputs stored by the last recompute, for the scorecard preview."""
        company = SQL("AND company_id = %s", company_id) if company_id else SQL()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT last_interaction_date AS last_day, recency_days,
                   interaction_count AS recent, order_count AS orders,
                   complaint_count AS complaints, complaint_open_count AS unresolved,
                   needs_match, risk_level, override_active
              FROM crm_health_score
             WHERE state <> 'frozen' %s
            """,
                company,
            )
        )
        return self.env.cr.dictfetchall()

    # ------------------------------------------------------------------
    # Recompute of one batch
    # ------------------------------------------------------------------
    def _recompute(self, health_ids):
        """Recompute the given health records (ids) with a fixed number of queries."""
        Score = self.env["crm.health.score"]
        self._expire_overrides(health_ids)
        self.env.flush_all()
        today = fields.Date.today()
        now = fields.Datetime.now()
        since_interactions = today - relativedelta(months=3)
        rows = self._aggregate(
            health_ids, today, since_interactions, today - relativedelta(months=6)
        )
        orders = Score._health_order_counts([row["partner_id"] for row in rows], since_interactions)
        cards = self.env["crm.health.scorecard"]._for_companies({row["company_id"] for row in rows})
        compiled = {cid: card._compile() for cid, card in cards.items() if card}
        rules = self.env["crm.health.intervention.rule"]._compiled_rules()
        period_start = self.env["crm.health.snapshot"]._period_start(today)
        previous = self.env["crm.health.snapshot"]._previous_scores(health_ids, period_start)
        previous_rules = self._current_rule_ids(health_ids)
        churn_days = int(
            self.env["ir.config_parameter"].sudo().get_param("crm_health_score.churn_days", 30)
        )
        results = []
        for row in rows:
            card = compiled.get(row["company_id"])
            if not card:
                continue
            won, open_count = orders.get(row["partner_id"], (0, 0))
            row["orders"], row["open_orders"] = won, open_count
            row["recency_days"] = (today - row["last_day"]).days if row["last_day"] else None
            raw = self._raw_from_row(row, card)
            result = self.env["crm.health.scorecard"]._score_raw(card, raw)
            result.update(row=row, raw=raw, card=card)
            self._apply_override(result)
            prev = previous.get(row["health_id"])
            result["previous"] = prev
            result["trend"] = (
                result["final_score"] - prev
                if prev is not None and result["final_score"] is not None
                else 0
            )
            result["churn"] = bool(
                row["last_day"]
                and row["recency_days"] >= churn_days
                and not row["open_orders"]
            )
            result["rule_ids"] = [
                rule["id"]
                for rule in rules
                if self.env["crm.health.intervention.rule"]._matches(rule, result)
            ]
            results.append(result)
        self._write_scores(results, now)
        self.env["crm.health.snapshot"]._upsert(
            [r["row"]["health_id"] for r in results], period_start, today
        )
        self._write_rules(results)
        Score.invalidate_model()
        self.env["crm.health.snapshot"].invalidate_model()
        Score.browse(health_ids)._apply_churn_warnings(
            {r["row"]["health_id"]: r for r in results}, churn_days
        )
        self.env["crm.health.intervention.rule"]._create_activities(results, previous_rules)

    @staticmethod
    def _apply_override(result):
        row, card = result["row"], result["card"]
        if row["override_active"]:
            score = row["override_score"] or 0
            result["final_score"] = score
            result["final_risk"] = row["override_risk_level"] or (
                "low" if score >= card["low"] else "medium" if score >= card["medium"] else "high"
            )
        else:
            result["final_score"] = result["score"]
            result["final_risk"] = result["risk"]

    def _current_rule_ids(self, health_ids):
        self.env.cr.execute(
            SQL(
                "SELECT health_id, array_agg(rule_id) FROM crm_health_score_rule_rel "
                "WHERE health_id = ANY(%s) GROUP BY health_id",
                list(health_ids),
            )
        )
        return {health_id: set(rule_ids) for health_id, rule_ids in self.env.cr.fetchall()}

    def _write_scores(self, results, now):
        """One UPDATE for the whole batch of health records."""
        if not results:
            return
        columns = {
            "id": ("int", lambda r: r["row"]["health_id"]),
            "company_id": ("int", lambda r: r["row"]["company_id"]),
            "user_id": ("int", lambda r: r["row"]["user_id"]),
            "team_id": ("int", lambda r: r["row"]["team_id"]),
            "customer_success_user_id": ("int", lambda r: r["row"]["customer_success_user_id"]),
            "scorecard_id": ("int", lambda r: r["card"]["id"]),
            "state": ("varchar", lambda r: r["state"]),
            "computed_score": ("int", lambda r: r["score"] or 0),
            "computed_risk_level": ("varchar", lambda r: r["risk"] or None),
            "score": ("int", lambda r: r["final_score"] or 0),
            "risk_level": ("varchar", lambda r: r["final_risk"] or None),
            "trend": ("int", lambda r: r["trend"]),
            "previous_score": ("int", lambda r: r["previous"]),
            "churn_risk": ("bool", lambda r: r["churn"]),
            "last_interaction_date": ("date", lambda r: r["row"]["last_day"]),
            "recency_days": ("int", lambda r: r["row"]["recency_days"]),
            "interaction_count": ("int", lambda r: r["row"]["recent"]),
            "frequency_value": ("float8", lambda r: r["raw"]["frequency"]),
            "order_count": ("int", lambda r: r["row"]["orders"]),
            "open_order_count": ("int", lambda r: r["row"]["open_orders"]),
            "complaint_count": ("int", lambda r: r["row"]["complaints"]),
            "complaint_open_count": ("int", lambda r: r["row"]["unresolved"]),
            "complaint_value": ("float8", lambda r: r["raw"]["complaints"]),
            "needs_match": ("varchar", lambda r: r["row"]["needs_match"]),
        }
        for dimension in ("recency", "frequency", "orders", "complaints", "needs"):
            prefix = {"orders": "order", "complaints": "complaint"}.get(dimension, dimension)
            columns[f"{prefix}_points"] = ("int", lambda r, d=dimension: r["points"][d])
            columns[f"{prefix}_weight"] = ("float8", lambda r, d=dimension: r["weights"][d])
        names = list(columns)
        arrays = SQL(", ").join(
            SQL("%s::%s[]", [getter(r) for r in results], SQL(kind))
            for kind, getter in columns.values()
        )
        assignments = SQL(", ").join(
            SQL("%s = v.%s", SQL.identifier(name), SQL.identifier(name))
            for name in names
            if name != "id"
        )
        self.env.cr.execute(
            SQL(
                """
            UPDATE crm_health_score s
               SET %(assignments)s, computed_on = %(now)s,
                   write_date = %(now)s, write_uid = %(uid)s
              FROM unnest(%(arrays)s) AS v(%(names)s)
             WHERE s.id = v.id
            """,
                assignments=assignments,
                now=now,
                uid=self.env.uid,
                arrays=arrays,
                names=SQL(", ").join(SQL.identifier(name) for name in names),
            )
        )

    def _write_rules(self, results):
        health_ids = [r["row"]["health_id"] for r in results]
        pairs = [(r["row"]["health_id"], rule_id) for r in results for rule_id in r["rule_ids"]]
        self.env.cr.execute(
            SQL("DELETE FROM crm_health_score_rule_rel WHERE health_id = ANY(%s)", health_ids)
        )
        if pairs:
            self.env.cr.execute(
                SQL(
                    "INSERT INTO crm_health_score_rule_rel (health_id, rule_id) "
                    "SELECT * FROM unnest(%s::int[], %s::int[])",
                    [p[0] for p in pairs],
                    [p[1] for p in pairs],
                )
            )
