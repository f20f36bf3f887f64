# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_success_user_id = fields.Many2one(
        "res.users",
        string="Customer Success Manager",
        index=True,
        tracking=True,
        help="Looks after this customer once sales has handed it over.",
    )
