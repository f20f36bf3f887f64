# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_std_validate_partner_contacts = fields.Boolean(
        string="Validate Contact Phones and E-mails",
        default=True,
        help="Refuse malformed phone numbers and e-mail addresses typed on contact forms "
        "and imported in the contacts' import dialog, in every application. Leads are "
        "always checked.",
    )
