# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The SQL sources of the lead KPIs: completeness, first response, unattended
leads and conversion (see crm_kpi.py for the contract)."""

import math
from datetime import timedelta

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
