# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    guidance = fields.Html(
        string="Stage Guidance",
        translate=True,
        help="What to do in this stage: inputs, outputs and time limit. Shown on the "
        "leads in this stage.",
    )
    requirement_ids = fields.One2many(
        "crm.stage.requirement", "stage_id", string="Stage Requirements"
    )
