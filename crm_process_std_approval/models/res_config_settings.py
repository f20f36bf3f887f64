# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_std_approval_stage_id = fields.Many2one(
        related="company_id.crm_approval_stage_id", readonly=False
    )
