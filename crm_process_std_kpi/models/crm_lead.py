# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmLead(models.Model):
    """First contact of a lead, stored for the process KPI report."""

    _inherit = "crm.lead"

    # Written by crm.kpi only (_kpi_store_first_contact): once per transaction for
    # the leads whose follow-ups or messages changed, and for every lead at install.
    first_contact_date = fields.Datetime(
        string="First Contact",
        readonly=True,
        copy=False,
        help="First follow-up, done activity, message or e-mail of a staff member on this "
        "lead after its creation (automatic).",
    )
