# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import format_date

from .crm_kpi import KPI_UNITS
from .crm_kpi_target import COMPARISONS

SNAPSHOT_KINDS = [("regular", "Monthly"), ("before", "Before (diagnosis)")]


class CrmKpiSnapshot(models.Model):
    """The value of one KPI over one period, company-wide, for a sales team or for
    a salesperson, frozen with the target that applied then."""

    _name = "crm.kpi.snapshot"
    _description = "Process KPI Snapshot"
    _inherit = ("crm.protected.fields.mixin",)
    _order = "date_from desc, kind, kpi_code, team_id, user_id"
    _rec_name = "kpi_code"

    kind = fields.Selection(SNAPSHOT_KINDS, required=True, default="regular", index=True)
    date_from = fields.Date(string="Period Start", required=True, index=True)
    date_to = fields.Date(string="Period End", required=True)
    period = fields.Char(compute="_compute_period", store=True)
    kpi_code = fields.Selection(
        selection="_selection_kpi_code", string="KPI", required=True, index=True
    )
    unit = fields.Selection(KPI_UNITS, required=True)
    value = fields.Float(digits=(16, 2), aggregator="avg")
    numerator = fields.Float(digits=(16, 2), aggregator="sum")
    denominator = fields.Float(string="Records", digits=(16, 0), aggregator="sum")
    has_target = fields.Boolean()
    target_value = fields.Float(string="Target", digits=(16, 2), aggregator="avg")
    comparison = fields.Selection(COMPARISONS)
    on_target = fields.Boolean()
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", string="Salesperson", index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    diagnosis_id = fields.Many2one(
        "crm.process.diagnosis", index="btree_not_null", ondelete="cascade"
    )

    # Measured by the snapshot flows only (monthly job, snapshot wizard, diagnosis):
    # nobody forges a figure, its target or its scope; administrators may delete one.
    _protected_fields = frozenset(
        {
            "kind",
            "date_from",
            "date_to",
            "kpi_code",
            "unit",
            "value",
            "numerator",
            "denominator",
            "has_target",
            "target_value",
            "comparison",
            "on_target",
            "team_id",
            "user_id",
            "company_id",
            "diagnosis_id",
        }
    )

    _period_unique = models.UniqueIndex(
        "(kind, date_from, date_to, kpi_code, company_id, COALESCE(team_id, 0), "
        "COALESCE(user_id, 0), COALESCE(diagnosis_id, 0))",
        "A KPI has one snapshot per period, company, team and salesperson.",
    )

    def _selection_kpi_code(self):
        return self.env["crm.kpi"]._kpi_selection()

    @api.depends("kind", "date_from", "date_to")
    def _compute_period(self):
        for snapshot in self:
            if not snapshot.date_from or not snapshot.date_to:
                snapshot.period = False
            elif snapshot.kind == "regular":
                snapshot.period = snapshot.date_from.strftime("%Y-%m")
            else:
                snapshot.period = (
                    f"{format_date(self.env, snapshot.date_from)} - "
                    f"{format_date(self.env, snapshot.date_to)}"
                )

    @api.model
    def _month_bounds(self, day):
        first = fields.Date.to_date(day).replace(day=1)
        return first, first + relativedelta(months=1, days=-1)

    @api.model
    def _take_snapshots(self, date_from, date_to, companies, kind="regular", diagnosis=None):
        """Compute every available KPI over the period for each company, overall,
        per sales team and per salesperson, and store them in place of the
        snapshots of the same period and kind (idempotent).

        Callers check who acts first (snapshot wizard: create access on snapshots, i.e.
        process administrators, for their allowed companies; diagnosis: write access on
        it; monthly job); the figures are then written as superuser (flow-only fields).
        """
        kpi = self.env["crm.kpi"]
        definitions = kpi._kpi_definitions()
        snapshots = self.sudo()  # flow-only figures, after the callers' checks above
        for company in companies:
            domain = [
                ("kind", "=", kind),
                ("date_from", "=", date_from),
                ("date_to", "=", date_to),
                ("company_id", "=", company.id),
                ("diagnosis_id", "=", diagnosis.id if diagnosis else False),
            ]
            snapshots.search(domain).unlink()
            # sudo: target levels (configuration) of the company measured, frozen with it
            targets = self.env["crm.kpi.target"].sudo()._get_targets(company)
            vals_list = []
            for code, definition in definitions.items():
                results = kpi.with_company(company)._kpi_compute(
                    code, date_from, date_to, company, by_team=True, by_user=True
                )
                target = targets.get(code)
                for (team_id, user_id), result in (results or {}).items():
                    vals_list.append(
                        {
                            "kind": kind,
                            "date_from": date_from,
                            "date_to": date_to,
                            "kpi_code": code,
                            "unit": definition["unit"],
                            "value": result.value,
                            "numerator": result.numerator,
                            "denominator": result.denominator,
                            "has_target": bool(target),
                            "target_value": target.target_value if target else 0.0,
                            "comparison": target.comparison if target else False,
                            "on_target": bool(target) and target._is_on_target(result.value),
                            "team_id": team_id,
                            "user_id": user_id,
                            "company_id": company.id,
                            "diagnosis_id": diagnosis.id if diagnosis else False,
                        }
                    )
            snapshots |= snapshots.create(vals_list)
        return snapshots

    @api.model
    def _snapshot_month(self, day, companies=None):
        """Regular snapshots of the month holding ``day`` (to date if current)."""
        date_from, date_to = self._month_bounds(day)
        return self._take_snapshots(date_from, date_to, companies or self.env.companies)

    @api.model
    def _cron_monthly_snapshot(self):
        """Snapshot the previous month for every company; re-running replaces it."""
        companies = self.env["res.company"].search([])
        previous_month = fields.Date.context_today(self) - relativedelta(months=1)
        cron = self.env["ir.cron"]
        if self.env.context.get("cron_id"):
            cron._commit_progress(remaining=len(companies))
        for company in companies:
            self._snapshot_month(previous_month, company)
            # outside a scheduled run (tests, shell) there is nothing to commit
            if self.env.context.get("cron_id"):
                cron._commit_progress(1)
