# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmKpiComparison(models.TransientModel):
    """Before / after: the KPIs of two periods side by side with the change
    (seed 003 step 5: 优化前 / 优化后 / 变化幅度)."""

    _name = "crm.kpi.comparison"
    _description = "Process KPI Before / After Comparison"

    before_mode = fields.Selection(
        [("diagnosis", "Diagnosis (before)"), ("month", "A month")],
        string="Before",
        required=True,
        default=lambda self: "diagnosis" if self._default_diagnosis() else "month",
    )
    diagnosis_id = fields.Many2one(
        "crm.process.diagnosis",
        domain="[('state', '=', 'done'), ('company_id', '=', company_id)]",
        default=lambda self: self._default_diagnosis(),
    )
    before_month = fields.Date(
        default=lambda self: (
            fields.Date.context_today(self).replace(day=1) - relativedelta(months=2)
        )
    )
    after_month = fields.Date(
        required=True,
        default=lambda self: (
            fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        ),
    )
    team_id = fields.Many2one("crm.team", string="Sales Team")
    user_id = fields.Many2one("res.users", string="Salesperson", domain="[('share', '=', False)]")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    line_ids = fields.One2many("crm.kpi.comparison.line", "comparison_id")

    @api.model
    def _default_diagnosis(self):
        return self.env["crm.process.diagnosis"].search(
            [("state", "=", "done"), ("company_id", "=", self.env.company.id)],
            order="date_run desc, id desc",
            limit=1,
        )

    def _before_label(self):
        if self.before_mode == "diagnosis":
            return self.diagnosis_id.display_name
        return self.before_month.strftime("%Y-%m")

    def _snapshot_values(self, domain):
        """{kpi code: snapshot} of the comparison's scope matching ``domain``."""
        snapshots = self.env["crm.kpi.snapshot"].search(
            domain
            + [
                ("company_id", "=", self.company_id.id),
                ("team_id", "=", self.team_id.id),
                ("user_id", "=", self.user_id.id),
            ]
        )
        return {snapshot.kpi_code: snapshot for snapshot in snapshots}

    def _month_values(self, day):
        """{kpi code: (value, target snapshot or None)} of the month holding ``day``:
        its regular snapshot, else measured now."""
        date_from, date_to = self.env["crm.kpi.snapshot"]._month_bounds(day)
        snapshots = self._snapshot_values(
            [("kind", "=", "regular"), ("date_from", "=", date_from), ("date_to", "=", date_to)]
        )
        values = {code: snapshot.value for code, snapshot in snapshots.items()}
        kpi = self.env["crm.kpi"]
        for code in kpi._kpi_definitions():
            if code not in values:
                value = kpi._kpi_value(
                    code, date_from, date_to, self.company_id, self.team_id, self.user_id
                )
                if value is not None:
                    values[code] = value
        return values

    def _before_values(self):
        if self.before_mode == "diagnosis":
            if not self.diagnosis_id:
                raise UserError(self.env._("Choose the diagnosis to compare with."))
            snapshots = self._snapshot_values(
                [("kind", "=", "before"), ("diagnosis_id", "=", self.diagnosis_id.id)]
            )
            return {code: snapshot.value for code, snapshot in snapshots.items()}
        if not self.before_month:
            raise UserError(self.env._("Choose the month to compare with."))
        return self._month_values(self.before_month)

    def action_compare(self):
        """Fill the lines and show them in a list (exportable)."""
        self.ensure_one()
        # the figures are read in SQL for the wizard's company: the company rule of the
        # comparison (and its creator rule) decides whether the caller may read them
        self.check_access("write")
        before = self._before_values()
        after = self._month_values(self.after_month)
        targets = self.env["crm.kpi.target"]._get_targets(self.company_id)
        definitions = self.env["crm.kpi"]._kpi_definitions()
        vals_list = []
        for sequence, (code, definition) in enumerate(definitions.items()):
            if code not in before and code not in after:
                continue
            target = targets.get(code)
            vals_list.append(
                {
                    "comparison_id": self.id,
                    "sequence": sequence,
                    "kpi_code": code,
                    "unit": definition["unit"],
                    "direction": target.comparison if target else definition["comparison"],
                    "has_before": code in before,
                    "before_value": before.get(code, 0.0),
                    "has_after": code in after,
                    "after_value": after.get(code, 0.0),
                    "has_target": bool(target),
                    "target_value": target.target_value if target else 0.0,
                }
            )
        self.line_ids.unlink()
        self.env["crm.kpi.comparison.line"].create(vals_list)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Before / After: %(before)s -> %(after)s",
                before=self._before_label(),
                after=self.after_month.strftime("%Y-%m"),
            ),
            "res_model": "crm.kpi.comparison.line",
            "view_mode": "list",
            "views": [(False, "list")],
            "domain": [("comparison_id", "=", self.id)],
            "context": {"create": False},
        }
