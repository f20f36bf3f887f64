# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Registry and engine of the process KPIs.

Each KPI is registered by its code in :meth:`CrmKpi._kpi_definitions` and has one
method ``_kpi_sql_<code>(period)`` returning a set-based SQL query with one row per
record behind the figure::

    record_id, team_id, user_id, num, den, problem

The engine sums ``num`` and ``den`` per company, sales team and salesperson in one
query (``GROUPING SETS``); a *ratio* KPI is ``100 * num / den`` (%), an *average*
KPI is ``num / den`` (e.g. hours). ``problem`` marks the records that pull the
figure away from its target: they are the records opened from a figure.
New KPIs are added by extending ``crm.kpi`` with a definition (merged into
:meth:`CrmKpi._kpi_definitions`) and its ``_kpi_sql_<code>`` method: the bridges of
the complaint, handoff and SLA addons add theirs that way.
"""

from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from odoo import api, fields, models
from odoo.tools import SQL

KPI_UNITS = [("percent", "%"), ("hours", "Hours")]


class KpiPeriod(NamedTuple):
    """A KPI period: ``date_from`` .. ``date_to`` inclusive, in UTC, for one company."""

    date_from: date
    date_to: date
    company_id: int
    now: datetime

    @property
    def start(self):
        return datetime.combine(self.date_from, time.min)

    @property
    def stop(self):
        """First instant after the period (exclusive bound)."""
        return datetime.combine(self.date_to + timedelta(days=1), time.min)


class KpiResult(NamedTuple):
    numerator: float
    denominator: float
    value: float


# Day settings of the KPIs (Settings): read within these bounds whatever is stored,
# so that a forged parameter cannot overflow a date computation in every KPI query.
KPI_DAYS_MAX = 3650

# precommit data: ids of the leads whose first contact is to be stored again
FIRST_CONTACT_QUEUE = "crm_process_std.first_contact"


class CrmKpi(models.AbstractModel):
    _name = "crm.kpi"
    _description = "Process KPI Computation"

    # -- registry -------------------------------------------------------------

    @api.model
    def _kpi_definitions(self):
        """Every KPI by code, in display order.

        ``formula``: ``ratio`` (100 * num / den, in %) or ``average`` (num / den);
        ``comparison`` / ``target``: the seed default target; ``attention``: the
        seed's attention threshold used by the diagnosis (value on the wrong side
        of it is flagged; derived from the target when the seed names none);
        ``proposal_step``: proposed targets aim that many points above the measure;
        ``proposal_min_sample``: records needed to move a target from a measure
        (else 30); ``model``: the records behind the figure; ``diagnosis``: the
        figure's place in the diagnosis (figures without it are not diagnosed).
        Addons add their KPIs by merging their definitions into this dict.
        """
        return {
            "completeness": {
                "name": self.env._("Information Completeness Rate"),
                "unit": "percent",
                "formula": "average",
                "comparison": ">=",
                "target": 90.0,
                "attention": 60.0,
                "model": "crm.lead",
                "diagnosis": 0,
            },
            "completeness_above": {
                "name": self.env._("Records Above Completeness Threshold"),
                "unit": "percent",
                "formula": "ratio",
                "comparison": ">=",
                "target": 80.0,
                "model": "crm.lead",
            },
            "timeliness": {
                "name": self.env._("Follow-up Timeliness Rate"),
                "unit": "percent",
                "formula": "ratio",
                "comparison": ">=",
                "target": 95.0,
                "attention": 80.0,
                "model": "mail.activity",
                "diagnosis": 1,
            },
            "first_response": {
                "name": self.env._("Average First-Response Time"),
                "unit": "hours",
                "formula": "average",
                "comparison": "<=",
                "target": 2.0,
                "model": "crm.lead",
                "diagnosis": 4,
            },
            "conversion": {
                "name": self.env._("Lead Conversion Rate (Won / Closed)"),
                "unit": "percent",
                "formula": "ratio",
                "comparison": ">=",
                "target": 35.0,
                "proposal_step": 15.0,
                "model": "crm.lead",
                "diagnosis": 2,
            },
            "lead_to_opportunity": {
                "name": self.env._("Lead to Opportunity Rate"),
                "unit": "percent",
                "formula": "ratio",
                "comparison": ">=",
                "target": 50.0,
                "proposal_step": 10.0,
                "model": "crm.lead",
                "diagnosis": 3,
            },
            "churn": {
                "name": self.env._("Monthly Churn Rate"),
                "unit": "percent",
                "formula": "ratio",
                "comparison": "<=",
                "target": 5.0,
                "attention": 10.0,
                "model": "res.partner",
                "diagnosis": 5,
            },
            "unattended_leads": {
                "name": self.env._("Leads Unassigned or Uncontacted Too Long"),
                "unit": "percent",
                "formula": "ratio",
                "comparison": "<=",
                "target": 5.0,
                "model": "crm.lead",
                "diagnosis": 6,
            },
            "neglected_customers": {
                "name": self.env._("High-Value Customers Without Contact"),
                "unit": "percent",
                "formula": "ratio",
                "comparison": "<=",
                "target": 10.0,
                # the top fifth of the customers: a smaller population than the others
                "proposal_min_sample": 10,
                "model": "res.partner",
                "diagnosis": 7,
            },
        }

    @api.model
    def _kpi_selection(self):
        return [(code, kpi["name"]) for code, kpi in self._kpi_definitions().items()]

    @api.model
    def _kpi_period(self, date_from, date_to, company=None):
        company = company or self.env.company
        return KpiPeriod(
            fields.Date.to_date(date_from),
            fields.Date.to_date(date_to),
            company.id,
            fields.Datetime.now(),
        )

    @api.model
    def _kpi_base_sql(self, code, period):
        """The record-level query of ``code`` (its ``_kpi_sql_<code>`` method)."""
        return getattr(self, f"_kpi_sql_{code}")(period)

    # -- engine -----------------------------------------------------------------

    @api.model
    def _kpi_apply_pending(self):
        """Store what this transaction queued for the sources before measuring them
        (an explicit point, as is the commit): extended by the addons whose sources
        are kept up to date once per transaction."""
        self._kpi_apply_first_contact()

    @api.model
    def _kpi_compute(
        self,
        code,
        date_from,
        date_to,
        company=None,
        team=None,
        user=None,
        by_team=False,
        by_user=False,
    ):
        """Compute ``code`` over a period.

        Raw SQL over every record of ``company``: the callers check that the user may
        read that company's figures first (snapshot wizard and diagnosis: write access
        on the process records of the company; comparison: its company rule).

        :return: a dict ``{(team_id or False, user_id or False): KpiResult}`` holding the
            overall figure under ``(False, False)`` and, on request, one entry
            per sales team and per salesperson. Groups without data are absent.
        """
        period = self._kpi_period(date_from, date_to, company)
        self._kpi_apply_pending()
        base = self._kpi_base_sql(code, period)
        self.env.flush_all()
        definition = self._kpi_definitions()[code]
        query = SQL(
            """
            SELECT GROUPING(kpi.team_id), GROUPING(kpi.user_id), kpi.team_id, kpi.user_id,
                   COALESCE(SUM(kpi.num), 0), COALESCE(SUM(kpi.den), 0)
              FROM (%(base)s) AS kpi
             WHERE %(filters)s
          GROUP BY GROUPING SETS ((), (kpi.team_id), (kpi.user_id))
            """,
            base=base,
            filters=self._kpi_scope_filter(team, user),
        )
        # raw SQL read of the company's figures: checked by the callers (docstring)
        self.env.cr.execute(query)
        results = {}
        for no_team, no_user, team_id, user_id, num, den in self.env.cr.fetchall():
            if not den or (not no_team and not (by_team and team_id)):
                continue
            if not no_user and not (by_user and user_id):
                continue
            key = (team_id if not no_team else False, user_id if not no_user else False)
            results[key] = KpiResult(num, den, self._kpi_value_of(definition, num, den))
        return results

    @api.model
    def _kpi_value_of(self, definition, numerator, denominator):
        factor = 100.0 if definition["formula"] == "ratio" else 1.0
        return round(factor * numerator / denominator, 2)

    @api.model
    def _kpi_format_value(self, value, unit):
        """``value`` with its unit, for labels and charts: "96.15 %", "120 h"."""
        number = f"{value or 0.0:.2f}".rstrip("0").rstrip(".")
        if unit == "hours":
            return self.env._("%(hours)s h", hours=number)
        return self.env._("%(percent)s %%", percent=number)

    @api.model
    def _kpi_scope_filter(self, team=None, user=None):
        conditions = [SQL("TRUE")]
        if team:
            conditions.append(SQL("kpi.team_id = %s", team.id))
        if user:
            conditions.append(SQL("kpi.user_id = %s", user.id))
        return SQL(" AND ").join(conditions)

    @api.model
    def _kpi_value(self, code, date_from, date_to, company=None, team=None, user=None):
        """The overall value of ``code`` (None: no data)."""
        results = self._kpi_compute(code, date_from, date_to, company, team, user)
        result = results.get((False, False))
        return result.value if result else None

    @api.model
    def _kpi_record_ids(self, code, date_from, date_to, company=None, team=None, user=None):
        """Ids of the records pulling ``code`` away from its target.

        Raw SQL over ``company``: callers check read access to the figure first; the
        records are then listed through the caller's own record rules."""
        period = self._kpi_period(date_from, date_to, company)
        self._kpi_apply_pending()
        base = self._kpi_base_sql(code, period)
        self.env.flush_all()
        # raw SQL read of record ids: checked by the callers (docstring)
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT kpi.record_id FROM (%s) AS kpi WHERE kpi.problem AND %s",
                base,
                self._kpi_scope_filter(team, user),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _kpi_action_records(self, code, date_from, date_to, company=None, team=None, user=None):
        """Window action listing the records behind ``code`` (see _kpi_record_ids)."""
        definition = self._kpi_definitions()[code]
        ids = self._kpi_record_ids(code, date_from, date_to, company, team, user)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("%(kpi)s: records to look at", kpi=definition["name"]),
            "res_model": definition["model"],
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", ids)],
            # Lost leads and done activities are archived: show them too.
            "context": {"active_test": False, "create": False},
        }

    # -- shared sources ---------------------------------------------------------

    @api.model
    def _kpi_days_param(self, name, default):
        """A day setting of the KPIs, between 1 and KPI_DAYS_MAX (else ``default``)."""
        # sudo: reads one configuration value, shown to every user in the settings
        value = self.env["ir.config_parameter"].sudo().get_param(f"crm_process_std.{name}")
        try:
            return min(max(int(value), 1), KPI_DAYS_MAX) if value else default
        except (TypeError, ValueError):
            return default

    @api.model
    def _kpi_target_limit(self, code, period):
        """Target value of ``code`` for the period's company (else the seed default)."""
        company = self.env["res.company"].browse(period.company_id)
        # sudo: a target level (configuration) of the period's company, which the caller
        # of the engine was allowed to measure (see _kpi_compute)
        target = self.env["crm.kpi.target"].sudo()._get_target(code, company)
        return target.target_value if target else self._kpi_definitions()[code]["target"]

    @api.model
    def _kpi_company_sql(self, alias, period):
        return SQL(
            "(%(t)s.company_id = %(company)s OR %(t)s.company_id IS NULL)",
            t=SQL.identifier(alias),
            company=period.company_id,
        )

    # -- first contact of the leads -------------------------------------------------
    # The earliest follow-up, done activity or staff message on a lead. The first
    # response KPI reads it live; the KPI report reads it stored on the lead
    # (first_contact_date), kept in step once per transaction: the follow-ups and
    # messages that may change it queue their leads, and the queue is stored before the
    # commit, or earlier where the figures are measured (_kpi_apply_pending).

    @api.model
    def _kpi_lead_first_contact_sql(self, leads):
        """(lead_id, first_contact) for the leads selected by ``leads`` (id, create_date):
        the earliest interaction on the lead after its creation (crm.interaction)."""
        return SQL(
            "SELECT c.lead_id, MIN(c.date) AS first_contact FROM (%s) c GROUP BY c.lead_id",
            self.env["crm.interaction"]._interactions_sql(leads=leads),
        )

    @api.model
    def _kpi_queue_first_contact(self, lead_ids):
        """Note that the first contact of these leads may have changed: it is stored
        once per transaction, for all of them, before the commit (or earlier, at an
        explicit point: see :meth:`_kpi_apply_first_contact`)."""
        lead_ids = {lead_id for lead_id in lead_ids if lead_id}
        if not lead_ids:
            return
        precommit = self.env.cr.precommit
        pending = precommit.data.get(FIRST_CONTACT_QUEUE)
        if pending is None:
            pending = precommit.data[FIRST_CONTACT_QUEUE] = set()
            # sudo: stores a system-computed date on leads changed in this transaction
            precommit.add(self.sudo()._kpi_apply_first_contact)
        pending |= lead_ids

    @api.model
    def _kpi_apply_first_contact(self):
        """Store the first contact of the leads queued so far in this transaction."""
        pending = self.env.cr.precommit.data.get(FIRST_CONTACT_QUEUE)
        if pending:
            lead_ids = sorted(pending)
            pending.clear()
            # sudo: system value (first contact time) of leads changed in this transaction
            self.sudo()._kpi_store_first_contact(lead_ids)

    @api.model
    def _kpi_store_first_contact(self, lead_ids=None):
        """Store the first contact time on leads (all leads when ``lead_ids`` is
        None), from their follow-ups and messages: one statement. The KPI report
        reads it instead of aggregating every message on each query."""
        if lead_ids is not None and not lead_ids:
            return
        scope = SQL("TRUE") if lead_ids is None else SQL("l.id = ANY(%s)", list(lead_ids))
        # Writes a system-computed column only, returns nothing to the caller; the
        # leads are joined in each source so that a few are looked up by index.
        self.env.execute_query(
            SQL(
                """
                WITH target AS (SELECT l.id, l.create_date FROM crm_lead l WHERE %(scope)s),
                first AS (%(first)s)
                UPDATE crm_lead l SET first_contact_date = f.first_contact
                  FROM (SELECT t.id, first.first_contact
                          FROM target t LEFT JOIN first ON first.lead_id = t.id) f
                 WHERE l.id = f.id AND l.first_contact_date IS DISTINCT FROM f.first_contact
                """,
                scope=scope,
                first=self._kpi_lead_first_contact_sql(SQL("SELECT id, create_date FROM target")),
            )
        )
        if lead_ids is None:
            self.env["crm.lead"].invalidate_model(["first_contact_date"], flush=False)
        else:
            self.env["crm.lead"].browse(lead_ids).invalidate_recordset(
                ["first_contact_date"], flush=False
            )
