# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .crm_complaint import DEFAULT_RESPONSE_HOURS


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_complaint_hours_urgent = fields.Float(
        string="Urgent Complaint Answered Within (hours)",
        default=DEFAULT_RESPONSE_HOURS["urgent"],
    )
    crm_complaint_hours_normal = fields.Float(
        string="Normal Complaint Answered Within (hours)",
        default=DEFAULT_RESPONSE_HOURS["normal"],
    )
