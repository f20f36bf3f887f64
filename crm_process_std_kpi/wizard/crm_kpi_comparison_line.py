# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..models.crm_kpi import KPI_UNITS
from ..models.crm_kpi_target import COMPARISONS


class CrmKpiComparisonLine(models.TransientModel):
    """One KPI before and after, with the change."""

    _name = "crm.kpi.comparison.line"
    _description = "Process KPI Comparison Line"
    _order = "sequence, id"

    comparison_id = fields.Many2one("crm.kpi.comparison", required=True, ondelete="cascade")
    sequence = fields.Integer()
    kpi_code = fields.Selection(selection="_selection_kpi_code", string="KPI", required=True)
    unit = fields.Selection(KPI_UNITS)
    direction = fields.Selection(COMPARISONS, string="Better When")
    has_before = fields.Boolean()
    before_value = fields.Float(string="Before", digits=(16, 2))
    has_after = fields.Boolean()
    after_value = fields.Float(string="After", digits=(16, 2))
    change = fields.Float(
        compute="_compute_change",
        store=True,
        digits=(16, 2),
        help="After minus before, in the unit of the KPI (points for a rate).",
    )
    change_percent = fields.Float(
        string="Change (%)",
        compute="_compute_change",
        store=True,
        digits=(16, 1),
        help="Change relative to the before value.",
    )
    improved = fields.Boolean(compute="_compute_change", store=True)
    has_target = fields.Boolean()
    target_value = fields.Float(string="Target", digits=(16, 2))
    after_on_target = fields.Boolean(string="On Target", compute="_compute_change", store=True)

    def _selection_kpi_code(self):
        return self.env["crm.kpi"]._kpi_selection()

    @api.depends(
        "before_value", "after_value", "has_before", "has_after", "target_value", "direction"
    )
    def _compute_change(self):
        for line in self:
            both = line.has_before and line.has_after
            line.change = line.after_value - line.before_value if both else 0.0
            line.change_percent = (
                100.0 * line.change / line.before_value if both and line.before_value else 0.0
            )
            better = line.change > 0 if line.direction == ">=" else line.change < 0
            line.improved = both and better
            if not (line.has_target and line.has_after):
                line.after_on_target = False
            elif line.direction == ">=":
                line.after_on_target = line.after_value >= line.target_value
            else:
                line.after_on_target = line.after_value <= line.target_value
