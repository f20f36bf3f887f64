# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .crm_kpi import KPI_UNITS
from .crm_kpi_target import COMPARISONS


class CrmProcessDiagnosisLine(models.Model):
    """One figure of a diagnosis, compared with its attention threshold."""

    _name = "crm.process.diagnosis.line"
    _description = "CRM Process Diagnosis Figure"
    _inherit = ("crm.protected.fields.mixin",)
    _order = "diagnosis_id, sequence, id"

    diagnosis_id = fields.Many2one(
        "crm.process.diagnosis", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="diagnosis_id.company_id", store=True)
    sequence = fields.Integer()
    kpi_code = fields.Selection(selection="_selection_kpi_code", string="Figure", required=True)
    unit = fields.Selection(KPI_UNITS)
    has_value = fields.Boolean(string="Has Data")
    value = fields.Float(digits=(16, 2))
    numerator = fields.Float(digits=(16, 2))
    denominator = fields.Float(string="Records", digits=(16, 0))
    comparison = fields.Selection(COMPARISONS)
    flag_attention = fields.Boolean(string="Has Threshold")
    attention_value = fields.Float(string="Attention Threshold", digits=(16, 2))
    needs_attention = fields.Boolean()
    has_target = fields.Boolean()
    target_value = fields.Float(string="Target", digits=(16, 2))
    on_target = fields.Boolean()

    # Measured by the diagnosis run only: nobody forges a figure or its threshold.
    _protected_fields = frozenset(
        {
            "sequence",
            "kpi_code",
            "unit",
            "has_value",
            "value",
            "numerator",
            "denominator",
            "comparison",
            "flag_attention",
            "attention_value",
            "needs_attention",
            "has_target",
            "target_value",
            "on_target",
        }
    )
    _frozen_fields = frozenset({"diagnosis_id"})

    def _selection_kpi_code(self):
        return self.env["crm.kpi"]._kpi_selection()

    def action_view_records(self):
        """The records behind the figure: those pulling it away from its target."""
        self.ensure_one()
        # the figure's company (rule) and the managers' read right, before the SQL
        self.check_access("read")
        diagnosis = self.diagnosis_id
        return self.env["crm.kpi"]._kpi_action_records(
            self.kpi_code, diagnosis.date_from, diagnosis.date_to, diagnosis.company_id
        )
