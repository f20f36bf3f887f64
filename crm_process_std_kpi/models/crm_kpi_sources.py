# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SQL sources of the process KPIs (see crm_kpi.py for the contract): the lead
KPIs (completeness, first response, unattended leads, conversion), the customer KPIs
(churn, neglected high-value customers) and the follow-up timeliness."""

import math
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL

# Standard customer fields of a lead (seed template 1) counted by the completeness
# KPI when the stage-requirement completeness rate is not installed.
DEFAULT_COMPLETENESS_FIELDS = (
    "partner_id",
    "contact_name",
    "function",
    "phone",
    "email_from",
    "source_id",
    "user_id",
    "description",
)
COMPLETENESS_FIELD_TYPES = (
    "char",
    "text",
    "html",
    "selection",
    "many2one",
    "date",
    "datetime",
    "integer",
    "float",
    "monetary",
    "boolean",
)
# High-value customers: the top fifth by won revenue over the last 12 months.
HIGH_VALUE_SHARE = 0.2


class CrmKpi(models.AbstractModel):
    _inherit = "crm.kpi"

    # -- information completeness -------------------------------------------------

    @api.model
    def _kpi_completeness_fields(self):
        """Lead fields counted by the completeness KPI (Settings, else the default)."""
        # sudo: reads configuration only (the list of counted fields)
        param = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_process_std.kpi_completeness_fields")
        )
        names = [name.strip() for name in (param or "").split(",") if name.strip()]
        valid = [
            name
            for name in names or DEFAULT_COMPLETENESS_FIELDS
            if self._kpi_completeness_field_allowed(name)
        ]
        return valid or list(DEFAULT_COMPLETENESS_FIELDS)

    @api.model
    def _kpi_completeness_field_allowed(self, name):
        """Whether the lead field ``name`` can be counted (stored, simple value)."""
        field = self.env["crm.lead"]._fields.get(name)
        return bool(field and field.store and field.type in COMPLETENESS_FIELD_TYPES)

    @api.model
    def _kpi_filled_sql(self, alias, field):
        column = SQL.identifier(alias, field.name)
        if field.translate:
            return SQL("%s IS NOT NULL", column)
        if field.type == "html":
            return SQL(
                "COALESCE(TRIM(regexp_replace(%s, '<[^>]*>|&nbsp;', '', 'g')), '') <> ''", column
            )
        if field.type in ("char", "text", "selection"):
            return SQL("COALESCE(TRIM(%s), '') <> ''", column)
        if field.type in ("integer", "float", "monetary"):
            return SQL("COALESCE(%s, 0) <> 0", column)
        if field.type == "boolean":
            return SQL("COALESCE(%s, FALSE)", column)
        return SQL("%s IS NOT NULL", column)

    @api.model
    def _kpi_lead_completeness_sql(self, alias):
        """Completeness (0-100) of a lead: its stored completeness_rate when the
        stage requirements provide one, else the share of filled standard fields."""
        leads = self.env["crm.lead"]
        rate_field = leads._fields.get("completeness_rate")
        if rate_field is not None and rate_field.store:
            return SQL("COALESCE(%s, 0)", SQL.identifier(alias, "completeness_rate"))
        names = self._kpi_completeness_fields()
        filled = SQL(" + ").join(
            SQL("(CASE WHEN %s THEN 1 ELSE 0 END)", self._kpi_filled_sql(alias, leads._fields[n]))
            for n in names
        )
        return SQL("(100.0 * (%s) / %s)", filled, len(names))

    @api.model
    def _kpi_completeness_threshold(self):
        """The completeness threshold (%), read between 0 and 100 (else 80)."""
        # sudo: reads configuration only
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_process_std.completeness_threshold")
        )
        try:
            threshold = float(value) if value else 80.0
        except (TypeError, ValueError):
            return 80.0
        return min(max(threshold, 0.0), 100.0) if math.isfinite(threshold) else 80.0

    @api.model
    def _kpi_created_leads_sql(self, period, extra=None):
        return SQL(
            """SELECT l.* FROM crm_lead l
                WHERE l.create_date >= %s AND l.create_date < %s AND %s AND %s""",
            period.start,
            period.stop,
            self._kpi_company_sql("l", period),
            extra or SQL("TRUE"),
        )

    @api.model
    def _kpi_sql_completeness(self, period):
        """Average completeness of the leads created in the period."""
        return SQL(
            """SELECT l.id AS record_id, l.team_id, l.user_id, c.rate AS num, 1 AS den,
                      c.rate < %(threshold)s AS problem
                 FROM (%(leads)s) l, LATERAL (SELECT %(rate)s AS rate) c""",
            threshold=self._kpi_completeness_threshold(),
            leads=self._kpi_created_leads_sql(period),
            rate=self._kpi_lead_completeness_sql("l"),
        )

    @api.model
    def _kpi_sql_completeness_above(self, period):
        """Share of the leads created in the period at or above the threshold."""
        return SQL(
            """SELECT l.id AS record_id, l.team_id, l.user_id,
                      (c.rate >= %(threshold)s)::int AS num, 1 AS den,
                      c.rate < %(threshold)s AS problem
                 FROM (%(leads)s) l, LATERAL (SELECT %(rate)s AS rate) c""",
            threshold=self._kpi_completeness_threshold(),
            leads=self._kpi_created_leads_sql(period),
            rate=self._kpi_lead_completeness_sql("l"),
        )

    # -- response ------------------------------------------------------------------

    @api.model
    def _kpi_sql_first_response(self, period):
        """Hours from the creation of a lead to its first contact, for the leads
        created in the period that were contacted (the others are problems once
        older than the target)."""
        limit = self._kpi_target_limit("first_response", period)
        leads = self._kpi_created_leads_sql(period)
        return SQL(
            """
            WITH leads AS (%(leads)s),
                 first AS (%(first)s)
            SELECT l.id AS record_id, l.team_id, l.user_id,
                   COALESCE(EXTRACT(EPOCH FROM f.first_contact - l.create_date) / 3600.0, 0) AS num,
                   (f.first_contact IS NOT NULL)::int AS den,
                   CASE WHEN f.first_contact IS NULL THEN l.create_date < %(late)s
                        ELSE f.first_contact - l.create_date > %(limit)s END AS problem
              FROM leads l LEFT JOIN first f ON f.lead_id = l.id
            """,
            leads=leads,
            first=self._kpi_lead_first_contact_sql(SQL("SELECT id, create_date FROM leads")),
            late=period.now - timedelta(hours=limit),
            limit=timedelta(hours=limit),
        )

    @api.model
    def _kpi_sql_unattended_leads(self, period):
        """Share of the leads created in the period that were left unassigned, or
        not contacted, for more than N days (Settings, default 7). Leads younger
        than N days are not judged yet."""
        days = timedelta(days=self._kpi_days_param("kpi_uncontacted_days", 7))
        leads = self._kpi_created_leads_sql(period, SQL("l.create_date <= %s", period.now - days))
        return SQL(
            """
            WITH leads AS (%(leads)s),
                 first AS (%(first)s)
            SELECT l.id AS record_id, l.team_id, l.user_id, u.flag::int AS num, 1 AS den,
                   u.flag AS problem
              FROM leads l LEFT JOIN first f ON f.lead_id = l.id,
                   LATERAL (SELECT l.user_id IS NULL
                                OR l.date_open > l.create_date + %(days)s
                                OR f.first_contact IS NULL
                                OR f.first_contact > l.create_date + %(days)s AS flag) u
            """,
            leads=leads,
            first=self._kpi_lead_first_contact_sql(SQL("SELECT id, create_date FROM leads")),
            days=days,
        )

    # -- conversion -----------------------------------------------------------------

    @api.model
    def _kpi_sql_conversion(self, period):
        """Won / (won + lost) among the leads and opportunities closed in the period."""
        return SQL(
            """SELECT l.id AS record_id, l.team_id, l.user_id,
                      (l.won_status = 'won')::int AS num, 1 AS den,
                      l.won_status = 'lost' AS problem
                 FROM crm_lead l
                WHERE l.won_status IN ('won', 'lost')
                  AND l.date_closed >= %s AND l.date_closed < %s AND %s""",
            period.start,
            period.stop,
            self._kpi_company_sql("l", period),
        )

    @api.model
    def _kpi_sql_lead_to_opportunity(self, period):
        """Share of the leads created in the period (as leads, not directly as
        opportunities) that were converted into opportunities."""
        leads = self._kpi_created_leads_sql(
            period, SQL("(l.type = 'lead' OR l.date_conversion IS NOT NULL)")
        )
        return SQL(
            """SELECT l.id AS record_id, l.team_id, l.user_id,
                      (l.type = 'opportunity')::int AS num, 1 AS den,
                      l.type = 'lead' AS problem
                 FROM (%s) l""",
            leads,
        )

    # -- interactions with the customers -----------------------------------------

    @api.model
    def _kpi_partner_events_sql(self, date_from, date_to):
        """(partner_id, date) of every interaction with a customer in [from, to)
        (crm.interaction: the one definition) and of every order (the one of
        res.partner); ``partner_id`` is the commercial partner (the company)."""
        interactions = self.env["crm.interaction"]._interactions_sql(
            date_from=date_from, date_to=date_to
        )
        orders = self.env["res.partner"]._crm_std_orders_sql(date_from, date_to)
        return SQL(
            "SELECT i.partner_id, i.date FROM (%s) i WHERE i.partner_id IS NOT NULL"
            " UNION ALL SELECT o.partner_id, o.date FROM (%s) o",
            interactions,
            orders,
        )

    # -- customers and activities -------------------------------------------------

    @api.model
    def _kpi_sql_churn(self, period):
        """Monthly churn rate: customers lost in a month / active customers.

        A *customer* is a commercial partner with an order (a won deal; a confirmed
        sale order with the sale bridge) in the 12 months before the month. It is
        *active* at the start of the month when it had an interaction (see
        crm.interaction) or an order in the N days before (Settings, default 30). It is
        *lost* in the month when, during the month, N days pass without any
        interaction while it has no open opportunity (seed: "30 days without
        interaction and no unfinished order" = churn risk). A period of several
        months counts each month: lost over the months / active at each month's
        start. One row per customer and month, counted for the customer's
        salesperson and the salesperson's main sales team.
        """
        gap = timedelta(days=self._kpi_days_param("kpi_churn_days", 30))
        return SQL(
            """
            WITH won AS (
                SELECT DISTINCT o.partner_id, o.date AS date_closed
                  FROM (%(orders)s) o WHERE %(company)s
            ),
            events AS (
                SELECT DISTINCT ev.partner_id, ev.date FROM (%(events)s) ev
                 WHERE ev.partner_id IN (SELECT partner_id FROM won)
            ),
            crossings AS (
                SELECT g.partner_id, g.date + %(gap)s AS crossing
                  FROM (SELECT partner_id, date,
                               LEAD(date) OVER (PARTITION BY partner_id ORDER BY date) AS next_date
                          FROM events) g
                 WHERE (g.next_date IS NULL OR g.next_date > g.date + %(gap)s)
                   AND g.date + %(gap)s <= %(now)s
            ),
            months AS (
                SELECT GREATEST(ms, %(start)s) AS m_from,
                       LEAST(ms + interval '1 month', %(stop)s) AS m_to
                  FROM generate_series(date_trunc('month', %(start)s::timestamp),
                                       %(stop)s::timestamp - interval '1 second',
                                       interval '1 month') ms
            ),
            active AS (
                SELECT DISTINCT m.m_from, m.m_to, w.partner_id
                  FROM months m
                  JOIN won w ON w.date_closed >= m.m_from - interval '12 months'
                            AND w.date_closed < m.m_from
                  JOIN events e ON e.partner_id = w.partner_id
                               AND e.date >= m.m_from - %(gap)s AND e.date < m.m_from
            ),
            lost AS (
                SELECT DISTINCT a.m_from, a.partner_id
                  FROM active a
                  JOIN crossings x ON x.partner_id = a.partner_id
                                  AND x.crossing >= a.m_from AND x.crossing < a.m_to
                 WHERE NOT EXISTS (
                        SELECT 1 FROM crm_lead o
                          JOIN res_partner op ON op.id = o.partner_id
                         WHERE op.commercial_partner_id = x.partner_id
                           AND o.type = 'opportunity'
                           AND o.create_date <= x.crossing
                           AND ((o.date_closed IS NULL AND o.active) OR o.date_closed > x.crossing))
            )
            SELECT a.partner_id AS record_id, u.sale_team_id AS team_id, p.user_id,
                   (lost.partner_id IS NOT NULL)::int AS num, 1 AS den,
                   lost.partner_id IS NOT NULL AS problem
              FROM active a
              JOIN res_partner p ON p.id = a.partner_id
         LEFT JOIN res_users u ON u.id = p.user_id
         LEFT JOIN lost ON lost.m_from = a.m_from AND lost.partner_id = a.partner_id
            """,
            company=self._kpi_company_sql("o", period),
            orders=self.env["res.partner"]._crm_std_orders_sql(
                period.start - relativedelta(months=12), period.stop
            ),
            start=period.start,
            stop=period.stop,
            now=period.now,
            gap=gap,
            events=self._kpi_partner_events_sql(period.start - gap, period.stop),
        )

    @api.model
    def _kpi_sql_neglected_customers(self, period):
        """Share of the high-value customers (top fifth by the amount of their
        orders in the 12 months before the end of the period) without any interaction
        or order in the last N days of the period (Settings, default 30)."""
        days = timedelta(days=self._kpi_days_param("kpi_neglect_days", 30))
        reference = min(period.stop, period.now)
        return SQL(
            """
            WITH won AS (
                SELECT o.partner_id, SUM(o.amount) AS revenue
                  FROM (%(orders)s) o WHERE %(company)s
              GROUP BY o.partner_id
            ),
            ranked AS (
                SELECT partner_id,
                       ROW_NUMBER() OVER (ORDER BY revenue DESC, partner_id) AS rank,
                       COUNT(*) OVER () AS total
                  FROM won
            ),
            top AS (SELECT partner_id FROM ranked WHERE rank <= CEIL(total * %(share)s)),
            recent AS (
                SELECT DISTINCT ev.partner_id FROM (%(events)s) ev
                 WHERE ev.partner_id IN (SELECT partner_id FROM top)
            )
            SELECT t.partner_id AS record_id, u.sale_team_id AS team_id, p.user_id,
                   (r.partner_id IS NULL)::int AS num, 1 AS den, r.partner_id IS NULL AS problem
              FROM top t
              JOIN res_partner p ON p.id = t.partner_id
         LEFT JOIN res_users u ON u.id = p.user_id
         LEFT JOIN recent r ON r.partner_id = t.partner_id
            """,
            company=self._kpi_company_sql("o", period),
            orders=self.env["res.partner"]._crm_std_orders_sql(
                reference - relativedelta(months=12), reference
            ),
            share=HIGH_VALUE_SHARE,
            events=self._kpi_partner_events_sql(reference - days, reference),
        )

    @api.model
    def _kpi_sql_timeliness(self, period):
        """Follow-up timeliness: activities on leads and customers due in the
        period that were done by their deadline / all of them that are due (done,
        or still open past their deadline). Odoo keeps done activities archived
        with their deadline and done date; cancelled ones are deleted."""
        return SQL(
            """SELECT a.id AS record_id, COALESCE(l.team_id, u.sale_team_id) AS team_id, a.user_id,
                      (NOT a.active AND a.date_done <= a.date_deadline)::int AS num, 1 AS den,
                      NOT (NOT a.active AND a.date_done <= a.date_deadline) AS problem
                 FROM mail_activity a
            LEFT JOIN crm_lead l ON a.res_model = 'crm.lead' AND l.id = a.res_id
            LEFT JOIN res_partner p ON a.res_model = 'res.partner' AND p.id = a.res_id
            LEFT JOIN res_users u ON u.id = a.user_id
                WHERE a.res_model IN ('crm.lead', 'res.partner')
                  AND a.date_deadline >= %(from)s AND a.date_deadline <= %(to)s
                  AND (NOT a.active OR a.date_deadline < %(today)s)
                  AND (COALESCE(l.company_id, p.company_id) = %(company)s
                       OR COALESCE(l.company_id, p.company_id) IS NULL)""",
            **{"from": period.date_from, "to": period.date_to},
            today=period.now.date(),
            company=period.company_id,
        )
