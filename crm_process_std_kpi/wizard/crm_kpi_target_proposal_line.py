# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..models.crm_kpi import KPI_UNITS
from ..models.crm_kpi_target import COMPARISONS


class CrmKpiTargetProposalLine(models.TransientModel):
    _name = "crm.kpi.target.proposal.line"
    _description = "Proposed KPI Target"

    proposal_id = fields.Many2one("crm.kpi.target.proposal", required=True, ondelete="cascade")
    accept = fields.Boolean(default=True)
    kpi_code = fields.Selection(selection="_selection_kpi_code", string="KPI", required=True)
    kpi_name = fields.Char(compute="_compute_kpi_name")
    unit = fields.Selection(KPI_UNITS)
    has_current = fields.Boolean()
    current_value = fields.Float(string="Current", digits=(16, 2))
    sample_size = fields.Integer(
        string="Records Measured", help="Number of records the current value was measured on."
    )
    comparison = fields.Selection(COMPARISONS, required=True)
    target_value = fields.Float(string="Proposed Target", digits=(16, 2))
    note = fields.Char(string="Why", readonly=True)
    existing_target_id = fields.Many2one("crm.kpi.target", string="Current Target")
    existing_value = fields.Float(
        related="existing_target_id.target_value", string="Current Target Value"
    )
    weakens_target = fields.Boolean(
        string="Weaker Than Current Target",
        compute="_compute_weakens_target",
        help="Accepting it would lower the target in force: it is not ticked by default.",
    )

    def _selection_kpi_code(self):
        return self.env["crm.kpi"]._kpi_selection()

    @api.depends("kpi_code")
    def _compute_kpi_name(self):
        selection = dict(self._selection_kpi_code())
        for line in self:
            line.kpi_name = selection.get(line.kpi_code, "")

    @api.depends("comparison", "target_value", "existing_target_id.comparison", "existing_value")
    def _compute_weakens_target(self):
        for line in self:
            target = line.existing_target_id
            if not target or target.comparison != line.comparison:
                line.weakens_target = False
            elif line.comparison == ">=":
                line.weakens_target = line.target_value < target.target_value
            else:
                line.weakens_target = line.target_value > target.target_value
